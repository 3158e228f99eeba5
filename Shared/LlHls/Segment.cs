namespace Nio.Shared.LlHls;

/// <summary>A complete media segment: the concatenation of its <see cref="Parts"/>, stored under <see cref="Uri"/>.</summary>
/// <param name="InitUri">The init segment its media needs (EXT-X-MAP): each FFmpeg run writes its own.</param>
public sealed record Segment(
    long SequenceNumber,
    string Uri,
    double Duration,
    IReadOnlyList<Part> Parts,
    DateTimeOffset ProgramDateTime,
    bool Discontinuity,
    string InitUri = MediaUris.Init);

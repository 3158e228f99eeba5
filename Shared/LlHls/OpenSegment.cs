namespace Nio.Shared.LlHls;

/// <summary>The segment still being cut at the live edge: only its parts are published so far.</summary>
/// <param name="InitUri">The init segment its media needs (EXT-X-MAP).</param>
public sealed record OpenSegment(
    long SequenceNumber, IReadOnlyList<Part> Parts, DateTimeOffset ProgramDateTime, bool Discontinuity, string InitUri = MediaUris.Init);

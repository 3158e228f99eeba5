namespace Nio.Shared.LlHls;

/// <summary>A complete media segment: the concatenation of its <see cref="Parts"/>, stored under <see cref="Uri"/>.</summary>
public sealed record Segment(
    long SequenceNumber,
    string Uri,
    double Duration,
    IReadOnlyList<Part> Parts,
    DateTimeOffset ProgramDateTime,
    bool Discontinuity);

namespace Nio.Shared.LlHls;

/// <summary>The segment still being cut at the live edge: only its parts are published so far.</summary>
public sealed record OpenSegment(long SequenceNumber, IReadOnlyList<Part> Parts, DateTimeOffset ProgramDateTime, bool Discontinuity);

namespace Nio.Shared.LlHls;

/// <summary>One segment of a recording: what its VOD playlist says of it, and the init segment it decodes with.</summary>
public sealed record RecordedSegment(string Uri, double Duration, DateTimeOffset ProgramDateTime, bool Discontinuity, string InitUri);

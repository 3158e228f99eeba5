namespace Nio.Shared.Media;

/// <summary>
/// The Transcoder re-encodes a live stream's source video, H.264 that it would otherwise pass through, because its
/// keyframes come further apart than a segment may last (<c>POST /api/transcoder/streams/{id}/source-reencoded</c>);
/// the stream's health shows it until the next broadcast.
/// </summary>
/// <param name="SecondsWithoutKeyframe">How long the source had gone without a keyframe when that was decided.</param>
public sealed record SourceReencodedReport(double SecondsWithoutKeyframe);

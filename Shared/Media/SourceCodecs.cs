namespace Nio.Shared.Media;

/// <summary>
/// What a live stream carries, as the Ingest announces it in <see cref="LiveSources"/>: the Transcoder decides from it
/// what it may pass through.
/// </summary>
/// <param name="Video">For example <c>avc</c> (H.264), <c>h263</c> (Sorenson), or an Enhanced RTMP FourCC such as <c>hvc1</c>.</param>
/// <param name="Audio">For example <c>aac</c>, <c>opus</c>, <c>mp3</c>; null when no audio arrived before the first video frame.</param>
/// <param name="Height">
/// The picture height the publisher declared in its <c>onMetaData</c> (OBS, FFmpeg and GStreamer declare it); null when
/// it declared none before its first video frame.
/// </param>
/// <param name="FrameRate">
/// The frames per second the publisher declared in its <c>onMetaData</c> (<c>framerate</c>; OBS and FFmpeg declare it):
/// the Transcoder cuts parts of whole frames by it. Null when it declared none.
/// </param>
public sealed record SourceCodecs(string Video, string? Audio, int? Height = null, double? FrameRate = null)
{
    public const string Avc = "avc";
    public const string Aac = "aac";
    public const string Opus = "opus";
}

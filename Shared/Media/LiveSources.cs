using System.Text.Json;

namespace Nio.Shared.Media;

/// <summary>
/// The Ingest→Transcoder contract, declared once for both sides. The Ingest serves it on its internal listener to the
/// Transcoder's secret (<c>NIO_TRANSCODER_TO_INGEST_SECRET</c>):
/// <list type="bullet">
/// <item><see cref="Watch"/> — held open by the Transcoder: one line of JSON (<see cref="LiveSources"/>) at once, then
/// one at each change (a publisher arrives, its first video frame tells the codecs, it leaves) and at least every
/// <see cref="ResendInterval"/>, so a silent connection means a gone or hung Ingest. Every line is the whole list, so a
/// Transcoder that reconnects has missed nothing.</item>
/// <item><see cref="List"/> — the same list once (for operators and tests).</item>
/// <item><see cref="Media"/> — one live stream, from its latest keyframe, until its publisher leaves: as FLV, or as
/// Matroska when its audio is Opus, which FLV cannot carry (FFmpeg reads both from a pipe).</item>
/// </list>
/// </summary>
public static class LiveSourceRoutes
{
    public const string List = "/live";

    public const string Watch = "/live/watch";

    /// <summary>The route patterns of <see cref="Media"/>.</summary>
    public const string FlvPattern = "/live/{streamId:guid}.flv";

    public const string MatroskaPattern = "/live/{streamId:guid}.mkv";

    /// <summary>How often the Ingest sends the list when nothing changed.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest line either side accepts: about 5,000 live streams.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>The JSON both sides write and read (web defaults: camelCase).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where to read a stream that carries <paramref name="codecs"/>.</summary>
    public static string Media(Guid streamId, SourceCodecs codecs) =>
        codecs.Audio == SourceCodecs.Opus ? $"/live/{streamId}.mkv" : $"/live/{streamId}.flv";
}

/// <summary>The streams that have a publisher in one Ingest.</summary>
public sealed record LiveSources(IReadOnlyList<LiveSource> Streams);

/// <summary>A stream with a publisher; <paramref name="Codecs"/> is null until its first video frame arrived.</summary>
public sealed record LiveSource(Guid StreamId, SourceCodecs? Codecs);

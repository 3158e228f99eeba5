using System.Globalization;

namespace Nio.Shared.LlHls;

/// <summary>
/// Names of a rendition's files, relative to its media playlist. Parts are numbered across the whole stream rather
/// than within their segment, so the next part's name is known before anyone knows whether it opens a new segment:
/// the preload hint is never wrong. A broadcast tag before part and segment names keeps two broadcasts of one stream
/// (the publisher went away and came back later) from ever sharing a file, so deleting one's leftovers can never
/// touch the other's media.
/// </summary>
public static class MediaUris
{
    /// <summary>A rendition's live media playlist.</summary>
    public const string Playlist = "index.m3u8";

    /// <summary>The init segment of the current FFmpeg run, named by the live playlist.</summary>
    public const string Init = "init.mp4";

    /// <summary>A recorded stream's VOD: its multivariant playlist beside <c>master.m3u8</c>, and each rendition's media playlist.</summary>
    public const string Recording = "recording.m3u8";

    public static string Segment(string broadcast, long sequenceNumber) => Tagged(broadcast, $"seg{sequenceNumber}.m4s");

    public static string Part(string broadcast, long partNumber) => Tagged(broadcast, $"part{partNumber}.m4s");

    /// <summary>The broadcast tag and number of a name <see cref="Part"/> made; false for any other name.</summary>
    public static bool TryParsePart(string uri, out string broadcast, out long partNumber)
    {
        var dash = uri.LastIndexOf('-');
        var name = uri.AsSpan(dash + 1);
        broadcast = dash < 0 ? "" : uri[..dash];
        partNumber = 0;
        return name.StartsWith("part", StringComparison.Ordinal) && name.EndsWith(".m4s", StringComparison.Ordinal)
            && long.TryParse(name["part".Length..^".m4s".Length], NumberStyles.None, CultureInfo.InvariantCulture, out partNumber);
    }

    /// <summary>The init segment of one FFmpeg run of a broadcast, kept for the recording: each run may differ.</summary>
    public static string RunInit(string broadcast, int run) => Tagged(broadcast, $"init{run}.mp4");

    private static string Tagged(string broadcast, FormattableString name) =>
        (broadcast.Length > 0 ? broadcast + "-" : "") + name.ToString(CultureInfo.InvariantCulture);
}

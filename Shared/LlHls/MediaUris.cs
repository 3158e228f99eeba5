using System.Globalization;

namespace Nio.Shared.LlHls;

/// <summary>
/// Names of a rendition's files, relative to its media playlist. Parts are numbered across the whole stream rather
/// than within their segment, so the next part's name is known before anyone knows whether it opens a new segment:
/// the preload hint is never wrong.
/// </summary>
public static class MediaUris
{
    public const string Init = "init.mp4";

    public static string Segment(long sequenceNumber) => string.Create(CultureInfo.InvariantCulture, $"seg{sequenceNumber}.m4s");

    public static string Part(long partNumber) => string.Create(CultureInfo.InvariantCulture, $"part{partNumber}.m4s");
}

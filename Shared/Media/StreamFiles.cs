namespace Nio.Shared.Media;

/// <summary>Names of a live stream's files next to its multivariant playlist (<c>live/{streamId}/…</c>).</summary>
public static class StreamFiles
{
    /// <summary>The latest JPEG picture of the stream, which the Transcoder replaces every few seconds.</summary>
    public const string Thumbnail = "thumbnail.jpg";
}

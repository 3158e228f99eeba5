using Nio.Shared.LlHls;
namespace Nio.Transcoder.Live;

/// <summary>
/// One rung of the ABR ladder. <see cref="Height"/> null means the source itself, passed through without
/// re-encoding when it is H.264 and AAC; otherwise it is re-encoded at its own resolution under <see cref="VideoKbps"/>
/// and <see cref="AudioKbps"/>. A rung with a height is scaled to it and encoded at <see cref="VideoKbps"/>.
/// </summary>
public sealed record Rendition(string Name, int? Height, int VideoKbps, int AudioKbps)
{
    public bool IsSource => Height is null;
}

/// <summary>The ladder and the LL-HLS timing (section <c>Transcoder</c>).</summary>
public sealed class LadderOptions
{
    public List<Rendition> Renditions { get; set; } =
    [
        new("source", null, 4500, 128),
        new("480p", 480, 1200, 96),
        new("240p", 240, 400, 64),
    ];

    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// EXT-X-PART-INF PART-TARGET, rounded per broadcast to whole frames of the source's declared frame rate
    /// (<see cref="PartTiming"/>). Three of them are the PART-HOLD-BACK players keep behind the live edge.
    /// </summary>
    public double PartTargetSeconds { get; set; } = 0.2;

    /// <summary>
    /// A segment closes at the first keyframe after this long; transcoded renditions get keyframes at this interval.
    /// Rounded, it is the fixed EXT-X-TARGETDURATION: a copied source whose keyframes come further apart is re-encoded.
    /// </summary>
    public double SegmentTargetSeconds { get; set; } = 1;

    /// <summary>Seconds between two thumbnails of a live stream.</summary>
    public double ThumbnailIntervalSeconds { get; set; } = 10;

    /// <summary>Thumbnail width in pixels; the height keeps the picture's aspect ratio.</summary>
    public int ThumbnailWidth { get; set; } = 320;

    /// <summary>
    /// How long a stream whose input ended may take to come back (a reconnecting publisher) before its playlists end;
    /// also how long a new stream may take to send its first video.
    /// </summary>
    public double ReturnGraceSeconds { get; set; } = 10;

    /// <summary>
    /// How long the Ingest's HTTP-FLV may send nothing before FFmpeg's input is closed: FFmpeg then ends, and starts
    /// again if the stream is still live, rather than wait on an Ingest that hangs.
    /// </summary>
    public double InputTimeoutSeconds { get; set; } = 10;
}

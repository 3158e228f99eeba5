namespace Nio.Transcoder.Live;

/// <summary>
/// One rung of the ABR ladder. <see cref="Height"/> null means the source itself, passed through without
/// re-encoding (the publisher's H.264 and AAC); otherwise the video is scaled to that height and encoded at
/// <see cref="VideoKbps"/>.
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
        new("source", null, 0, 0),
        new("480p", 480, 1200, 96),
        new("240p", 240, 400, 64),
    ];

    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>EXT-X-PART-INF PART-TARGET.</summary>
    public double PartTargetSeconds { get; set; } = 0.25;

    /// <summary>A segment closes at the first keyframe after this long; transcoded renditions get keyframes at this interval.</summary>
    public double SegmentTargetSeconds { get; set; } = 1;

    /// <summary>How long a stream whose input ended may take to come back (a reconnecting publisher) before its playlists end.</summary>
    public double ReturnGraceSeconds { get; set; } = 10;
}

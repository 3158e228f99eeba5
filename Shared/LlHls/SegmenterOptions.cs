namespace Nio.Shared.LlHls;

/// <summary>How the LL-HLS packager cuts a rendition.</summary>
public sealed class SegmenterOptions
{
    /// <summary>PART-TARGET. FFmpeg must be told to cut fragments no longer than this: each fragment becomes one part.</summary>
    public TimeSpan PartTarget { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A segment closes at the first keyframe after it has lasted this long. Rounded to whole seconds (at least 1), it
    /// is the playlist's EXT-X-TARGETDURATION, which no segment exceeds: keyframes further apart are cut between.
    /// </summary>
    public TimeSpan SegmentTarget { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many complete segments the live playlist keeps.</summary>
    public int WindowSegments { get; set; } = 10;

    /// <summary>Tag of the broadcast before every part and segment name (see <see cref="MediaUris"/>); empty for none.</summary>
    public string Broadcast { get; set; } = "";
}

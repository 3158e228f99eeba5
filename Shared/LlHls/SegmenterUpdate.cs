namespace Nio.Shared.LlHls;

/// <summary>
/// What one segmenter call produced. Store <see cref="CompletedSegment"/> and <see cref="CompletedPart"/> before
/// publishing <see cref="Playlist"/> (a playlist must never name a file that is not there yet); the
/// <see cref="Removed"/> segments have left the window and may be deleted later.
/// </summary>
/// <param name="CompletedPart">The part just added; null when nothing was added (a fragment too long for any segment is left out).</param>
/// <param name="SecondsWithoutKeyframe">
/// Set when the segment just completed had to close before a keyframe, the keyframes being further apart than a segment
/// may last: how long the video has gone without one so far.
/// </param>
public sealed record SegmenterUpdate(
    SegmenterUpdate.SegmentBytes? CompletedSegment,
    SegmenterUpdate.PartBytes? CompletedPart,
    IReadOnlyList<Segment> Removed,
    MediaPlaylist Playlist,
    double? SecondsWithoutKeyframe = null)
{
    /// <summary>A closed segment; its file is its parts' bytes in order.</summary>
    public sealed record SegmentBytes(Segment Segment, IReadOnlyList<ReadOnlyMemory<byte>> Parts);

    public sealed record PartBytes(Part Part, ReadOnlyMemory<byte> Bytes);
}

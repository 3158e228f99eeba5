namespace Nio.Shared.LlHls;

/// <summary>
/// What one segmenter call produced. Store <see cref="CompletedSegment"/> and <see cref="CompletedPart"/> before
/// publishing <see cref="Playlist"/> (a playlist must never name a file that is not there yet); the
/// <see cref="Removed"/> segments have left the window and may be deleted later.
/// </summary>
public sealed record SegmenterUpdate(
    SegmenterUpdate.SegmentBytes? CompletedSegment,
    SegmenterUpdate.PartBytes? CompletedPart,
    IReadOnlyList<Segment> Removed,
    MediaPlaylist Playlist)
{
    /// <summary>A closed segment; its file is its parts' bytes in order.</summary>
    public sealed record SegmentBytes(Segment Segment, IReadOnlyList<ReadOnlyMemory<byte>> Parts);

    public sealed record PartBytes(Part Part, ReadOnlyMemory<byte> Bytes);
}

namespace Nio.Shared.LlHls;

/// <summary>An immutable snapshot of one rendition's live media playlist; the segmenter makes a new one per change.</summary>
/// <param name="PartTarget">EXT-X-PART-INF PART-TARGET, in seconds.</param>
/// <param name="TargetDuration">EXT-X-TARGETDURATION, in whole seconds.</param>
/// <param name="MediaSequence">The sequence number of the first of <paramref name="Segments"/>.</param>
/// <param name="Open">The segment being cut, when it has parts already.</param>
/// <param name="NextPartUri">Where the next part will be stored: the preload hint.</param>
/// <param name="Ended">The stream is over (EXT-X-ENDLIST).</param>
public sealed record MediaPlaylist(
    double PartTarget,
    int TargetDuration,
    long MediaSequence,
    long DiscontinuitySequence,
    IReadOnlyList<Segment> Segments,
    OpenSegment? Open,
    string NextPartUri,
    bool Ended)
{
    /// <summary>The most recent part as (media sequence number, index within its segment), or null before the first.</summary>
    public (long SequenceNumber, int Index)? LastPart => Open is { } open
        ? (open.SequenceNumber, open.Parts.Count - 1)
        : Segments.Count > 0 ? (Segments[^1].SequenceNumber, Segments[^1].Parts.Count - 1) : null;

    /// <summary>
    /// The index in <see cref="Segments"/> of the first segment whose parts the playlist lists. §6.2.2: EXT-X-PART
    /// tags SHOULD go once they are more than three target durations from the end of the playlist; whole segments keep
    /// or drop their parts together, keyed on where the segment starts. Parts of earlier segments are named nowhere.
    /// </summary>
    public int FirstSegmentWithParts
    {
        get
        {
            var end = Segments.Sum(segment => segment.Duration) + (Open?.Parts.Sum(part => part.Duration) ?? 0);
            var partsFrom = end - 3 * TargetDuration;
            var start = 0.0;
            var index = 0;
            while (index < Segments.Count && start < partsFrom)
            {
                start += Segments[index++].Duration;
            }

            return index;
        }
    }
}

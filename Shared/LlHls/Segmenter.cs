namespace Nio.Shared.LlHls;

/// <summary>
/// Cuts one rendition's fragments into LL-HLS parts and segments. Every fragment becomes one part. A segment closes on
/// a keyframe once it has reached its target duration, or earlier when the next keyframe, as far off as the last one
/// was, would come too late; when keyframes are further apart than a segment may last it closes without one, so no
/// segment outlasts EXT-X-TARGETDURATION whatever the publisher sends. Not thread-safe: one writer feeds it, readers
/// take <see cref="Playlist"/>.
/// </summary>
public sealed class Segmenter
{
    private readonly SegmenterOptions options;
    private readonly long timescale;
    private readonly long segmentTargetTicks;
    private readonly long longestSegmentTicks;
    private readonly int targetDuration;
    private readonly List<Segment> window = [];
    private readonly List<Part> openParts = [];
    private readonly List<ReadOnlyMemory<byte>> openBytes = [];
    private DateTimeOffset timeZero;
    private long mediaSequence;
    private long discontinuitySequence;
    private long nextPartNumber;
    private long openStart;
    private long openDuration;
    private long sinceKeyframe;
    private long longestKeyframeGap;
    private bool openDiscontinuity;
    private string openInit = MediaUris.Init;
    private bool discontinuityPending;
    private bool ended;

    /// <param name="timescale">Ticks per second of the times passed to <see cref="Append"/> (the track's mdhd timescale).</param>
    /// <param name="timeZero">The wall-clock time of media time 0, for EXT-X-PROGRAM-DATE-TIME; give every rendition the same.</param>
    public Segmenter(SegmenterOptions options, long timescale, DateTimeOffset timeZero)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timescale);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PartTarget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SegmentTarget, options.PartTarget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.WindowSegments);
        this.options = options;
        this.timescale = timescale;
        this.timeZero = timeZero;
        segmentTargetTicks = (long)Math.Round(options.SegmentTarget.TotalSeconds * timescale);

        // RFC 8216bis §6.2.1: "The value of the EXT-X-TARGETDURATION tag in the Media Playlist MUST NOT change." It is
        // fixed here, from the configured target, and every cut below keeps within it.
        targetDuration = RoundToSeconds(options.SegmentTarget.TotalSeconds);

        // §4.4.3.1: "The EXTINF duration of each Media Segment in the Playlist file, when rounded to the nearest
        // integer, MUST be less than or equal to the target duration". EXTINF is written with five decimals, so a
        // segment stays under TARGETDURATION + 0.5 s by more than the last of them.
        longestSegmentTicks = (long)Math.Floor((targetDuration + 0.49999) * timescale);
        Playlist = Snapshot();
    }

    public MediaPlaylist Playlist { get; private set; }

    /// <summary>Ticks per second of the times <see cref="Append"/> takes.</summary>
    public long Timescale => timescale;

    /// <summary>
    /// The init segment of the media appended from now on: set when a run of the encoder starts (after
    /// <see cref="Discontinuity"/>). The playlist names it for the segments that follow (EXT-X-MAP): a player must not
    /// decode a new run's media with the last run's init, whose codec settings and timescale may differ.
    /// </summary>
    public string InitUri { get; set; } = MediaUris.Init;

    /// <summary>
    /// Adds the next fragment as a part, closing the open segment first when this fragment starts a new one. A
    /// fragment longer than any segment may last is left out (<see cref="SegmenterUpdate.CompletedPart"/> null).
    /// </summary>
    /// <param name="startTime">The fragment's decode time (tfdt), in timescale ticks.</param>
    /// <param name="duration">The fragment's duration, in timescale ticks.</param>
    /// <param name="independent">The fragment starts with a keyframe.</param>
    public SegmenterUpdate Append(long startTime, long duration, bool independent, ReadOnlyMemory<byte> bytes)
    {
        ThrowIfEnded();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(duration);
        if (duration > longestSegmentTicks)
        {
            return new SegmenterUpdate(null, null, [], Playlist);
        }

        SegmenterUpdate.SegmentBytes? closed = null;
        IReadOnlyList<Segment> removed = [];
        double? secondsWithoutKeyframe = null;
        if (openParts.Count > 0)
        {
            // At a keyframe, the next may come as late as the furthest apart two have been (sinceKeyframe is how far
            // apart the last two were): if so, the open segment could not wait for it. Not only the last gap: an
            // encoder's extra keyframe at a scene change comes early, and the regular one then follows a whole
            // interval after it.
            var nextGap = independent ? Math.Max(sinceKeyframe, longestKeyframeGap) : 0;
            var keyframeCut = independent && (openDuration >= segmentTargetTicks || openDuration + nextGap > longestSegmentTicks);

            // §6.2.1 asks for cuts "on packet and key frame boundaries" only as a SHOULD; the length bound is a MUST.
            var lengthCut = !keyframeCut && openDuration + duration > longestSegmentTicks;
            if (keyframeCut || lengthCut)
            {
                closed = CloseOpenSegment(out removed);
                // Keyframes are too far apart only when the video itself goes longer without one than a segment may
                // last, not when a segment merely began too early to reach the next.
                secondsWithoutKeyframe = lengthCut && sinceKeyframe + duration > longestSegmentTicks ? Seconds(sinceKeyframe) : null;
            }
        }

        if (openParts.Count == 0)
        {
            openStart = startTime;
            openInit = InitUri;
            openDiscontinuity = discontinuityPending;
            discontinuityPending = false;
        }

        var part = new Part(MediaUris.Part(options.Broadcast, nextPartNumber++), Seconds(duration), independent, bytes.Length);
        openParts.Add(part);
        openBytes.Add(bytes);
        openDuration += duration;
        if (independent)
        {
            longestKeyframeGap = Math.Max(longestKeyframeGap, sinceKeyframe);
        }

        sinceKeyframe = (independent ? 0 : sinceKeyframe) + duration;
        Playlist = Snapshot();
        return new SegmenterUpdate(closed, new SegmenterUpdate.PartBytes(part, bytes), removed, Playlist, secondsWithoutKeyframe);
    }

    /// <summary>
    /// The publisher reconnected or FFmpeg restarted: the open segment closes as it is, and the next one carries
    /// EXT-X-DISCONTINUITY, its media times counted from <paramref name="newTimeZero"/>.
    /// </summary>
    public SegmenterUpdate Discontinuity(DateTimeOffset newTimeZero)
    {
        ThrowIfEnded();
        IReadOnlyList<Segment> removed = [];
        var closed = openParts.Count > 0 ? CloseOpenSegment(out removed) : null;

        // Nothing published yet means nothing to be discontinuous with.
        discontinuityPending = window.Count > 0 || mediaSequence > 0;
        timeZero = newTimeZero;
        sinceKeyframe = 0;
        longestKeyframeGap = 0;
        Playlist = Snapshot();
        return new SegmenterUpdate(closed, null, removed, Playlist);
    }

    /// <summary>The stream is over: the open segment closes and the playlist gets EXT-X-ENDLIST.</summary>
    public SegmenterUpdate End()
    {
        ThrowIfEnded();
        IReadOnlyList<Segment> removed = [];
        var closed = openParts.Count > 0 ? CloseOpenSegment(out removed) : null;
        ended = true;
        Playlist = Snapshot();
        return new SegmenterUpdate(closed, null, removed, Playlist);
    }

    private SegmenterUpdate.SegmentBytes CloseOpenSegment(out IReadOnlyList<Segment> removed)
    {
        var sequenceNumber = mediaSequence + window.Count;
        var segment = new Segment(
            sequenceNumber, MediaUris.Segment(options.Broadcast, sequenceNumber), Seconds(openDuration), [.. openParts], ProgramDateTime(openStart), openDiscontinuity, openInit);
        var bytes = new SegmenterUpdate.SegmentBytes(segment, [.. openBytes]);
        window.Add(segment);
        openParts.Clear();
        openBytes.Clear();
        openDuration = 0;
        removed = TrimWindow();
        return bytes;
    }

    /// <summary>
    /// Drops the oldest segments beyond the window, but (§6.2.2) never so many that a live playlist would last less
    /// than three target durations. Removing a segment that carried EXT-X-DISCONTINUITY bumps the discontinuity sequence.
    /// </summary>
    private List<Segment> TrimWindow()
    {
        var removed = new List<Segment>();
        var remaining = window.Sum(segment => segment.Duration);
        while (window.Count > options.WindowSegments && remaining - window[0].Duration >= 3 * targetDuration)
        {
            var oldest = window[0];
            window.RemoveAt(0);
            remaining -= oldest.Duration;
            mediaSequence++;
            discontinuitySequence += oldest.Discontinuity ? 1 : 0;
            removed.Add(oldest);
        }

        return removed;
    }

    private MediaPlaylist Snapshot() => new(
        options.PartTarget.TotalSeconds,
        targetDuration,
        mediaSequence,
        discontinuitySequence,
        [.. window],
        openParts.Count > 0 ? new OpenSegment(mediaSequence + window.Count, [.. openParts], ProgramDateTime(openStart), openDiscontinuity, openInit) : null,
        MediaUris.Part(options.Broadcast, nextPartNumber),
        ended);

    private void ThrowIfEnded()
    {
        if (ended)
        {
            throw new InvalidOperationException("The stream has ended.");
        }
    }

    private double Seconds(long ticks) => (double)ticks / timescale;

    private DateTimeOffset ProgramDateTime(long ticks) => timeZero + TimeSpan.FromSeconds(Seconds(ticks));

    internal static int RoundToSeconds(double seconds) => Math.Max(1, (int)Math.Round(seconds, MidpointRounding.AwayFromZero));
}

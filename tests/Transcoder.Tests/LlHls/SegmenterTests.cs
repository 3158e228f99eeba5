using System.Globalization;
using Nio.Shared.LlHls;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class SegmenterTests
{
    private const long Timescale = 1000;
    private static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Real_ffmpeg_fragments_become_parts_within_the_target_and_segments_on_keyframes()
    {
        var stream = Fmp4Stream.Read(FfmpegSample.Bytes);
        var video = stream.Init.Tracks[0];
        var segmenter = new Segmenter(new SegmenterOptions(), video.Timescale, Noon);
        var closed = new List<SegmenterUpdate.SegmentBytes>();

        // FFmpeg's last fragment holds only the audio that outlasts the video; the video track drives the cuts.
        foreach (var fragment in stream.Fragments)
        {
            if (fragment.FindTrack(video.TrackId) is { } track)
            {
                closed.AddRange(Closed(segmenter.Append(track.BaseMediaDecodeTime, track.Duration, fragment.IsIndependent, fragment.Bytes)));
            }
        }

        closed.AddRange(Closed(segmenter.End()));

        Assert.Equal([0L, 1, 2], closed.Select(c => c.Segment.SequenceNumber));
        Assert.All(closed, c =>
        {
            Assert.True(c.Segment.Parts[0].Independent);
            Assert.All(c.Segment.Parts, part => Assert.True(part.Duration <= 0.25));
            Assert.InRange(c.Segment.Duration, 1.0, 1.1);
            Assert.Equal(c.Segment.Parts.Sum(p => p.ByteLength), c.Parts.Sum(bytes => bytes.Length));
        });
        Assert.Equal(Noon.AddSeconds(2), closed[2].Segment.ProgramDateTime);
        Assert.Equal(1, segmenter.Playlist.TargetDuration);
    }

    [Fact]
    public void A_segment_closes_only_on_an_independent_part_once_it_reached_its_target()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);

        // A keyframe every five 250 ms parts: the 1 s target is reached after four, the cut waits for the keyframe.
        var updates = Enumerable.Range(0, 11).Select(i => segmenter.Append(i * 250, 250, i % 5 == 0, new byte[10])).ToList();

        var cutAt = updates.Select((update, i) => (update, i)).Where(x => x.update.CompletedSegment is not null).Select(x => x.i);
        Assert.Equal([5, 10], cutAt);
        Assert.Equal(1.25, updates[5].CompletedSegment!.Segment.Duration);
        Assert.Equal("part5.m4s", updates[5].CompletedPart!.Part.Uri);
        var open = updates[5].Playlist.Open!;
        Assert.Equal((1L, Noon.AddSeconds(1.25)), (open.SequenceNumber, open.ProgramDateTime));
        Assert.Equal(updates[5].CompletedPart!.Part, Assert.Single(open.Parts));
        Assert.Equal("part6.m4s", updates[5].Playlist.NextPartUri);

        // 1.25 s rounds to 1: EXT-X-TARGETDURATION still covers every segment (RFC 8216bis §4.4.3.1).
        Assert.All(updates, update => Assert.Equal(1, update.Playlist.TargetDuration));
        Assert.All(segmenter.Playlist.Segments, segment => Assert.True(segment.Parts[0].Independent));
        Assert.All(updates, update => Assert.Null(update.SecondsWithoutKeyframe));
    }

    [Theory]
    [InlineData(248, 4)] // keyframes 0.992 s apart (a clock a little fast): waiting for the next one would make 1.98 s
    [InlineData(250, 3)] // 0.75 s apart: two of them would make 1.5 s, which rounds to 2
    [InlineData(250, 2)] // 0.5 s apart: two make the 1 s target
    public void Keyframes_closer_than_the_target_close_segments_that_fit_the_target_duration(int partMilliseconds, int partsPerKeyframe)
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);

        var updates = Enumerable.Range(0, 60)
            .Select(i => segmenter.Append(i * partMilliseconds, partMilliseconds, i % partsPerKeyframe == 0, new byte[1]))
            .ToList();

        var segments = updates.Select(update => update.CompletedSegment?.Segment).OfType<Segment>().ToList();
        Assert.True(segments.Count >= 10, $"{segments.Count} segments");
        Assert.All(segments, segment => Assert.True(segment.Parts[0].Independent, $"segment {segment.SequenceNumber} starts without a keyframe"));
        Assert.All(segments, segment => Assert.True(RoundsWithin(segment.Duration, 1), $"segment {segment.SequenceNumber} lasts {segment.Duration} s"));
        Assert.All(updates, update => Assert.Equal(1, update.Playlist.TargetDuration));
    }

    [Fact]
    public void An_extra_keyframe_at_a_scene_change_starts_a_segment_and_is_not_taken_for_keyframes_too_far_apart()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);

        // FFmpeg's 200 ms fragments of a source with a keyframe every second (x264 -g 30) that also puts one at a
        // scene change, half a second into its GOP: FFmpeg cuts a short fragment before it, and the encoder's next
        // regular keyframe comes a whole second after the extra one (this is what a picture clock's carry does).
        var fragments = new List<(long Start, long Duration, bool Keyframe)>();
        for (var t = 0L; t < 4000; t += 200)
        {
            fragments.Add((t, 200, t % 1000 == 0));
        }

        fragments.AddRange([(4000, 200, true), (4200, 200, false), (4400, 100, false)]);
        for (var t = 4500L; t < 9500; t += 200)
        {
            fragments.Add((t, 200, (t - 4500) % 1000 == 0));
        }

        var updates = fragments.Select(f => segmenter.Append(f.Start, f.Duration, f.Keyframe, new byte[1])).ToList();

        // The source is fine: nothing says it must be re-encoded, and every segment starts on a keyframe.
        Assert.All(updates, update => Assert.Null(update.SecondsWithoutKeyframe));
        var segments = updates.Select(update => update.CompletedSegment?.Segment).OfType<Segment>().ToList();
        Assert.True(segments.Count >= 8, $"{segments.Count} segments");
        Assert.All(segments, segment => Assert.True(segment.Parts[0].Independent, $"segment {segment.SequenceNumber} starts without a keyframe"));
        Assert.All(segments, segment => Assert.True(RoundsWithin(segment.Duration, 1), $"segment {segment.SequenceNumber} lasts {segment.Duration} s"));
        // The segment before the extra keyframe closes at it, half a second long.
        Assert.Contains(segments, segment => segment.Duration == 0.5);
    }

    [Fact]
    public void Keyframes_eight_seconds_apart_are_cut_between_without_changing_the_target_duration()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);

        // OBS's automatic keyframe interval: one every 8 s, for 40 s in 250 ms parts.
        var updates = Enumerable.Range(0, 160).Select(i => segmenter.Append(i * 250, 250, i % 32 == 0, new byte[1])).ToList();

        var segments = updates.Select(update => update.CompletedSegment?.Segment).OfType<Segment>().ToList();
        Assert.True(segments.Count >= 30, $"{segments.Count} segments");
        Assert.All(segments, segment => Assert.True(RoundsWithin(segment.Duration, 1), $"segment {segment.SequenceNumber} lasts {segment.Duration} s"));
        Assert.All(updates, update => Assert.Equal(1, update.Playlist.TargetDuration));

        // §6.2.1 only asks for cuts on keyframes where possible: the ones between start with a dependent part, and
        // the update that cuts there says how long the video has gone without a keyframe.
        Assert.Contains(segments, segment => !segment.Parts[0].Independent);
        var firstCut = updates.First(update => update.CompletedSegment is not null);
        Assert.Equal(1.25, firstCut.CompletedSegment!.Segment.Duration);
        Assert.Equal(1.25, firstCut.SecondsWithoutKeyframe);

        // The next keyframe starts a segment of its own rather than wait inside one that could not reach the next.
        Assert.Equal(0.5, updates[32].CompletedSegment!.Segment.Duration);
        Assert.True(updates[32].Playlist.Open!.Parts[0].Independent);
        Assert.Null(updates[32].SecondsWithoutKeyframe);
    }

    [Fact]
    public void Without_any_keyframe_segments_are_still_cut_and_the_playlist_stays_bounded()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);
        var longestOpen = 0;
        var stored = 0L;

        // An encoder that sends one keyframe and never another (x264 keyint=infinite, intra refresh): an hour of parts.
        for (var i = 0; i < 14_400; i++)
        {
            var update = segmenter.Append(i * 250, 250, i == 0, new byte[100]);
            longestOpen = Math.Max(longestOpen, update.Playlist.Open?.Parts.Count ?? 0);
            Assert.Equal(1, update.Playlist.TargetDuration);
            if (update.CompletedSegment is { } segment)
            {
                Assert.True(RoundsWithin(segment.Segment.Duration, 1), $"segment {segment.Segment.SequenceNumber} lasts {segment.Segment.Duration} s");
                stored += segment.Parts.Sum(bytes => bytes.Length);
            }
        }

        Assert.Equal(5, longestOpen);
        Assert.True(segmenter.Playlist.MediaSequence > 2_800, $"MEDIA-SEQUENCE {segmenter.Playlist.MediaSequence}");
        Assert.Equal(10, segmenter.Playlist.Segments.Count);
        Assert.Equal(14_400L * 100, stored + segmenter.Playlist.Open!.Parts.Sum(part => part.ByteLength));
        Assert.Equal(1, segmenter.End().Playlist.TargetDuration);
    }

    [Fact]
    public void A_part_longer_than_a_segment_may_last_is_left_out()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);
        segmenter.Append(0, 250, true, new byte[1]);

        // One frame of two seconds (a publisher sending a picture now and then) fits in no segment of at most 1 s.
        var update = segmenter.Append(250, 2000, false, new byte[1]);
        segmenter.Append(2250, 250, true, new byte[1]);

        Assert.Null(update.CompletedPart);
        Assert.Null(update.CompletedSegment);
        Assert.Equal(["part0.m4s", "part1.m4s"], segmenter.Playlist.Open!.Parts.Select(part => part.Uri));
        Assert.Equal(1, segmenter.End().Playlist.TargetDuration);
    }

    [Fact]
    public void The_window_keeps_the_newest_segments_and_reports_the_ones_that_left()
    {
        var segmenter = new Segmenter(new SegmenterOptions { WindowSegments = 4 }, Timescale, Noon);
        var removed = new List<Segment>();

        for (var i = 0; i < 40; i++)
        {
            removed.AddRange(segmenter.Append(i * 250, 250, i % 4 == 0, new byte[1]).Removed);
        }

        // Segments 0..8 are complete, 9 is open; 5..8 stay.
        Assert.Equal([5L, 6, 7, 8], segmenter.Playlist.Segments.Select(s => s.SequenceNumber));
        Assert.Equal(5, segmenter.Playlist.MediaSequence);
        Assert.Equal([0L, 1, 2, 3, 4], removed.Select(s => s.SequenceNumber));
    }

    [Fact]
    public void The_window_never_leaves_a_live_playlist_shorter_than_three_target_durations()
    {
        var segmenter = new Segmenter(new SegmenterOptions { WindowSegments = 1 }, Timescale, Noon);

        for (var i = 0; i < 40; i++)
        {
            segmenter.Append(i * 250, 250, i % 4 == 0, new byte[1]);
        }

        Assert.Equal(3, segmenter.Playlist.Segments.Count);
    }

    [Fact]
    public void A_discontinuity_closes_the_segment_and_marks_the_next_one()
    {
        var segmenter = new Segmenter(new SegmenterOptions { WindowSegments = 3 }, Timescale, Noon);
        segmenter.Append(0, 250, true, new byte[1]);
        segmenter.Append(250, 250, false, new byte[1]);

        var update = segmenter.Discontinuity(Noon.AddMinutes(1));

        Assert.Equal(0.5, update.CompletedSegment!.Segment.Duration);
        Assert.False(update.CompletedSegment.Segment.Discontinuity);
        Assert.Null(update.Playlist.Open);

        // The restarted FFmpeg counts from zero again, against the new time zero.
        segmenter.Append(0, 250, true, new byte[1]);
        Assert.Equal(new OpenSegment(1, segmenter.Playlist.Open!.Parts, Noon.AddMinutes(1), true), segmenter.Playlist.Open);

        for (var i = 1; i < 24; i++)
        {
            segmenter.Append(i * 250, 250, i % 4 == 0, new byte[1]);
        }

        // Segment 1 carried the discontinuity; once it leaves the window the sequence counts it.
        Assert.Equal(3, segmenter.Playlist.MediaSequence);
        Assert.Equal(1, segmenter.Playlist.DiscontinuitySequence);
        Assert.DoesNotContain(segmenter.Playlist.Segments, segment => segment.Discontinuity);
    }

    [Fact]
    public void A_discontinuity_before_any_media_marks_nothing()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);

        segmenter.Discontinuity(Noon);
        segmenter.Append(0, 250, true, new byte[1]);

        Assert.False(segmenter.Playlist.Open!.Discontinuity);
    }

    [Fact]
    public void End_closes_the_open_segment_and_ends_the_playlist()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), Timescale, Noon);
        segmenter.Append(0, 250, true, new byte[3]);
        segmenter.Append(250, 250, false, new byte[4]);

        var update = segmenter.End();

        Assert.Equal([3, 4], update.CompletedSegment!.Parts.Select(p => p.Length));
        Assert.True(update.Playlist.Ended);
        Assert.Null(update.Playlist.Open);
        Assert.Throws<InvalidOperationException>(() => segmenter.Append(500, 250, true, new byte[1]));
        Assert.Throws<InvalidOperationException>(() => segmenter.End());
    }

    /// <summary>Whether the EXTINF, as the playlist writes it (five decimals), rounds to at most the target duration.</summary>
    private static bool RoundsWithin(double seconds, int targetDuration) =>
        Math.Round(double.Parse(seconds.ToString("0.00000", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero) <= targetDuration;

    private static IEnumerable<SegmenterUpdate.SegmentBytes> Closed(SegmenterUpdate update) =>
        update.CompletedSegment is { } segment ? [segment] : [];
}

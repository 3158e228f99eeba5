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

        // A keyframe every six 250 ms parts: the 1 s target is reached after four, the cut waits for the keyframe.
        var updates = Enumerable.Range(0, 13).Select(i => segmenter.Append(i * 250, 250, i % 6 == 0, new byte[10])).ToList();

        var cutAt = updates.Select((update, i) => (update, i)).Where(x => x.update.CompletedSegment is not null).Select(x => x.i);
        Assert.Equal([6, 12], cutAt);
        Assert.Equal(1.5, updates[6].CompletedSegment!.Segment.Duration);
        Assert.Equal("part6.m4s", updates[6].CompletedPart!.Part.Uri);
        var open = updates[6].Playlist.Open!;
        Assert.Equal((1L, Noon.AddSeconds(1.5)), (open.SequenceNumber, open.ProgramDateTime));
        Assert.Equal(updates[6].CompletedPart!.Part, Assert.Single(open.Parts));
        Assert.Equal("part7.m4s", updates[6].Playlist.NextPartUri);

        // 1.5 s rounds to 2: EXT-X-TARGETDURATION covers every segment (RFC 8216bis §4.4.3.1).
        Assert.Equal(2, segmenter.Playlist.TargetDuration);
        Assert.All(segmenter.Playlist.Segments, segment => Assert.True(segment.Parts[0].Independent));
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

    private static IEnumerable<SegmenterUpdate.SegmentBytes> Closed(SegmenterUpdate update) =>
        update.CompletedSegment is { } segment ? [segment] : [];
}

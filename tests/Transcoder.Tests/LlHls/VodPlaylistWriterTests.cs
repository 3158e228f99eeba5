using Nio.Shared.LlHls;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class VodPlaylistWriterTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lists_every_segment_with_its_init_and_the_discontinuities_and_ends()
    {
        var text = VodPlaylistWriter.Write(
        [
            new("a-seg0.m4s", 1.0, Noon, false, "a-init0.mp4"),
            new("a-seg1.m4s", 1.6, Noon.AddSeconds(1), false, "a-init0.mp4"),
            new("a-seg2.m4s", 0.5, Noon.AddSeconds(2.6), true, "a-init1.mp4"),
            new("b-seg0.m4s", 1.0, Noon.AddMinutes(5), true, "b-init0.mp4"),
        ]);

        Assert.Equal(
            """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:2
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-MAP:URI="a-init0.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z
            #EXTINF:1.00000,
            a-seg0.m4s
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:01.000Z
            #EXTINF:1.60000,
            a-seg1.m4s
            #EXT-X-DISCONTINUITY
            #EXT-X-MAP:URI="a-init1.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:02.600Z
            #EXTINF:0.50000,
            a-seg2.m4s
            #EXT-X-DISCONTINUITY
            #EXT-X-MAP:URI="b-init0.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:05:00.000Z
            #EXTINF:1.00000,
            b-seg0.m4s
            #EXT-X-ENDLIST

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Part_window_starts_three_target_durations_before_the_end()
    {
        Segment Whole(long msn) => new(msn, MediaUris.Segment("", msn), 1, [], Noon, false);
        var playlist = new MediaPlaylist(0.25, 1, 7, 0, [Whole(7), Whole(8), Whole(9), Whole(10), Whole(11)], null, "part0.m4s", false);

        // Ends at 5 s: segments starting at 2 s or later keep their parts.
        Assert.Equal(2, playlist.FirstSegmentWithParts);
    }
}

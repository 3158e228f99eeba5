using System.Globalization;
using Nio.Shared.LlHls;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class MediaPlaylistWriterTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly RenditionReport[] Reports = [new("../360p/index.m3u8", 4, 1)];

    // One table drives the exact-text cases.
    public static TheoryData<string, MediaPlaylist, RenditionReport[], string> Cases => new()
    {
        {
            "the first parts of a live stream",
            new MediaPlaylist(0.5, 1, 0, 0, [], new OpenSegment(0, [Part(0, true), Part(1, false)], Noon, false), "part2.m4s", false),
            Reports,
            """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:1
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.50000
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part1.m4s"
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part2.m4s"
            #EXT-X-RENDITION-REPORT:URI="../360p/index.m3u8",LAST-MSN=4,LAST-PART=1

            """
        },
        {
            "parts only for segments within three target durations of the live edge",
            new MediaPlaylist(0.5, 1, 7, 0, [Segment(7, 0), Segment(8, 1), Segment(9, 2), Segment(10, 3)], new OpenSegment(11, [Part(8, true)], Noon.AddSeconds(4), false), "part9.m4s", false),
            [],
            """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:1
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.50000
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-MEDIA-SEQUENCE:7
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z
            #EXTINF:1.00000,
            seg7.m4s
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:01.000Z
            #EXTINF:1.00000,
            seg8.m4s
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:02.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part4.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part5.m4s"
            #EXTINF:1.00000,
            seg9.m4s
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:03.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part6.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part7.m4s"
            #EXTINF:1.00000,
            seg10.m4s
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:04.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part8.m4s",INDEPENDENT=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part9.m4s"

            """
        },
        {
            "a discontinuity after the publisher reconnected, with an earlier one gone from the window: each run's own init",
            new MediaPlaylist(0.5, 1, 20, 1,
                [
                    Segment(20, 0) with { InitUri = "t-init2.mp4" },
                    Segment(21, 1) with { Discontinuity = true, ProgramDateTime = Noon.AddMinutes(5).AddMilliseconds(7), InitUri = "t-init3.mp4" },
                ],
                null, "part4.m4s", false),
            [],
            """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:1
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.50000
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-MEDIA-SEQUENCE:20
            #EXT-X-DISCONTINUITY-SEQUENCE:1
            #EXT-X-MAP:URI="t-init2.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part1.m4s"
            #EXTINF:1.00000,
            seg20.m4s
            #EXT-X-DISCONTINUITY
            #EXT-X-MAP:URI="t-init3.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:05:00.007Z
            #EXT-X-PART:DURATION=0.50000,URI="part2.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part3.m4s"
            #EXTINF:1.00000,
            seg21.m4s
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part4.m4s"

            """
        },
        {
            "an ended stream: no preload hint, no rendition reports",
            new MediaPlaylist(0.5, 2, 0, 0, [Segment(0, 0) with { Duration = 1.33333 }], null, "part2.m4s", true),
            Reports,
            """
            #EXTM3U
            #EXT-X-VERSION:9
            #EXT-X-TARGETDURATION:2
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.50000
            #EXT-X-PART-INF:PART-TARGET=0.50000
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z
            #EXT-X-PART:DURATION=0.50000,URI="part0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.50000,URI="part1.m4s"
            #EXTINF:1.33333,
            seg0.m4s
            #EXT-X-ENDLIST

            """
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_the_exact_playlist(string name, MediaPlaylist playlist, RenditionReport[] reports, string expected)
    {
        var actual = MediaPlaylistWriter.Write(playlist, reports);

        Assert.True(expected.ReplaceLineEndings("\n") == actual, $"{name}:\n{actual}");
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.25)]
    [InlineData(1.0 / 3)]
    public void Part_hold_back_is_at_least_three_part_targets(double partTarget)
    {
        var text = MediaPlaylistWriter.Write(new MediaPlaylist(partTarget, 1, 0, 0, [], null, "part0.m4s", false), []);

        // Compared as the decimal text a player reads, not as binary floating point.
        var holdBack = decimal.Parse(Attribute(text, "PART-HOLD-BACK="), CultureInfo.InvariantCulture);
        var target = decimal.Parse(Attribute(text, "PART-TARGET="), CultureInfo.InvariantCulture);
        Assert.True(holdBack >= 3 * target, $"{holdBack} < 3 × {target}");
    }

    [Fact]
    public void Writes_in_the_invariant_culture_whatever_the_current_one()
    {
        var playlist = new MediaPlaylist(0.25, 1, 0, 0, [Segment(0, 0)], null, "part2.m4s", false);
        var expected = MediaPlaylistWriter.Write(playlist, Reports);
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(expected, MediaPlaylistWriter.Write(playlist, Reports));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void A_segmenter_playlist_keeps_parts_near_the_live_edge_only()
    {
        var segmenter = new Segmenter(new SegmenterOptions(), 1000, DateTimeOffset.UnixEpoch);
        for (var i = 0; i < 40; i++)
        {
            segmenter.Append(i * 250, 250, i % 4 == 0, new byte[1]);
        }

        var text = MediaPlaylistWriter.Write(segmenter.Playlist, []);

        // Nine complete 1 s segments and an open one of four parts: the playlist lasts 10 s and TARGETDURATION is 1, so
        // the segments starting at 7 s and 8 s keep their parts, and the open one shows its own.
        Assert.Equal(3 * 4, text.Split('\n').Count(line => line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal)));
        Assert.Contains("#EXT-X-PART:DURATION=0.25000,URI=\"part28.m4s\",INDEPENDENT=YES\n#EXT-X-PART:DURATION=0.25000,URI=\"part29.m4s\"\n", text);
        Assert.DoesNotContain("URI=\"part27.m4s\"", text);
        Assert.EndsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part40.m4s\"\n", text);
    }

    private static string Attribute(string text, string name)
    {
        var start = text.IndexOf(name, StringComparison.Ordinal) + name.Length;
        return text[start..text.IndexOfAny([',', '\n'], start)];
    }

    private static Segment Segment(long msn, int index) =>
        new(msn, MediaUris.Segment("", msn), 1, [Part(2 * index, true), Part(2 * index + 1, false)], Noon.AddSeconds(index), false);

    private static Part Part(long number, bool independent) => new(MediaUris.Part("", number), 0.5, independent, 100);
}

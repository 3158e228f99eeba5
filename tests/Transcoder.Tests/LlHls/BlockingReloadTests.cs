using Nio.Shared.LlHls;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class BlockingReloadTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // Segments 10, 11 and 12 of four parts each are complete; segment 13 has two parts so far. PART-TARGET 0.25 s
    // makes the Advance Part Limit 3 / 0.25 = 12 parts.
    private static readonly MediaPlaylist Live = new(
        0.25, 1, 10, 0, [Segment(10), Segment(11), Segment(12)], new OpenSegment(13, [Part(), Part()], Noon, false), "part54.m4s", false);

    [Theory]
    [InlineData(null, null, BlockingReloadDecision.Ready)] // no directives: a plain reload
    [InlineData(null, "1", BlockingReloadDecision.BadRequest)] // _HLS_part without _HLS_msn
    [InlineData("", null, BlockingReloadDecision.BadRequest)]
    [InlineData("abc", null, BlockingReloadDecision.BadRequest)]
    [InlineData("-1", null, BlockingReloadDecision.BadRequest)]
    [InlineData("+12", null, BlockingReloadDecision.BadRequest)]
    [InlineData("12", "x", BlockingReloadDecision.BadRequest)]
    [InlineData("99999999999999999999", null, BlockingReloadDecision.BadRequest)]
    [InlineData("5", null, BlockingReloadDecision.Ready)] // long gone from the window: the whole playlist, now
    [InlineData("12", null, BlockingReloadDecision.Ready)] // the last complete segment
    [InlineData("13", null, BlockingReloadDecision.Wait)] // open: a segment counts once complete
    [InlineData("14", null, BlockingReloadDecision.Wait)] // last + 2 is the furthest one may wait for
    [InlineData("15", null, BlockingReloadDecision.BadRequest)] // last + 3
    [InlineData("11", "9", BlockingReloadDecision.Ready)] // a later segment exists
    [InlineData("12", "3", BlockingReloadDecision.Ready)] // the last part of the last complete segment
    [InlineData("12", "4", BlockingReloadDecision.Ready)] // past the last part: part 0 of segment 13, which exists
    [InlineData("13", "1", BlockingReloadDecision.Ready)]
    [InlineData("13", "2", BlockingReloadDecision.Wait)] // the next part
    [InlineData("13", "13", BlockingReloadDecision.Wait)] // 12 parts ahead: at the limit
    [InlineData("13", "14", BlockingReloadDecision.BadRequest)] // 13 parts ahead
    [InlineData("14", "0", BlockingReloadDecision.Wait)]
    [InlineData("14", "11", BlockingReloadDecision.Wait)] // at least 12 parts ahead
    [InlineData("14", "12", BlockingReloadDecision.BadRequest)] // at least 13 parts ahead
    [InlineData("15", "0", BlockingReloadDecision.BadRequest)]
    public void Live_playlist(string? msn, string? part, BlockingReloadDecision expected)
    {
        Assert.Equal(expected, BlockingReload.Decide(Live, msn, part));
    }

    // Found by fuzzing (tests/Fuzz, playlist-query): one more than the largest part index wrapped around to a negative
    // count of parts ahead, so the request was held for three target durations and then answered 503.
    [Theory]
    [InlineData("13", "9223372036854775807")]
    [InlineData("14", "9223372036854775807")]
    [InlineData("14", "9223372036854775806")]
    public void A_part_index_at_the_top_of_the_number_range_is_a_bad_request(string msn, string part)
    {
        Assert.Equal(BlockingReloadDecision.BadRequest, BlockingReload.Decide(Live with { Open = null }, msn, part));
    }

    [Fact]
    public void A_part_past_the_end_of_a_segment_waits_for_the_first_part_of_the_next()
    {
        var betweenSegments = Live with { Open = null };

        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(betweenSegments, "12", "4"));
        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(betweenSegments, "13", "0"));
        Assert.Equal(BlockingReloadDecision.Ready, BlockingReload.Decide(betweenSegments, "12", "3"));
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("99", "99")]
    [InlineData("abc", null)]
    public void Directives_are_ignored_once_the_playlist_has_ended(string? msn, string? part)
    {
        Assert.Equal(BlockingReloadDecision.Ready, BlockingReload.Decide(Live with { Open = null, Ended = true }, msn, part));
    }

    [Fact]
    public void Before_the_first_segment_the_first_parts_can_be_waited_for()
    {
        var starting = new MediaPlaylist(0.25, 1, 0, 0, [], new OpenSegment(0, [Part()], Noon, false), "part1.m4s", false);

        Assert.Equal(BlockingReloadDecision.Ready, BlockingReload.Decide(starting, "0", "0"));
        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(starting, "0", "1"));
        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(starting, "0", null));
        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(starting, "1", null));
        Assert.Equal(BlockingReloadDecision.BadRequest, BlockingReload.Decide(starting, "2", null));
    }

    [Fact]
    public void The_advance_part_limit_is_three_parts_when_parts_last_a_second_or_more()
    {
        var slow = Live with { PartTarget = 1 };

        Assert.Equal(BlockingReloadDecision.Wait, BlockingReload.Decide(slow, "13", "4"));
        Assert.Equal(BlockingReloadDecision.BadRequest, BlockingReload.Decide(slow, "13", "5"));
    }

    private static Segment Segment(long msn) =>
        new(msn, MediaUris.Segment("", msn), 1, [Part(), Part(), Part(), Part()], Noon, false);

    private static Part Part() => new("part.m4s", 0.25, true, 100);
}

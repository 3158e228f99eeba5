using Nio.Shared.LlHls;

namespace Nio.Transcoder.Tests.LlHls;

public sealed class MediaUrisTests
{
    [Theory]
    [InlineData("", 0L)]
    [InlineData("18c2f3a91b4", 12L)]
    public void A_part_name_gives_back_its_broadcast_and_number(string broadcast, long number)
    {
        Assert.True(MediaUris.TryParsePart(MediaUris.Part(broadcast, number), out var parsedBroadcast, out var parsedNumber));
        Assert.Equal((broadcast, number), (parsedBroadcast, parsedNumber));
    }

    [Theory]
    [InlineData("18c2f3a91b4-seg3.m4s")]
    [InlineData("init.mp4")]
    [InlineData("part.m4s")]
    [InlineData("part-1.m4s")]
    [InlineData("part1.mp4")]
    [InlineData("part 1.m4s")]
    [InlineData("part99999999999999999999.m4s")]
    public void Other_names_are_not_parts(string uri) => Assert.False(MediaUris.TryParsePart(uri, out _, out _));
}

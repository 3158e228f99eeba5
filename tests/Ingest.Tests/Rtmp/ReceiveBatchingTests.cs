using Nio.Ingest.Rtmp;

namespace Nio.Ingest.Tests.Rtmp;

/// <summary>How many bytes a publisher's socket gathers before the Ingest is woken to read them.</summary>
public sealed class ReceiveBatchingTests
{
    [Theory]
    [InlineData(0L, 1)]
    [InlineData(16_000L, 320)] // 128 kb/s of audio alone
    [InlineData(328_000L, 6_560)] // 2.5 Mb/s of video and 128 kb/s of audio
    [InlineData(100_000_000L, ReceiveBatching.MaxLowWaterMark)]
    public void A_read_waits_for_20_ms_of_the_publishers_bytes_within_bounds(long bytesPerSecond, int lowWaterMark) =>
        Assert.Equal(lowWaterMark, ReceiveBatching.LowWaterMark(bytesPerSecond));
}

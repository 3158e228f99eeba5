using Nio.WebRtc.Rtp.Opus;

namespace Nio.WebRtc.Tests.Rtp.Opus;

public sealed class OpusDepacketizerTests
{
    [Theory]
    [InlineData(new byte[] { 0x78 }, 960)] // config 15, Hybrid FB 20 ms: what browsers send
    [InlineData(new byte[] { 0x00 }, 480)] // SILK NB 10 ms
    [InlineData(new byte[] { 0x18 }, 2880)] // SILK NB 60 ms
    [InlineData(new byte[] { 0x80 }, 120)] // CELT NB 2.5 ms
    [InlineData(new byte[] { 0xF9 }, 1920)] // CELT FB 20 ms, two frames
    [InlineData(new byte[] { 0x1B, 0x02 }, 5760)] // SILK 60 ms, code 3 with two frames: 120 ms, the most allowed
    public void The_duration_comes_from_the_TOC_byte(byte[] packet, int samples)
    {
        Assert.True(OpusDepacketizer.TryGetDuration(packet, out var duration));
        Assert.Equal(samples, duration);
    }

    [Theory]
    [InlineData(new byte[0])] // R1: at least one byte
    [InlineData(new byte[] { 0x7B })] // R6: code 3 without its frame count byte
    [InlineData(new byte[] { 0x7B, 0x00 })] // no frames
    [InlineData(new byte[] { 0x7B, 0x07 })] // 7 × 20 ms: more than 120 ms
    public void Impossible_packets_are_refused(byte[] packet) => Assert.False(OpusDepacketizer.TryGetDuration(packet, out _));

    [Fact]
    public void Timestamps_are_extended_through_the_wrap()
    {
        var depacketizer = new OpusDepacketizer();
        Assert.True(depacketizer.TryRead([0x78, 1, 2], uint.MaxValue - 959, out var first));
        Assert.True(depacketizer.TryRead([0x78, 3], 0, out var second));
        Assert.True(depacketizer.TryRead([0x78, 4], 960, out var third));

        Assert.Equal(uint.MaxValue - 959L, first.Timestamp);
        Assert.Equal(first.Timestamp + 960, second.Timestamp);
        Assert.Equal(second.Timestamp + 960, third.Timestamp);
        Assert.Equal(960, second.DurationSamples);
        Assert.Equal([0x78, 3], second.Data.ToArray());
    }
}

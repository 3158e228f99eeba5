using Nio.WebRtc.Rtp;

namespace Nio.WebRtc.Tests.Rtp;

public sealed class RtpReceiveStatisticsTests
{
    [Fact]
    public void Loss_is_reported_cumulatively_and_as_a_fraction_of_each_interval_across_the_wrap()
    {
        var statistics = new RtpReceiveStatistics(1, 90_000);
        var time = TimeSpan.Zero;
        // 100 packets from 65,500 on (through the wrap), every tenth lost.
        for (var i = 0; i < 100; i++)
        {
            if (i % 10 != 5)
            {
                statistics.OnPacket((ushort)(65_500 + i), 0, time);
            }
        }

        var first = statistics.CreateReportBlock(time)!.Value;
        Assert.Equal(10, first.CumulativeLost);
        Assert.Equal(256 * 10 / 100, first.FractionLost);
        Assert.Equal((uint)(65_536 + 63), first.ExtendedHighestSequenceNumber);

        // Then 50 more, none lost, and one duplicate: the interval's fraction is zero, the total unchanged.
        for (var i = 100; i < 150; i++)
        {
            statistics.OnPacket((ushort)(65_500 + i), 0, time);
        }

        statistics.OnPacket(unchecked((ushort)(65_500 + 120)), 0, time);
        var second = statistics.CreateReportBlock(time)!.Value;
        Assert.Equal(0, second.FractionLost);
        Assert.Equal(9, second.CumulativeLost); // the duplicate counts as received, as RFC 3550 A.3 says
    }

    [Fact]
    public void Jitter_follows_RFC_3550_A_8_for_arrivals_that_alternate_by_ten_milliseconds()
    {
        var statistics = new RtpReceiveStatistics(1, 48_000);
        for (var i = 0; i < 500; i++)
        {
            // Sent every 20 ms; every other packet arrives 10 ms late: |D| is 480 timestamp units each time.
            var arrival = TimeSpan.FromMilliseconds(20 * i + (i % 2 == 0 ? 0 : 10));
            statistics.OnPacket((ushort)i, (uint)(960 * i), arrival);
        }

        Assert.InRange(statistics.Jitter, 478u, 480u);
    }

    [Fact]
    public void Jitter_is_zero_for_a_steady_stream_through_the_timestamp_wrap()
    {
        var statistics = new RtpReceiveStatistics(1, 90_000);
        for (var i = 0; i < 200; i++)
        {
            statistics.OnPacket((ushort)i, uint.MaxValue - 30_000 + (uint)(3000 * i), TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(333_333 * i + i / 3));
        }

        Assert.InRange(statistics.Jitter, 0u, 1u);
    }

    [Fact]
    public void The_last_sender_report_is_echoed_with_the_delay_since_it_arrived()
    {
        var statistics = new RtpReceiveStatistics(7, 90_000);
        statistics.OnPacket(1, 0, TimeSpan.FromSeconds(1));
        Assert.Equal(0u, statistics.CreateReportBlock(TimeSpan.FromSeconds(1))!.Value.LastSenderReport);

        statistics.OnSenderReport(0x0123_4567_89AB_CDEF, TimeSpan.FromSeconds(1));
        var block = statistics.CreateReportBlock(TimeSpan.FromSeconds(1.5))!.Value;

        Assert.Equal(0x4567_89ABu, block.LastSenderReport);
        Assert.Equal(32_768u, block.DelaySinceLastSenderReport);
    }

    [Fact]
    public void A_source_that_restarts_its_sequence_numbers_is_followed_after_two_packets()
    {
        var statistics = new RtpReceiveStatistics(1, 90_000);
        for (var i = 0; i < 10; i++)
        {
            statistics.OnPacket((ushort)(1000 + i), 0, TimeSpan.Zero);
        }

        statistics.OnPacket(40_000, 0, TimeSpan.Zero);
        statistics.OnPacket(40_001, 0, TimeSpan.Zero);
        statistics.OnPacket(40_002, 0, TimeSpan.Zero);

        var block = statistics.CreateReportBlock(TimeSpan.Zero)!.Value;
        Assert.Equal(40_002u, block.ExtendedHighestSequenceNumber);
        Assert.Equal(0, block.CumulativeLost);
    }
}

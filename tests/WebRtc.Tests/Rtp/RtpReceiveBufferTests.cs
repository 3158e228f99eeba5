using Nio.WebRtc.Rtp;

namespace Nio.WebRtc.Tests.Rtp;

public sealed class RtpReceiveBufferTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Reordered_packets_come_out_in_sequence_order_across_the_wrap()
    {
        var buffer = new RtpReceiveBuffer();
        ushort[] arrivals = [65_533, 65_535, 65_534, 1, 0, 2, 4, 3];
        var read = new List<ushort>();
        foreach (var sequence in arrivals)
        {
            Assert.Equal(RtpInsertResult.Inserted, buffer.Insert(Packet(sequence), TimeSpan.Zero));
            while (buffer.TryRead(TimeSpan.Zero, out var packet))
            {
                Assert.Equal(0, packet.LostBefore);
                Assert.Equal(Packet(packet.SequenceNumber), packet.Packet.ToArray());
                read.Add(packet.SequenceNumber);
            }
        }

        Assert.Equal([65_533, 65_534, 65_535, 0, 1, 2, 3, 4], read);
        Assert.False(buffer.KeyframeRequested);
        Assert.Equal(RtpInsertResult.Late, buffer.Insert(Packet(2), TimeSpan.Zero));
    }

    [Fact]
    public void A_missing_packet_is_NACKed_after_the_delay_retried_and_given_up_with_a_keyframe_request()
    {
        var options = new RtpReceiveBufferOptions
        {
            MaxReorderDelay = 100 * Ms, NackDelay = 10 * Ms, NackRetryInterval = 30 * Ms, MaxNacksPerPacket = 2,
        };
        var buffer = new RtpReceiveBuffer(options);
        Span<ushort> nacks = stackalloc ushort[16];
        buffer.Insert(Packet(10), TimeSpan.Zero);
        Assert.True(buffer.TryRead(TimeSpan.Zero, out _));
        buffer.Insert(Packet(13), 1 * Ms); // 11 and 12 missing

        Assert.False(buffer.TryRead(1 * Ms, out _));
        Assert.Equal(0, buffer.CollectNacks(5 * Ms, nacks));
        Assert.Equal(11 * Ms, buffer.NextDeadline());
        Assert.Equal([11, 12], nacks[..buffer.CollectNacks(11 * Ms, nacks)].ToArray());
        Assert.Equal(0, buffer.CollectNacks(20 * Ms, nacks));

        // 12 is retransmitted; 11 is asked for once more, then no more.
        Assert.Equal(RtpInsertResult.Inserted, buffer.Insert(Packet(12), 25 * Ms));
        Assert.Equal([11], nacks[..buffer.CollectNacks(41 * Ms, nacks)].ToArray());
        Assert.Equal(0, buffer.CollectNacks(90 * Ms, nacks));
        Assert.False(buffer.TryRead(90 * Ms, out _));

        Assert.Equal(101 * Ms, buffer.NextDeadline());
        Assert.True(buffer.TryRead(101 * Ms, out var packet));
        Assert.Equal((12, 1), (packet.SequenceNumber, packet.LostBefore));
        Assert.True(buffer.TakeKeyframeRequest());
        Assert.False(buffer.KeyframeRequested);
        Assert.True(buffer.TryRead(101 * Ms, out packet));
        Assert.Equal((13, 0), (packet.SequenceNumber, packet.LostBefore));
        Assert.Equal(1, buffer.PacketsLost);
        Assert.Equal(RtpInsertResult.Late, buffer.Insert(Packet(11), 102 * Ms));
    }

    [Fact]
    public void Duplicates_oversized_and_malformed_packets_are_refused()
    {
        var buffer = new RtpReceiveBuffer(new RtpReceiveBufferOptions { MaxPacketSize = 200 });
        Assert.Equal(RtpInsertResult.Inserted, buffer.Insert(Packet(1), TimeSpan.Zero));
        Assert.Equal(RtpInsertResult.Duplicate, buffer.Insert(Packet(1), TimeSpan.Zero));
        Assert.Equal(RtpInsertResult.TooLarge, buffer.Insert(RtpPackets.Build(2, 0, 1, new byte[300]), TimeSpan.Zero));
        Assert.Equal(RtpInsertResult.Malformed, buffer.Insert(new byte[11], TimeSpan.Zero));
    }

    [Fact]
    public void A_jump_beyond_the_capacity_or_a_restarted_numbering_starts_afresh_and_asks_for_a_keyframe()
    {
        var buffer = new RtpReceiveBuffer(new RtpReceiveBufferOptions { Capacity = 64 });
        buffer.Insert(Packet(100), TimeSpan.Zero);
        buffer.Insert(Packet(102), TimeSpan.Zero);
        Assert.Equal(RtpInsertResult.Restarted, buffer.Insert(Packet(300), TimeSpan.Zero));
        Assert.True(buffer.TakeKeyframeRequest());
        Assert.True(buffer.TryRead(TimeSpan.Zero, out var packet));
        Assert.Equal(300, packet.SequenceNumber);

        // Numbering restarted far behind: the first such packet is late, the second in a row is followed.
        Assert.Equal(RtpInsertResult.Late, buffer.Insert(Packet(5), TimeSpan.Zero));
        Assert.Equal(RtpInsertResult.Restarted, buffer.Insert(Packet(6), TimeSpan.Zero));
        Assert.True(buffer.TryRead(TimeSpan.Zero, out packet));
        Assert.Equal(6, packet.SequenceNumber);
    }

    [Fact]
    public void Random_arrivals_come_out_once_each_in_order_and_the_rest_counted_as_lost()
    {
        var random = new Random(31);
        var buffer = new RtpReceiveBuffer(new RtpReceiveBufferOptions { Capacity = 128 });
        var now = TimeSpan.Zero;
        var sent = Enumerable.Range(0, 20_000).Select(i => (ushort)(60_000 + i)).Where(_ => random.Next(20) != 0).ToList();
        // Shuffle within windows of 8 packets (of the first window, those before the first to arrive are late).
        for (var i = 0; i + 8 <= sent.Count; i += 8)
        {
            var window = sent.GetRange(i, 8).OrderBy(_ => random.Next()).ToList();
            for (var j = 0; j < 8; j++)
            {
                sent[i + j] = window[j];
            }
        }

        var read = new List<ushort>();
        var lost = 0;
        Span<ushort> nacks = stackalloc ushort[128];
        foreach (var sequence in sent)
        {
            now += Ms;
            buffer.Insert(Packet(sequence), now);
            buffer.CollectNacks(now, nacks);
            while (buffer.TryRead(now, out var packet))
            {
                read.Add(packet.SequenceNumber);
                lost += packet.LostBefore;
            }
        }

        // What the last gaps hold back comes out once they are given up.
        Assert.NotNull(buffer.NextDeadline());
        while (buffer.TryRead(now + TimeSpan.FromSeconds(1), out var last))
        {
            read.Add(last.SequenceNumber);
            lost += last.LostBefore;
        }

        Assert.Null(buffer.NextDeadline());
        var expected = sent.Distinct().ToList();
        Assert.Equal(read.Count, read.Distinct().Count());
        for (var i = 1; i < read.Count; i++)
        {
            Assert.True((ushort)(read[i] - read[i - 1]) is >= 1 and < 100, $"{read[i - 1]} then {read[i]}");
        }

        Assert.True(read.Count >= expected.Count - 8, $"{read.Count} of {expected.Count}");
        Assert.Equal(buffer.PacketsLost, lost);
    }

    private static byte[] Packet(ushort sequenceNumber) => RtpPackets.Build(sequenceNumber, sequenceNumber * 10u, 0x77, [(byte)sequenceNumber, 1, 2]);
}

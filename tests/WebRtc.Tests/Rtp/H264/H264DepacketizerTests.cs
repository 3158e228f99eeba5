using Nio.WebRtc.Rtp.H264;

namespace Nio.WebRtc.Tests.Rtp.H264;

public sealed class H264DepacketizerTests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];
    private static readonly byte[] Idr = [0x65, .. Enumerable.Range(0, 3000).Select(i => (byte)i)];
    private static readonly byte[] Slice = [0x41, 0x9A, 0x02, 0x03];

    private readonly List<(byte[] Data, int NalUnits, bool Keyframe, uint Timestamp, byte[] Sps, byte[] Pps)> _accessUnits = [];
    private ushort _sequence = 65_530;

    [Fact]
    public void A_keyframe_sent_as_STAP_A_and_FU_A_comes_out_as_one_Annex_B_access_unit_with_its_parameter_sets()
    {
        using var depacketizer = Depacketizer();
        Send(depacketizer, 3000, StapA(Sps, Pps), FuA(Idr, 1200));

        var (data, nalUnits, keyframe, timestamp, sps, pps) = Assert.Single(_accessUnits);
        Assert.Equal([.. StartCode, .. Sps, .. StartCode, .. Pps, .. StartCode, .. Idr], data);
        Assert.Equal((3, true, 3000u), (nalUnits, keyframe, timestamp));
        Assert.Equal(Sps, sps);
        Assert.Equal(Pps, pps);
        Assert.Equal(Sps, depacketizer.Sps.ToArray());
        Assert.False(depacketizer.KeyframeRequested);
    }

    [Fact]
    public void Length_prefixed_output_carries_each_NAL_units_length()
    {
        using var depacketizer = Depacketizer(new H264DepacketizerOptions { Format = H264NalFormat.LengthPrefixed });
        Send(depacketizer, 3000, StapA(Sps, Pps), FuA(Idr, 1000));

        Assert.Equal([0, 0, 0, 9, .. Sps, 0, 0, 0, 4, .. Pps, 0, 0, 0x0B, 0xB9, .. Idr], Assert.Single(_accessUnits).Data);
    }

    [Fact]
    public void An_access_unit_without_a_marker_ends_when_the_timestamp_changes()
    {
        using var depacketizer = Depacketizer();
        Send(depacketizer, 0, marker: false, StapA(Sps, Pps), Idr);
        Assert.Empty(_accessUnits);
        Send(depacketizer, 3000, Slice);

        Assert.Equal([(0u, true), (3000u, false)], _accessUnits.Select(a => (a.Timestamp, a.Keyframe)));
    }

    [Fact]
    public void A_lost_fragment_drops_the_picture_and_what_follows_until_the_next_keyframe_and_asks_for_one()
    {
        using var depacketizer = Depacketizer();
        Send(depacketizer, 0, StapA(Sps, Pps), Idr);
        var fragments = FuA([0x41, .. new byte[3000]], 1000);
        Send(depacketizer, 3000, false, fragments[0]);
        _sequence++; // the middle fragment is lost
        Send(depacketizer, 3000, fragments[2]);
        Send(depacketizer, 6000, Slice);

        Assert.Single(_accessUnits);
        Assert.True(depacketizer.TakeKeyframeRequest());
        Assert.Equal(2, depacketizer.AccessUnitsDropped);

        Send(depacketizer, 9000, Idr);
        Send(depacketizer, 12000, Slice);
        Assert.Equal([0u, 9000u, 12000u], _accessUnits.Select(a => a.Timestamp));
    }

    [Fact]
    public void Pictures_before_the_first_keyframe_are_dropped()
    {
        using var depacketizer = Depacketizer();
        Send(depacketizer, 0, Slice);
        Send(depacketizer, 3000, Slice);
        Send(depacketizer, 6000, StapA(Sps, Pps), Idr);

        Assert.Equal([6000u], _accessUnits.Select(a => a.Timestamp));
        Assert.True(depacketizer.KeyframeRequested);
    }

    [Fact]
    public void An_access_unit_over_the_size_bound_is_dropped()
    {
        using var depacketizer = Depacketizer(new H264DepacketizerOptions { MaxAccessUnitSize = 2000 });
        var fragments = FuA(Idr, 1000);
        Assert.Equal(H264PacketResult.Accepted, depacketizer.Push(fragments[0], _sequence++, 0, false));
        Assert.Equal(H264PacketResult.Malformed, depacketizer.Push(fragments[1], _sequence++, 0, false));
        depacketizer.Push(fragments[2], _sequence++, 0, true);
        Send(depacketizer, 3000, Idr[..1000]);

        Assert.Equal([3000u], _accessUnits.Select(a => a.Timestamp));
    }

    [Fact]
    public void Interleaved_mode_packets_are_ignored_and_malformed_ones_refused()
    {
        using var depacketizer = Depacketizer();
        // Each in an access unit of its own: once one is damaged, the rest of its packets are discarded unread.
        Assert.Equal(H264PacketResult.Unsupported, depacketizer.Push([0x5D, 0x85, 1, 2], _sequence++, 0, false)); // FU-B
        Assert.Equal(H264PacketResult.Malformed, depacketizer.Push([0x7C, 0xC5, 1], _sequence++, 1, false)); // FU-A with S and E
        Assert.Equal(H264PacketResult.Malformed, depacketizer.Push([0x78, 0x00, 0x05, 0x65], _sequence++, 2, false)); // STAP-A size past the end
        Assert.Equal(H264PacketResult.Malformed, depacketizer.Push([0xE5, 1], _sequence++, 3, true)); // F bit
        Assert.Empty(_accessUnits);
    }

    [Fact]
    public void Every_prefix_and_random_payloads_never_throw()
    {
        using var depacketizer = Depacketizer(new H264DepacketizerOptions { MaxAccessUnitSize = 64 * 1024 });
        byte[][] packets = [StapA(Sps, Pps), .. FuA(Idr, 700), Slice];
        foreach (var packet in packets)
        {
            for (var length = 0; length <= packet.Length; length++)
            {
                depacketizer.Push(packet.AsSpan(0, length), _sequence++, 0, length % 3 == 0);
            }
        }

        var random = new Random(41);
        for (var i = 0; i < 100_000; i++)
        {
            var payload = new byte[random.Next(0, 40)];
            random.NextBytes(payload);
            if (payload.Length > 0 && random.Next(2) == 0)
            {
                payload[0] = (byte)((payload[0] & 0x60) | random.GetItems<byte>([1, 5, 7, 8, 24, 28], 1)[0]);
            }

            depacketizer.Push(payload, random.Next(10) == 0 ? (ushort)random.Next() : _sequence++, (uint)(i / 4), random.Next(8) == 0);
        }

        Assert.All(_accessUnits, a => Assert.True(a.NalUnits > 0));
    }

    private static byte[] StartCode => [0, 0, 0, 1];

    private H264Depacketizer Depacketizer(H264DepacketizerOptions? options = null) =>
        new((in H264AccessUnit unit) => _accessUnits.Add((unit.Data.ToArray(), unit.NalUnitCount, unit.IsKeyframe, unit.RtpTimestamp, unit.Sps.ToArray(), unit.Pps.ToArray())), options);

    private void Send(H264Depacketizer depacketizer, uint timestamp, params object[] payloads) => Send(depacketizer, timestamp, true, payloads);

    /// <summary>Sends each payload (a byte array, or an array of them) in order, the last with the marker bit if asked.</summary>
    private void Send(H264Depacketizer depacketizer, uint timestamp, bool marker, params object[] payloads)
    {
        var all = payloads.SelectMany(p => p is byte[][] many ? many : [(byte[])p]).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(H264PacketResult.Accepted, depacketizer.Push(all[i], _sequence++, timestamp, marker && i == all.Count - 1));
        }
    }

    private static byte[] StapA(params byte[][] nalUnits) =>
        [0x78, .. nalUnits.SelectMany(n => (byte[])[(byte)(n.Length >> 8), (byte)n.Length, .. n])];

    /// <summary>FU-A fragments of at most <paramref name="size"/> bytes of NAL payload each (RFC 6184 §5.8).</summary>
    private static byte[][] FuA(byte[] nalUnit, int size)
    {
        var body = nalUnit[1..];
        var chunks = body.Chunk(size).ToArray();
        return [.. chunks.Select((chunk, i) => (byte[])[
            (byte)((nalUnit[0] & 0xE0) | 28),
            (byte)((i == 0 ? 0x80 : 0) | (i == chunks.Length - 1 ? 0x40 : 0) | (nalUnit[0] & 0x1F)),
            .. chunk])];
    }
}

using System.Buffers.Binary;
using Nio.WebRtc.Srtp;
using Nio.WebRtc.Tests.Rtp;

namespace Nio.WebRtc.Tests.Srtp;

public sealed class SrtpContextTests
{
    private const uint Ssrc = 0x1234_5678;

    public static TheoryData<SrtpProfile> Profiles => SrtpTestKeys.ProfileData;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void What_the_DTLS_client_protects_the_DTLS_server_unprotects_and_back(SrtpProfile profile)
    {
        var material = new byte[SrtpProfiles.KeyingMaterialLength(profile)];
        new Random(1).NextBytes(material);
        using var client = SrtpSession.FromKeyingMaterial(profile, material, DtlsSrtpRole.Client);
        using var server = SrtpSession.FromKeyingMaterial(profile, material, DtlsSrtpRole.Server);
        var random = new Random(2);

        for (var i = 0; i < 200; i++)
        {
            var rtp = RtpPackets.Random(random, (ushort)(40_000 + i), Ssrc, random.Next(0, 1200));
            Assert.Equal(rtp, RoundTripRtp(client.Outbound, server.Inbound, rtp));
            Assert.Equal(rtp, RoundTripRtp(server.Outbound, client.Inbound, rtp));

            var rtcp = Rtcp(random, Ssrc);
            Assert.Equal(rtcp, RoundTripRtcp(server.Outbound, client.Inbound, rtcp));
            Assert.Equal(rtcp, RoundTripRtcp(client.Outbound, server.Inbound, rtcp));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_context_with_the_other_half_of_the_keys_authenticates_nothing(SrtpProfile profile)
    {
        var material = new byte[SrtpProfiles.KeyingMaterialLength(profile)];
        new Random(3).NextBytes(material);
        using var client = SrtpSession.FromKeyingMaterial(profile, material, DtlsSrtpRole.Client);
        using var otherClient = SrtpSession.FromKeyingMaterial(profile, material, DtlsSrtpRole.Client);
        var packet = Protect(client.Outbound, RtpPackets.Build(1, 0, Ssrc, new byte[100]));

        Assert.Equal(SrtpStatus.AuthenticationFailed, otherClient.Inbound.UnprotectRtp(packet, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_replayed_packet_is_refused_and_a_reordered_one_inside_the_window_is_not(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        using var receiver = SrtpTestKeys.Context(profile);
        var packets = Enumerable.Range(0, 300).Select(i => Protect(sender, RtpPackets.Build((ushort)(65_500 + i), 0, Ssrc, new byte[50]))).ToArray();

        Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, packets[0]));
        Assert.Equal(SrtpStatus.Replayed, Unprotect(receiver, packets[0]));
        Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, packets[200])); // across the sequence number wrap
        Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, packets[100])); // 100 behind: inside the 128-packet window
        Assert.Equal(SrtpStatus.Replayed, Unprotect(receiver, packets[100]));
        Assert.Equal(SrtpStatus.Replayed, Unprotect(receiver, packets[50])); // 150 behind: outside it
        Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, packets[299]));
        Assert.Equal(SrtpStatus.Replayed, Unprotect(receiver, packets[200]));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_replayed_SRTCP_packet_is_refused(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        using var receiver = SrtpTestKeys.Context(profile);
        var first = ProtectRtcp(sender, Rtcp(new Random(4), Ssrc));
        var second = ProtectRtcp(sender, Rtcp(new Random(5), Ssrc));

        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp((byte[])second.Clone(), out _));
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp((byte[])first.Clone(), out _));
        Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp((byte[])first.Clone(), out _));
        Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp((byte[])second.Clone(), out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Changing_any_byte_of_a_protected_packet_makes_it_refused(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        var rtp = Protect(sender, RtpPackets.Build(7, 90_000, Ssrc, new byte[64], csrcs: [1], extension: [0x10, 0x7F, 0, 0]));
        var rtcp = ProtectRtcp(sender, Rtcp(new Random(6), Ssrc));

        for (var i = 0; i < rtp.Length; i++)
        {
            using var receiver = SrtpTestKeys.Context(profile);
            var tampered = (byte[])rtp.Clone();
            tampered[i] ^= 0x01;
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(tampered, out _));
        }

        for (var i = 0; i < rtcp.Length; i++)
        {
            using var receiver = SrtpTestKeys.Context(profile);
            var tampered = (byte[])rtcp.Clone();
            tampered[i] ^= 0x01;
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(tampered, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_rollover_counter_follows_the_sequence_number_through_two_wraps(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        using var receiver = SrtpTestKeys.Context(profile);
        var random = new Random(7);
        var sequence = (ushort)60_000;
        var lost = 0;

        for (var i = 0; i < 140_000; i++, sequence++)
        {
            var packet = Protect(sender, RtpPackets.Build(sequence, 0, Ssrc, new byte[20]));
            // Bursts of loss of up to a few hundred packets, as on a bad link, must not desynchronise the counter.
            if (lost > 0 || random.Next(5_000) == 0)
            {
                lost = lost > 0 ? lost - 1 : random.Next(1, 500);
                continue;
            }

            Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, packet));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Unprotecting_a_packet_allocates_nothing(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        using var receiver = SrtpTestKeys.Context(profile);
        var packets = Enumerable.Range(0, 1_000).Select(i => Protect(sender, RtpPackets.Build((ushort)i, 0, Ssrc, new byte[1200]))).ToArray();
        var rtcp = Enumerable.Range(0, 1_000).Select(i => ProtectRtcp(sender, Rtcp(new Random(i), Ssrc))).ToArray();
        Unprotect(receiver, packets[0]);
        receiver.UnprotectRtcp(rtcp[0], out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < packets.Length; i++)
        {
            receiver.UnprotectRtp(packets[i], out _);
            receiver.UnprotectRtcp(rtcp[i], out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Every_prefix_and_random_bytes_are_refused_without_an_exception(SrtpProfile profile)
    {
        using var sender = SrtpTestKeys.Context(profile);
        using var receiver = SrtpTestKeys.Context(profile);
        var rtp = Protect(sender, RtpPackets.Build(1, 0, Ssrc, new byte[40], csrcs: [1, 2], extension: [0x10, 1, 0, 0]));
        var rtcp = ProtectRtcp(sender, Rtcp(new Random(8), Ssrc));

        for (var length = 0; length < rtp.Length; length++)
        {
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(rtp[..length], out _));
        }

        for (var length = 0; length < rtcp.Length; length++)
        {
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(rtcp[..length], out _));
        }

        var random = new Random(9);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F)); // an RTP version, so the parsing goes further
            }

            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp((byte[])bytes.Clone(), out _));
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtcp(bytes, out _));
        }
    }

    [Fact]
    public void Streams_beyond_the_bound_are_refused_and_known_ones_go_on()
    {
        var (key, salt) = SrtpTestKeys.Master(SrtpProfile.AesCm128HmacSha1_80);
        using var sender = new SrtpContext(SrtpProfile.AesCm128HmacSha1_80, key, salt, maxStreams: 64);
        using var receiver = new SrtpContext(SrtpProfile.AesCm128HmacSha1_80, key, salt, maxStreams: 4);

        for (uint ssrc = 1; ssrc <= 4; ssrc++)
        {
            Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, Protect(sender, RtpPackets.Build(1, 0, ssrc, new byte[10]))));
        }

        Assert.Equal(SrtpStatus.TooManyStreams, Unprotect(receiver, Protect(sender, RtpPackets.Build(1, 0, 5, new byte[10]))));
        Assert.Equal(SrtpStatus.Ok, Unprotect(receiver, Protect(sender, RtpPackets.Build(2, 0, 4, new byte[10]))));
    }

    [Fact]
    public void A_buffer_without_room_for_the_tag_is_refused()
    {
        using var sender = SrtpTestKeys.Context(SrtpProfile.AesCm128HmacSha1_80);
        var packet = RtpPackets.Build(1, 0, Ssrc, new byte[10]);

        Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtp(SrtpTestKeys.WithRoom(packet, 9), packet.Length, out _));
        Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtcp(SrtpTestKeys.WithRoom(Rtcp(new Random(1), Ssrc), 13), 32, out _));
    }

    [Fact]
    public void Keying_material_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SrtpSession.FromKeyingMaterial(SrtpProfile.AesCm128HmacSha1_80, new byte[56], DtlsSrtpRole.Server));
        Assert.Throws<ArgumentException>(() => SrtpSession.FromKeyingMaterial(SrtpProfile.AeadAes128Gcm, new byte[60], DtlsSrtpRole.Server));
    }

    internal static byte[] Protect(SrtpContext context, byte[] rtp)
    {
        var buffer = SrtpTestKeys.WithRoom(rtp, SrtpProfiles.RtpOverhead(context.Profile));
        Assert.Equal(SrtpStatus.Ok, context.ProtectRtp(buffer, rtp.Length, out var length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    internal static byte[] ProtectRtcp(SrtpContext context, byte[] rtcp)
    {
        var buffer = SrtpTestKeys.WithRoom(rtcp, SrtpProfiles.RtcpOverhead(context.Profile));
        Assert.Equal(SrtpStatus.Ok, context.ProtectRtcp(buffer, rtcp.Length, out var length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    /// <summary>A receiver report with one report block and random content, 32 bytes.</summary>
    internal static byte[] Rtcp(Random random, uint ssrc)
    {
        var packet = new byte[32];
        random.NextBytes(packet);
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        return packet;
    }

    private static SrtpStatus Unprotect(SrtpContext context, byte[] packet) => context.UnprotectRtp((byte[])packet.Clone(), out _);

    private static byte[] RoundTripRtp(SrtpContext sender, SrtpContext receiver, byte[] rtp)
    {
        var packet = Protect(sender, rtp);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet, out var length));
        return packet[..length];
    }

    private static byte[] RoundTripRtcp(SrtpContext sender, SrtpContext receiver, byte[] rtcp)
    {
        var packet = ProtectRtcp(sender, rtcp);
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(packet, out var length));
        return packet[..length];
    }
}

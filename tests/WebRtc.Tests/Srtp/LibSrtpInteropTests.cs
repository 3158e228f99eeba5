using Nio.WebRtc.Srtp;
using Nio.WebRtc.Tests.Rtp;

namespace Nio.WebRtc.Tests.Srtp;

/// <summary>
/// Differential tests against Debian's libsrtp2: the same master key on both sides, packets of every shape, the bytes
/// each side protects must be the other's to unprotect and equal to what it would have produced itself.
/// </summary>
public sealed class LibSrtpInteropTests
{
    private const uint Ssrc = 0xCAFE_BABE;

    public static TheoryData<SrtpProfile> Profiles => SrtpTestKeys.ProfileData;

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Packets_libsrtp_protects_are_unprotected_to_the_same_RTP(SrtpProfile profile)
    {
        var (key, salt) = SrtpTestKeys.Master(profile);
        using var libsrtp = new LibSrtp(profile, key, salt, inbound: false);
        using var nio = new SrtpContext(profile, key, salt);
        var random = new Random(11);

        // From 65,000 on, so the rollover counter goes from 0 to 1 on the way.
        for (var i = 0; i < 2_000; i++)
        {
            var rtp = RtpPackets.Random(random, (ushort)(65_000 + i), Ssrc, random.Next(0, 1200));
            var buffer = SrtpTestKeys.WithRoom(rtp, SrtpProfiles.RtpOverhead(profile));
            var length = libsrtp.ProtectRtp(buffer, rtp.Length);
            Assert.True(length > 0, $"srtp_protect: error {-length}");

            Assert.Equal(SrtpStatus.Ok, nio.UnprotectRtp(buffer.AsSpan(0, length), out var plainLength));
            Assert.Equal(rtp, buffer[..plainLength]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Packets_NIO_protects_are_the_bytes_libsrtp_makes_and_unprotects(SrtpProfile profile)
    {
        var (key, salt) = SrtpTestKeys.Master(profile);
        using var libsrtpSender = new LibSrtp(profile, key, salt, inbound: false);
        using var libsrtpReceiver = new LibSrtp(profile, key, salt, inbound: true);
        using var nio = new SrtpContext(profile, key, salt);
        var random = new Random(12);

        for (var i = 0; i < 2_000; i++)
        {
            var rtp = RtpPackets.Random(random, (ushort)(65_000 + i), Ssrc, random.Next(0, 1200));
            var ours = SrtpContextTests.Protect(nio, rtp);
            var theirs = SrtpTestKeys.WithRoom(rtp, SrtpProfiles.RtpOverhead(profile));
            Assert.Equal(ours.Length, libsrtpSender.ProtectRtp(theirs, rtp.Length));
            Assert.Equal(theirs, ours);

            Assert.Equal(rtp.Length, libsrtpReceiver.UnprotectRtp(ours, ours.Length));
            Assert.Equal(rtp, ours[..rtp.Length]);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void SRTCP_goes_both_ways_between_NIO_and_libsrtp(SrtpProfile profile)
    {
        var (key, salt) = SrtpTestKeys.Master(profile);
        using var libsrtpSender = new LibSrtp(profile, key, salt, inbound: false);
        using var libsrtpReceiver = new LibSrtp(profile, key, salt, inbound: true);
        using var nioSender = new SrtpContext(profile, key, salt);
        using var nioReceiver = new SrtpContext(profile, key, salt);
        var random = new Random(13);

        for (var i = 0; i < 500; i++)
        {
            var rtcp = SrtpContextTests.Rtcp(random, Ssrc);

            var ours = SrtpContextTests.ProtectRtcp(nioSender, rtcp);
            Assert.Equal(rtcp.Length, libsrtpReceiver.UnprotectRtcp(ours, ours.Length));
            Assert.Equal(rtcp, ours[..rtcp.Length]);

            var theirs = SrtpTestKeys.WithRoom(rtcp, SrtpProfiles.RtcpOverhead(profile));
            Assert.Equal(theirs.Length, libsrtpSender.ProtectRtcp(theirs, rtcp.Length));
            Assert.Equal(SrtpStatus.Ok, nioReceiver.UnprotectRtcp(theirs, out var length));
            Assert.Equal(rtcp, theirs[..length]);
        }
    }
}

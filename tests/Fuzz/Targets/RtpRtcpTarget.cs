using System.Buffers.Binary;
using Nio.Fuzz.Engine;
using Nio.WebRtc.Rtp;
using Nio.WebRtc.Rtp.H264;
using Nio.WebRtc.Rtp.Opus;
using Nio.WebRtc.Rtp.Rtcp;
using Nio.WebRtc.Srtp;

namespace Nio.Fuzz.Targets;

/// <summary>
/// The media a WHIP publisher sends, packet by packet, through what reads it: SRTP and SRTCP unprotect with a fixed
/// key (the datagram as a stranger sends it, which must fail to authenticate, and the packet protected with the key,
/// which must come back unchanged, for AES-CM and AES-GCM); then RTCP through <see cref="RtcpCompoundReader"/> and
/// every typed reader, or RTP through <see cref="RtpHeader"/>, the receive buffer and statistics, and the H.264
/// (payload type 96) or Opus (111) depacketiser. The input is a sequence of packets, each with a 16-bit big-endian
/// length before it; they arrive 5 ms apart. Nothing may throw, and no access unit may exceed its bound.
/// </summary>
public sealed class RtpRtcpTarget : FuzzTarget
{
    private const int H264PayloadType = 96;
    private const int OpusPayloadType = 111;
    private const int MaxPacketLength = 1500;
    private static readonly byte[] MasterKey = [.. Enumerable.Range(1, SrtpProfiles.KeyLength).Select(i => (byte)i)];
    private static readonly byte[] MasterSalt = [.. Enumerable.Range(101, SrtpProfiles.SaltLength(SrtpProfile.AesCm128HmacSha1_80)).Select(i => (byte)i)];
    private static readonly H264DepacketizerOptions H264Options = new() { MaxAccessUnitSize = 256 * 1024, MaxNalUnitsPerAccessUnit = 64 };

    public override string Name => "rtp-rtcp";

    // A few dozen packets reach every reordering, loss and reassembly path; longer inputs only cost executions.
    public override int MaxInputLength => 8 * 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        // RTP first bytes (plain, padding, extension, CSRCs), payload types with and without the marker, the one-byte
        // extension profile; RTCP SR, RR, SDES, BYE, APP, RTPFB (NACK, TWCC), PSFB (PLI, FIR, REMB) headers.
        [0x80, 0x60], [0x80, 0xE0], [0xA0, 0x6F], [0x90, 0x60], [0x82, 0x6F], [0xBE, 0xDE],
        [0x80, 0xC8], [0x81, 0xC9], [0x81, 0xCA], [0x81, 0xCB], [0x80, 0xCC], [0x81, 0xCD], [0x8F, 0xCD], [0x81, 0xCE], [0x84, 0xCE], [0x8F, 0xCE],
        .. Tokens("REMB"),
        // H.264 NAL headers: SPS, PPS, IDR, non-IDR, SEI, AUD, STAP-A, FU-A, FU-A start and end; Opus TOC bytes.
        [0x67], [0x68], [0x65], [0x41], [0x06], [0x09], [0x78], [0x7C, 0x85], [0x7C, 0x45], [0x5C, 0x81], [0x78, 0x00, 0x0A],
        [0x78], [0xF8], [0xFC], [0x03, 0x85], [0x03, 0x30],
        [0x00, 0x00], [0xFF, 0xFF], [0x7F, 0xFF], [0x00, 0x01], [0x05, 0xDC],
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        // Fresh contexts for every input, so that an input always does the same (replay windows, rollover counters).
        using var cm = Context(SrtpProfile.AesCm128HmacSha1_80);
        using var cmReceiver = Context(SrtpProfile.AesCm128HmacSha1_80);
        using var gcm = Context(SrtpProfile.AeadAes128Gcm);
        using var gcmReceiver = Context(SrtpProfile.AeadAes128Gcm);
        var buffer = new RtpReceiveBuffer(new RtpReceiveBufferOptions { Capacity = 64 });
        var statistics = new RtpReceiveStatistics(0, 90_000);
        var accessUnitBytes = 0L;
        using var h264 = new H264Depacketizer((in H264AccessUnit unit) =>
        {
            if (unit.Data.Length > H264Options.MaxAccessUnitSize || unit.NalUnitCount > H264Options.MaxNalUnitsPerAccessUnit)
            {
                throw new InvariantViolatedException($"an access unit of {unit.Data.Length} bytes and {unit.NalUnitCount} NAL units passed its bounds");
            }

            accessUnitBytes += unit.Data.Length + unit.Sps.Length + unit.Pps.Length;
        }, H264Options);
        var opus = new OpusDepacketizer();
        Span<byte> work = stackalloc byte[MaxPacketLength + 32];
        Span<ushort> lost = stackalloc ushort[64];
        var now = TimeSpan.Zero;

        for (var rest = input; rest.Length >= 2;)
        {
            var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(rest), Math.Min(rest.Length - 2, MaxPacketLength));
            var packet = rest.Slice(2, length);
            rest = rest[(2 + length)..];
            now += TimeSpan.FromMilliseconds(5);

            var rtcp = IsRtcp(packet);
            Stranger(cmReceiver, packet, rtcp, work);
            Stranger(gcmReceiver, packet, rtcp, work);
            RoundTrip(cm, cmReceiver, packet, rtcp, work);
            RoundTrip(gcm, gcmReceiver, packet, rtcp, work);

            if (rtcp)
            {
                ReadRtcp(packet, statistics, now, lost);
                continue;
            }

            if (RtpHeader.TryParse(packet, out var header))
            {
                statistics.OnPacket(header.SequenceNumber, header.Timestamp, now);
                _ = header.TryGetExtensionElement(packet, 1, out _);
                for (var i = 0; i < header.CsrcCount; i++)
                {
                    _ = header.Csrc(packet, i);
                }
            }

            buffer.Insert(packet, now);
            _ = buffer.CollectNacks(now, lost);
            _ = buffer.NextDeadline();
            while (buffer.TryRead(now, out var next))
            {
                Depacketize(next.Packet, h264, opus);
            }
        }

        while (buffer.TryRead(now + TimeSpan.FromSeconds(1), out var next))
        {
            Depacketize(next.Packet, h264, opus);
        }

        _ = (buffer.TakeKeyframeRequest(), h264.TakeKeyframeRequest(), h264.AccessUnitsDropped, accessUnitBytes);
        if (statistics.CreateReportBlock(now) is { } block)
        {
            Span<byte> report = stackalloc byte[RtcpWriter.ReceiverReportLength(1)];
            RtcpWriter.WriteReceiverReport(report, 1, [block]);
            ReadRtcp(report, statistics, now, lost);
        }
    }

    public override bool IsRejection(Exception exception) => false;

    private static SrtpContext Context(SrtpProfile profile) => new(profile, MasterKey, MasterSalt.AsSpan(0, SrtpProfiles.SaltLength(profile)));

    /// <summary>RFC 5761 §4: on a shared port, payload types 64–95 with the marker bit (RTCP types 192–223) are RTCP.</summary>
    private static bool IsRtcp(ReadOnlySpan<byte> packet) => packet.Length >= 2 && packet[1] is >= 192 and <= 223;

    /// <summary>The datagram as it arrived, unprotected with keys its sender does not have: it must not authenticate.</summary>
    private static void Stranger(SrtpContext receiver, ReadOnlySpan<byte> packet, bool rtcp, Span<byte> work)
    {
        var copy = work[..packet.Length];
        packet.CopyTo(copy);
        var status = rtcp ? receiver.UnprotectRtcp(copy, out _) : receiver.UnprotectRtp(copy, out _);
        if (status == SrtpStatus.Ok)
        {
            throw new InvariantViolatedException($"a packet nobody protected was accepted as {(rtcp ? "SRTCP" : "SRTP")}");
        }
    }

    /// <summary>The packet protected as a peer holding the keys would send it: what the receiver unprotects must be the packet.</summary>
    private static void RoundTrip(SrtpContext sender, SrtpContext receiver, ReadOnlySpan<byte> packet, bool rtcp, Span<byte> work)
    {
        packet.CopyTo(work);
        var room = work[..(packet.Length + (rtcp ? SrtpProfiles.RtcpOverhead(sender.Profile) : SrtpProfiles.RtpOverhead(sender.Profile)))];
        var status = rtcp ? sender.ProtectRtcp(room, packet.Length, out var protectedLength) : sender.ProtectRtp(room, packet.Length, out protectedLength);
        if (status != SrtpStatus.Ok)
        {
            return;
        }

        var received = work[..protectedLength];
        status = rtcp ? receiver.UnprotectRtcp(received, out var length) : receiver.UnprotectRtp(received, out length);
        // The sender does not refuse a sequence number it protected before; the receiver does (and only that).
        if (status == SrtpStatus.Replayed && !rtcp)
        {
            return;
        }

        if (status != SrtpStatus.Ok || !received[..length].SequenceEqual(packet))
        {
            throw new InvariantViolatedException($"{sender.Profile}: a packet protected as {(rtcp ? "SRTCP" : "SRTP")} came back {status}, {length} of {packet.Length} bytes");
        }
    }

    private static void ReadRtcp(ReadOnlySpan<byte> compound, RtpReceiveStatistics statistics, TimeSpan now, Span<ushort> lost)
    {
        var reader = new RtcpCompoundReader(compound);
        while (reader.TryRead(out var packet))
        {
            _ = (packet.Type, packet.CountOrFormat, packet.Ssrc);
            switch (packet.Type)
            {
                case RtcpPacketType.SenderReport when RtcpSenderReport.TryRead(packet, out var sender):
                    _ = (sender.Ssrc, sender.RtpTimestamp, sender.PacketCount, sender.OctetCount);
                    statistics.OnSenderReport(sender.NtpTimestamp, now);
                    for (var i = 0; i < sender.ReportCount; i++)
                    {
                        _ = sender.ReportBlock(i);
                    }

                    break;
                case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryRead(packet, out var receiver):
                    for (var i = 0; i < receiver.ReportCount; i++)
                    {
                        _ = receiver.ReportBlock(i);
                    }

                    break;
                case RtcpPacketType.SourceDescription:
                    var items = new RtcpSourceDescriptionReader(packet);
                    while (items.TryRead(out _, out _, out _))
                    {
                    }

                    break;
                case RtcpPacketType.Goodbye when RtcpGoodbye.TryRead(packet, out var goodbye):
                    for (var i = 0; i < goodbye.Count; i++)
                    {
                        _ = goodbye.Ssrc(i);
                    }

                    _ = goodbye.Reason.Length;
                    break;
                case RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback when RtcpFeedback.TryRead(packet, out var feedback):
                    _ = (feedback.Kind, feedback.SenderSsrc, feedback.MediaSsrc);
                    _ = feedback.LostSequenceNumbers(lost);
                    for (var i = 0; i < feedback.FullIntraRequestCount; i++)
                    {
                        _ = feedback.FullIntraRequest(i);
                    }

                    if (feedback.TryReadRemb(out _, out var ssrcCount))
                    {
                        for (var i = 0; i < ssrcCount; i++)
                        {
                            _ = feedback.RembSsrc(i);
                        }
                    }

                    break;
            }
        }

        _ = reader.IsMalformed;
    }

    private static void Depacketize(ReadOnlySpan<byte> packet, H264Depacketizer h264, OpusDepacketizer opus)
    {
        if (!RtpHeader.TryParse(packet, out var header))
        {
            return;
        }

        var payload = header.Payload(packet);
        switch (header.PayloadType)
        {
            case H264PayloadType:
                h264.Push(payload, header.SequenceNumber, header.Timestamp, header.Marker);
                break;
            case OpusPayloadType when opus.TryRead(payload, header.Timestamp, out var frame):
                if (frame.DurationSamples is <= 0 or > 120 * OpusDepacketizer.ClockRate / 1000)
                {
                    throw new InvariantViolatedException($"an Opus packet of {frame.DurationSamples} samples was accepted");
                }

                break;
        }
    }
}

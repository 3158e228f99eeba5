using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp.Rtcp;

/// <summary>The feedback messages this stack knows.</summary>
public enum RtcpFeedbackKind
{
    Other,

    /// <summary>RTPFB FMT 1, RFC 4585 §6.2.1.</summary>
    GenericNack,

    /// <summary>RTPFB FMT 15, draft-holmer-rmcat-transport-wide-cc-extensions; recognised, its FCI not read.</summary>
    TransportWideCongestionControl,

    /// <summary>PSFB FMT 1, RFC 4585 §6.3.1.</summary>
    PictureLossIndication,

    /// <summary>PSFB FMT 4, RFC 5104 §4.3.1.</summary>
    FullIntraRequest,

    /// <summary>PSFB FMT 15 with the "REMB" identifier, draft-alvestrand-rmcat-remb §2.2.</summary>
    ReceiverEstimatedMaximumBitrate,
}

/// <summary>
/// A transport-layer or payload-specific feedback message (RFC 4585 §6.1):
/// <code>
/// |V=2|P|   FMT   |       PT      |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// :            Feedback Control Information (FCI)                 :
/// </code>
/// </summary>
public readonly ref struct RtcpFeedback
{
    private const int CommonLength = 8;
    private const uint RembIdentifier = 0x52454D42; // "REMB"

    private RtcpFeedback(RtcpFeedbackKind kind, ReadOnlySpan<byte> body)
    {
        Kind = kind;
        SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        Fci = body[CommonLength..];
    }

    public RtcpFeedbackKind Kind { get; }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ReadOnlySpan<byte> Fci { get; }

    public static bool TryRead(RtcpPacket packet, out RtcpFeedback feedback)
    {
        feedback = default;
        if (packet.Type is not (RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback) || packet.Body.Length < CommonLength)
        {
            return false;
        }

        var fci = packet.Body[CommonLength..];
        var kind = (packet.Type, packet.CountOrFormat) switch
        {
            (RtcpPacketType.TransportFeedback, 1) when fci.Length % 4 == 0 => RtcpFeedbackKind.GenericNack,
            (RtcpPacketType.TransportFeedback, 15) => RtcpFeedbackKind.TransportWideCongestionControl,
            (RtcpPacketType.PayloadFeedback, 1) => RtcpFeedbackKind.PictureLossIndication,
            (RtcpPacketType.PayloadFeedback, 4) when fci.Length % 8 == 0 => RtcpFeedbackKind.FullIntraRequest,
            (RtcpPacketType.PayloadFeedback, 15) when IsRemb(fci) => RtcpFeedbackKind.ReceiverEstimatedMaximumBitrate,
            _ => RtcpFeedbackKind.Other,
        };
        feedback = new RtcpFeedback(kind, packet.Body);
        return true;
    }

    /// <summary>
    /// The sequence numbers a generic NACK reports lost, in order (RFC 4585 §6.2.1: "PID: ... a lost packet",
    /// "BLP: ... bit i of the BLP is set to 1 if the receiver has not received RTP packet number (PID+i+1)").
    /// Writes at most <paramref name="destination"/>'s length and returns how many it wrote.
    /// </summary>
    public int LostSequenceNumbers(Span<ushort> destination)
    {
        if (Kind != RtcpFeedbackKind.GenericNack)
        {
            return 0;
        }

        var count = 0;
        for (var offset = 0; offset + 4 <= Fci.Length; offset += 4)
        {
            var pid = BinaryPrimitives.ReadUInt16BigEndian(Fci[offset..]);
            var blp = BinaryPrimitives.ReadUInt16BigEndian(Fci[(offset + 2)..]);
            for (var bit = -1; bit < 16; bit++)
            {
                if (bit >= 0 && (blp & (1 << bit)) == 0)
                {
                    continue;
                }

                if (count == destination.Length)
                {
                    return count;
                }

                destination[count++] = (ushort)(pid + bit + 1);
            }
        }

        return count;
    }

    /// <summary>Number of FIR entries (RFC 5104 §4.3.1.1: SSRC, command sequence number, 24 reserved bits).</summary>
    public int FullIntraRequestCount => Kind == RtcpFeedbackKind.FullIntraRequest ? Fci.Length / 8 : 0;

    public (uint Ssrc, byte SequenceNumber) FullIntraRequest(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)FullIntraRequestCount, nameof(index));
        return (BinaryPrimitives.ReadUInt32BigEndian(Fci[(8 * index)..]), Fci[8 * index + 4]);
    }

    /// <summary>
    /// The REMB estimate in bits per second and the SSRCs it applies to (draft-alvestrand-rmcat-remb §2.2):
    /// <code>
    /// |  Unique identifier 'R' 'E' 'M' 'B'                            |
    /// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
    /// |   SSRC feedback                                               |
    /// </code>
    /// </summary>
    public bool TryReadRemb(out ulong bitrate, out int ssrcCount)
    {
        bitrate = 0;
        ssrcCount = 0;
        if (Kind != RtcpFeedbackKind.ReceiverEstimatedMaximumBitrate)
        {
            return false;
        }

        var field = BinaryPrimitives.ReadUInt32BigEndian(Fci[4..]);
        var exponent = (int)((field >> 18) & 0x3F);
        var mantissa = (ulong)(field & 0x3FFFF);
        // An 18-bit mantissa shifted by up to 63 bits can pass 64 bits: saturate instead of wrapping round.
        bitrate = mantissa == 0 ? 0 : exponent > 46 && (mantissa >> (64 - exponent)) != 0 ? ulong.MaxValue : mantissa << exponent;
        ssrcCount = Fci[4];
        return true;
    }

    public uint RembSsrc(int index)
    {
        TryReadRemb(out _, out var count);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(Fci[(8 + 4 * index)..]);
    }

    private static bool IsRemb(ReadOnlySpan<byte> fci) =>
        fci.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(fci) == RembIdentifier && fci.Length >= 8 + 4 * fci[4];
}

using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
public enum RtcpPacketType : byte
{
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Goodbye = 203,
    ApplicationDefined = 204,

    /// <summary>RTPFB: generic NACK (FMT 1), transport-wide congestion control (FMT 15).</summary>
    TransportFeedback = 205,

    /// <summary>PSFB: PLI (FMT 1), FIR (FMT 4), application layer feedback such as REMB (FMT 15).</summary>
    PayloadFeedback = 206,
}

/// <summary>
/// One packet of a compound RTCP packet (RFC 3550 §6.4.1 common header):
/// <code>
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// </code>
/// "length: 16 bits. The length of this RTCP packet in 32-bit words minus one, including the header and any padding."
/// </summary>
public readonly ref struct RtcpPacket
{
    public const int HeaderLength = 4;

    internal RtcpPacket(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> body)
    {
        Packet = packet;
        Body = body;
    }

    /// <summary>The packet type byte; one of <see cref="RtcpPacketType"/> or one this stack does not know.</summary>
    public RtcpPacketType Type => (RtcpPacketType)Packet[1];

    /// <summary>The five bits after P: the report or source count, or the feedback message type (FMT).</summary>
    public int CountOrFormat => Packet[0] & 0x1F;

    /// <summary>The whole packet, header and padding included.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>What follows the 4-byte header, without the padding.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The SSRC after the header that SR, RR and feedback packets start with; 0 when the body is shorter.</summary>
    public uint Ssrc => Body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;
}

/// <summary>
/// Walks the packets of a compound RTCP packet. Reduced-size RTCP (RFC 5506) is accepted: any packet type may come
/// first. A packet whose length runs past the end, or whose padding is impossible, stops the walk with
/// <see cref="IsMalformed"/> set.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    public RtcpCompoundReader(ReadOnlySpan<byte> compound)
    {
        _remaining = compound;
        IsMalformed = compound.IsEmpty;
    }

    public bool IsMalformed { get; private set; }

    public bool TryRead(out RtcpPacket packet)
    {
        packet = default;
        if (_remaining.IsEmpty || IsMalformed)
        {
            return false;
        }

        if (_remaining.Length < RtcpPacket.HeaderLength || _remaining[0] >> 6 != 2)
        {
            IsMalformed = true;
            return false;
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]) + 1) * 4;
        if (length > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        var whole = _remaining[..length];
        var padding = 0;
        if ((whole[0] & 0x20) != 0)
        {
            // RFC 3550 §6.4.1: "The last octet of the padding is a count of how many padding octets should be ignored,
            // including itself (it will be a multiple of four)."
            padding = whole[^1];
            if (padding == 0 || padding > length - RtcpPacket.HeaderLength)
            {
                IsMalformed = true;
                return false;
            }
        }

        packet = new RtcpPacket(whole, whole[RtcpPacket.HeaderLength..(length - padding)]);
        _remaining = _remaining[length..];
        return true;
    }
}

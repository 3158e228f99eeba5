using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp.Rtcp;

/// <summary>
/// A sender report (RFC 3550 §6.4.1): the sender's SSRC, NTP and RTP timestamps of the same instant, its packet and
/// octet counts, then RC report blocks.
/// </summary>
public readonly ref struct RtcpSenderReport
{
    private const int SenderInfoLength = 24;

    private readonly ReadOnlySpan<byte> _body;

    private RtcpSenderReport(ReadOnlySpan<byte> body, int reportCount)
    {
        _body = body;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    /// <summary>64-bit NTP timestamp: seconds since 1900 in the high word, the fraction in the low.</summary>
    public ulong NtpTimestamp => BinaryPrimitives.ReadUInt64BigEndian(_body[4..]);

    public uint RtpTimestamp => BinaryPrimitives.ReadUInt32BigEndian(_body[12..]);

    public uint PacketCount => BinaryPrimitives.ReadUInt32BigEndian(_body[16..]);

    public uint OctetCount => BinaryPrimitives.ReadUInt32BigEndian(_body[20..]);

    public int ReportCount { get; }

    public RtcpReportBlock ReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)ReportCount, nameof(index));
        return RtcpReportBlock.Read(_body[(SenderInfoLength + index * RtcpReportBlock.Length)..]);
    }

    public static bool TryRead(RtcpPacket packet, out RtcpSenderReport report)
    {
        report = default;
        if (packet.Type != RtcpPacketType.SenderReport || packet.Body.Length < SenderInfoLength + packet.CountOrFormat * RtcpReportBlock.Length)
        {
            return false;
        }

        report = new RtcpSenderReport(packet.Body, packet.CountOrFormat);
        return true;
    }
}

/// <summary>A receiver report (RFC 3550 §6.4.2): the reporter's SSRC and RC report blocks.</summary>
public readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpReceiverReport(ReadOnlySpan<byte> body, int reportCount)
    {
        _body = body;
        ReportCount = reportCount;
    }

    public uint Ssrc => BinaryPrimitives.ReadUInt32BigEndian(_body);

    public int ReportCount { get; }

    public RtcpReportBlock ReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)ReportCount, nameof(index));
        return RtcpReportBlock.Read(_body[(4 + index * RtcpReportBlock.Length)..]);
    }

    public static bool TryRead(RtcpPacket packet, out RtcpReceiverReport report)
    {
        report = default;
        if (packet.Type != RtcpPacketType.ReceiverReport || packet.Body.Length < 4 + packet.CountOrFormat * RtcpReportBlock.Length)
        {
            return false;
        }

        report = new RtcpReceiverReport(packet.Body, packet.CountOrFormat);
        return true;
    }
}

/// <summary>A BYE packet (RFC 3550 §6.6): the SSRCs that leave, and an optional reason.</summary>
public readonly ref struct RtcpGoodbye
{
    private readonly ReadOnlySpan<byte> _body;

    private RtcpGoodbye(ReadOnlySpan<byte> body, int count, ReadOnlySpan<byte> reason)
    {
        _body = body;
        Count = count;
        Reason = reason;
    }

    public int Count { get; }

    /// <summary>The reason text (UTF-8), empty when none was given.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public uint Ssrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(_body[(4 * index)..]);
    }

    public static bool TryRead(RtcpPacket packet, out RtcpGoodbye goodbye)
    {
        goodbye = default;
        var count = packet.CountOrFormat;
        if (packet.Type != RtcpPacketType.Goodbye || packet.Body.Length < 4 * count)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        var rest = packet.Body[(4 * count)..];
        if (!rest.IsEmpty)
        {
            // "|     length    |               reason for leaving            ..."
            if (rest[0] > rest.Length - 1)
            {
                return false;
            }

            reason = rest.Slice(1, rest[0]);
        }

        goodbye = new RtcpGoodbye(packet.Body, count, reason);
        return true;
    }
}

/// <summary>
/// The items of an SDES packet (RFC 3550 §6.5), chunk by chunk: each chunk is an SSRC and its items (type, length,
/// text), ended by a null octet and padded to the next 32-bit boundary.
/// </summary>
public ref struct RtcpSourceDescriptionReader
{
    /// <summary>Item type of the canonical name (RFC 3550 §6.5.1).</summary>
    public const byte CanonicalName = 1;

    private readonly ReadOnlySpan<byte> _body;
    private int _chunksLeft;
    private int _offset;
    private uint _ssrc;
    private bool _inChunk;

    public RtcpSourceDescriptionReader(RtcpPacket packet)
    {
        _body = packet.Type == RtcpPacketType.SourceDescription ? packet.Body : default;
        _chunksLeft = packet.Type == RtcpPacketType.SourceDescription ? packet.CountOrFormat : 0;
    }

    public bool IsMalformed { get; private set; }

    public bool TryRead(out uint ssrc, out byte itemType, out ReadOnlySpan<byte> text)
    {
        ssrc = 0;
        itemType = 0;
        text = default;
        while (!IsMalformed)
        {
            if (!_inChunk)
            {
                if (_chunksLeft == 0)
                {
                    return false;
                }

                if (_body.Length - _offset < 4)
                {
                    IsMalformed = true;
                    return false;
                }

                _ssrc = BinaryPrimitives.ReadUInt32BigEndian(_body[_offset..]);
                _offset += 4;
                _chunksLeft--;
                _inChunk = true;
            }

            if (_offset >= _body.Length)
            {
                IsMalformed = true;
                return false;
            }

            if (_body[_offset] == 0)
            {
                // "The list of items in each chunk MUST be terminated by one or more null octets ... followed by
                // null octets to the next 32-bit boundary."
                _offset = (_offset + 4) & ~3;
                _inChunk = false;
                continue;
            }

            if (_body.Length - _offset < 2 || _body[_offset + 1] > _body.Length - _offset - 2)
            {
                IsMalformed = true;
                return false;
            }

            ssrc = _ssrc;
            itemType = _body[_offset];
            text = _body.Slice(_offset + 2, _body[_offset + 1]);
            _offset += 2 + text.Length;
            return true;
        }

        return false;
    }
}

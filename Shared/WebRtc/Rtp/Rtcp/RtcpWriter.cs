using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp.Rtcp;

/// <summary>
/// Builds the RTCP a receiver sends: receiver reports, SDES CNAME, and the feedback that asks the sender for what it
/// needs (NACK, PLI, FIR, REMB). Each method writes one packet at the start of the destination and returns its length;
/// packets written one after another form a compound packet.
/// </summary>
public static class RtcpWriter
{
    public const int PictureLossIndicationLength = 12;
    public const int FullIntraRequestLength = 20;

    /// <summary>"RC: 5 bits: The number of reception report blocks contained in this packet."</summary>
    public const int MaxReportBlocks = 31;

    public static int ReceiverReportLength(int blockCount) => 8 + RtcpReportBlock.Length * blockCount;

    public static int WriteReceiverReport(Span<byte> destination, uint reporterSsrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks.Length, MaxReportBlocks, nameof(blocks));
        var length = ReceiverReportLength(blocks.Length);
        WriteHeader(destination, blocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], reporterSsrc);
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination[(8 + i * RtcpReportBlock.Length)..]);
        }

        return length;
    }

    /// <summary>Length of an SDES packet with one chunk holding only a CNAME of <paramref name="cnameLength"/> bytes.</summary>
    public static int SourceDescriptionLength(int cnameLength) => 4 + (4 + 2 + cnameLength + 4) / 4 * 4;

    /// <summary>
    /// An SDES packet with one chunk: the CNAME of <paramref name="ssrc"/> (RFC 3550 §6.5.1), which every compound
    /// RTCP packet of full size carries.
    /// </summary>
    public static int WriteSourceDescription(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cname.Length, 255, nameof(cname));
        var length = SourceDescriptionLength(cname.Length);
        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = RtcpSourceDescriptionReader.CanonicalName;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        // The null item that ends the chunk, and nulls to the 32-bit boundary.
        destination[(10 + cname.Length)..length].Clear();
        return length;
    }

    /// <summary>PLI (RFC 4585 §6.3.1): "The PLI FB message is identified by PT=PSFB and FMT=1. There MUST be exactly one PLI contained in the FCI field."</summary>
    public static int WritePictureLossIndication(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        WriteFeedbackHeader(destination, 1, RtcpPacketType.PayloadFeedback, PictureLossIndicationLength, senderSsrc, mediaSsrc);
        return PictureLossIndicationLength;
    }

    /// <summary>
    /// FIR (RFC 5104 §4.3.1): one entry for <paramref name="mediaSsrc"/>. "The 'SSRC of media source' is not used and
    /// SHALL be set to 0"; the command sequence number goes up by one for each new request, not for repetitions.
    /// </summary>
    public static int WriteFullIntraRequest(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte commandSequenceNumber)
    {
        WriteFeedbackHeader(destination, 4, RtcpPacketType.PayloadFeedback, FullIntraRequestLength, senderSsrc, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], mediaSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], (uint)commandSequenceNumber << 24);
        return FullIntraRequestLength;
    }

    /// <summary>The most bytes a generic NACK of <paramref name="lostCount"/> sequence numbers takes (one FCI each).</summary>
    public static int GenericNackMaxLength(int lostCount) => 12 + 4 * lostCount;

    /// <summary>
    /// A generic NACK (RFC 4585 §6.2.1) for <paramref name="lost"/>, given in sending order (wrapping round after
    /// 65,535): each FCI names one lost packet (PID) and which of the 16 after it are lost too (BLP).
    /// </summary>
    public static int WriteGenericNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        ArgumentOutOfRangeException.ThrowIfZero(lost.Length, nameof(lost));
        if (destination.Length < GenericNackMaxLength(lost.Length))
        {
            throw new ArgumentException($"a NACK of {lost.Length} packets may take {GenericNackMaxLength(lost.Length)} bytes", nameof(destination));
        }

        var offset = 12;
        var i = 0;
        while (i < lost.Length)
        {
            var pid = lost[i++];
            ushort bitmask = 0;
            while (i < lost.Length && (ushort)(lost[i] - pid) is >= 1 and <= 16)
            {
                bitmask |= (ushort)(1 << ((ushort)(lost[i] - pid) - 1));
                i++;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], bitmask);
            offset += 4;
        }

        WriteFeedbackHeader(destination, 1, RtcpPacketType.TransportFeedback, offset, senderSsrc, mediaSsrc);
        return offset;
    }

    public static int ReceiverEstimatedMaximumBitrateLength(int ssrcCount) => 20 + 4 * ssrcCount;

    /// <summary>
    /// REMB (draft-alvestrand-rmcat-remb §2.2): the most <paramref name="bitrate"/> bits per second the sender should
    /// use for <paramref name="ssrcs"/>, as an 18-bit mantissa and 6-bit exponent rounded down. "The 'SSRC of media
    /// source' ... is always 0".
    /// </summary>
    public static int WriteReceiverEstimatedMaximumBitrate(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ssrcs.Length, 255, nameof(ssrcs));
        var length = ReceiverEstimatedMaximumBitrateLength(ssrcs.Length);
        WriteFeedbackHeader(destination, 15, RtcpPacketType.PayloadFeedback, length, senderSsrc, 0);
        var exponent = 0;
        while (bitrate > 0x3FFFF)
        {
            bitrate >>= 1;
            exponent++;
        }

        "REMB"u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], ((uint)ssrcs.Length << 24) | ((uint)exponent << 18) | (uint)bitrate);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(20 + 4 * i)..], ssrcs[i]);
        }

        return length;
    }

    private static void WriteFeedbackHeader(Span<byte> destination, int format, RtcpPacketType type, int length, uint senderSsrc, uint mediaSsrc)
    {
        WriteHeader(destination, format, type, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }

    private static void WriteHeader(Span<byte> destination, int countOrFormat, RtcpPacketType type, int length)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException($"an RTCP {type} packet of {length} bytes does not fit in {destination.Length}", nameof(destination));
        }

        destination[0] = (byte)(0x80 | countOrFormat);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(length / 4 - 1));
    }
}

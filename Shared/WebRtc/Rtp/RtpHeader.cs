using System.Buffers.Binary;

namespace Nio.WebRtc.Rtp;

/// <summary>
/// The fixed header of an RTP packet (RFC 3550 §5.1) and where its payload lies, read without copying:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers  (CC × 32)  |
/// |      defined by profile       |           length              |  (if X)
/// |                        header extension                       |
/// </code>
/// </summary>
public readonly struct RtpHeader
{
    public const int FixedLength = 12;

    /// <summary>RFC 8285 §4.2: the "defined by profile" value of one-byte header extensions.</summary>
    public const ushort OneByteExtensionProfile = 0xBEDE;

    public bool Marker { get; init; }

    public byte PayloadType { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public uint Ssrc { get; init; }

    public int CsrcCount { get; init; }

    /// <summary>Offset of the payload: the fixed header, the CSRC list and the header extension.</summary>
    public int HeaderLength { get; init; }

    /// <summary>Length of the payload without the padding.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Number of padding bytes at the end of the packet (0 when the P bit is clear).</summary>
    public int PaddingLength { get; init; }

    /// <summary>The extension's "defined by profile" value, or null when the X bit is clear.</summary>
    public ushort? ExtensionProfile { get; init; }

    /// <summary>Offset and length of the extension's data (after its 4-byte header); 0 when there is none.</summary>
    public int ExtensionOffset { get; init; }

    public int ExtensionLength { get; init; }

    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    public uint Csrc(ReadOnlySpan<byte> packet, int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)CsrcCount, nameof(index));
        return BinaryPrimitives.ReadUInt32BigEndian(packet[(FixedLength + 4 * index)..]);
    }

    /// <summary>
    /// Length of the RTP header (fixed part, CSRCs, extension) of <paramref name="packet"/>: all SRTP needs, since it
    /// encrypts from there on (padding included, so the padding cannot be checked before decryption).
    /// </summary>
    public static bool TryGetHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < FixedLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var length = FixedLength + 4 * (packet[0] & 0x0F);
        if ((packet[0] & 0x10) != 0)
        {
            // RFC 3550 §5.3.1: "a 16-bit length field that counts the number of 32-bit words in the extension,
            // excluding the four-octet extension header".
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
        }

        if (length > packet.Length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }

    /// <summary>Reads the header of a plain (decrypted) RTP packet; false when it is not a well-formed version 2 packet.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (!TryGetHeaderLength(packet, out var headerLength))
        {
            return false;
        }

        var padding = 0;
        if ((packet[0] & 0x20) != 0)
        {
            // RFC 3550 §5.1: "The last octet of the padding contains a count of how many padding octets should be
            // ignored, including itself" — so at least one, and never into the header.
            padding = packet[^1];
            if (padding == 0 || padding > packet.Length - headerLength)
            {
                return false;
            }
        }

        var csrcCount = packet[0] & 0x0F;
        var hasExtension = (packet[0] & 0x10) != 0;
        var extensionHeader = FixedLength + 4 * csrcCount;
        header = new RtpHeader
        {
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            CsrcCount = csrcCount,
            HeaderLength = headerLength,
            PayloadLength = packet.Length - headerLength - padding,
            PaddingLength = padding,
            ExtensionProfile = hasExtension ? BinaryPrimitives.ReadUInt16BigEndian(packet[extensionHeader..]) : null,
            ExtensionOffset = hasExtension ? extensionHeader + 4 : 0,
            ExtensionLength = hasExtension ? headerLength - extensionHeader - 4 : 0,
        };
        return true;
    }

    /// <summary>
    /// Finds the header extension element <paramref name="id"/> (RFC 8285 one-byte or two-byte form, as negotiated
    /// with <c>a=extmap</c>); false when absent, when the extension is of another kind, or when it is malformed.
    /// </summary>
    public bool TryGetExtensionElement(ReadOnlySpan<byte> packet, int id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (ExtensionProfile is not { } profile || id <= 0)
        {
            return false;
        }

        var oneByte = profile == OneByteExtensionProfile;
        // RFC 8285 §4.3: the two-byte form's profile is 0x100 followed by four application bits.
        if (!oneByte && (profile & 0xFFF0) != 0x1000)
        {
            return false;
        }

        var data = packet.Slice(ExtensionOffset, ExtensionLength);
        var offset = 0;
        while (offset < data.Length)
        {
            int elementId, length;
            if (oneByte)
            {
                // RFC 8285 §4.2: "The 4-bit length is the number, minus one, of data bytes"; ID 0 is padding,
                // "The local identifier value 15 is reserved ... [and] the remainder of the header extension" is not read.
                elementId = data[offset] >> 4;
                if (elementId == 0)
                {
                    offset++;
                    continue;
                }

                if (elementId == 15)
                {
                    return false;
                }

                length = (data[offset] & 0x0F) + 1;
                offset++;
            }
            else
            {
                elementId = data[offset];
                if (elementId == 0)
                {
                    offset++;
                    continue;
                }

                if (offset + 1 >= data.Length)
                {
                    return false;
                }

                length = data[offset + 1];
                offset += 2;
            }

            if (length > data.Length - offset)
            {
                return false;
            }

            if (elementId == id)
            {
                value = data.Slice(offset, length);
                return true;
            }

            offset += length;
        }

        return false;
    }
}

using Nio.WebRtc.Rtp;

namespace Nio.WebRtc.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void A_packet_with_CSRCs_an_extension_and_padding_is_read_field_by_field()
    {
        // Audio level (id 1, one byte) and a transport-wide sequence number (id 3, two bytes), one-byte form.
        var packet = RtpPackets.Build(0xBEEF, 0xDEADBEEF, 0x01020304, [0xAA, 0xBB, 0xCC], payloadType: 111, marker: true,
            csrcs: [7, 8], extension: [0x10, 0x85, 0x00, 0x31, 0x12, 0x34], padding: 3);

        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.True(header.Marker);
        Assert.Equal(111, header.PayloadType);
        Assert.Equal(0xBEEF, header.SequenceNumber);
        Assert.Equal(0xDEADBEEF, header.Timestamp);
        Assert.Equal(0x01020304u, header.Ssrc);
        Assert.Equal(2, header.CsrcCount);
        Assert.Equal(8u, header.Csrc(packet, 1));
        Assert.Equal((ushort)0xBEDE, header.ExtensionProfile);
        Assert.Equal(12 + 8 + 4 + 8, header.HeaderLength);
        Assert.Equal(3, header.PaddingLength);
        Assert.Equal([0xAA, 0xBB, 0xCC], header.Payload(packet).ToArray());
        Assert.True(header.TryGetExtensionElement(packet, 1, out var level));
        Assert.Equal([0x85], level.ToArray());
        Assert.True(header.TryGetExtensionElement(packet, 3, out var sequence));
        Assert.Equal([0x12, 0x34], sequence.ToArray());
        Assert.False(header.TryGetExtensionElement(packet, 2, out _));
    }

    [Fact]
    public void Two_byte_header_extension_elements_are_found()
    {
        var packet = RtpPackets.Build(1, 2, 3, [0x01]);
        // Rewrite as the two-byte form by hand: profile 0x1000, one word: id 5, length 2, data.
        var withExtension = new byte[packet.Length + 8];
        packet.AsSpan(0, 12).CopyTo(withExtension);
        withExtension[0] |= 0x10;
        new byte[] { 0x10, 0x00, 0x00, 0x01, 0x05, 0x02, 0xAB, 0xCD }.CopyTo(withExtension, 12);
        withExtension[^1] = 0x01;

        Assert.True(RtpHeader.TryParse(withExtension, out var header));
        Assert.True(header.TryGetExtensionElement(withExtension, 5, out var value));
        Assert.Equal([0xAB, 0xCD], value.ToArray());
    }

    [Fact]
    public void Prefixes_shorter_than_the_header_and_impossible_padding_are_refused()
    {
        var packet = RtpPackets.Build(1, 2, 3, new byte[10], csrcs: [1, 2, 3], extension: [0x10, 1, 0, 0]);
        for (var length = 0; length < 12 + 12 + 8; length++)
        {
            Assert.False(RtpHeader.TryParse(packet.AsSpan(0, length), out _));
            Assert.False(RtpHeader.TryGetHeaderLength(packet.AsSpan(0, length), out _));
        }

        var padded = RtpPackets.Build(1, 2, 3, new byte[4], padding: 4);
        padded[^1] = 9; // more padding than payload
        Assert.False(RtpHeader.TryParse(padded, out _));
        padded[^1] = 0; // "including itself": never zero
        Assert.False(RtpHeader.TryParse(padded, out _));
        padded[0] = 0x40; // version 1
        Assert.False(RtpHeader.TryGetHeaderLength(padded, out _));
    }

    [Fact]
    public void Random_bytes_are_parsed_or_refused_and_never_read_out_of_bounds()
    {
        var random = new Random(21);
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F));
            }

            if (RtpHeader.TryParse(bytes, out var header))
            {
                Assert.Equal(bytes.Length, header.HeaderLength + header.PayloadLength + header.PaddingLength);
                for (var id = 0; id < 16; id++)
                {
                    header.TryGetExtensionElement(bytes, id, out _);
                }
            }
        }
    }
}

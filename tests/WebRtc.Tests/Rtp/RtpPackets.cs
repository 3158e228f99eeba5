using System.Buffers.Binary;

namespace Nio.WebRtc.Tests.Rtp;

/// <summary>RTP packets built the way a browser sends them, for tests.</summary>
internal static class RtpPackets
{
    public static byte[] Build(ushort sequenceNumber, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload,
        byte payloadType = 96, bool marker = false, uint[]? csrcs = null, byte[]? extension = null, int padding = 0)
    {
        csrcs ??= [];
        var extensionLength = extension is null ? 0 : 4 + (extension.Length + 3) / 4 * 4;
        var packet = new byte[12 + 4 * csrcs.Length + extensionLength + payload.Length + padding];
        packet[0] = (byte)(0x80 | (padding > 0 ? 0x20 : 0) | (extension is null ? 0 : 0x10) | csrcs.Length);
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        var offset = 12;
        foreach (var csrc in csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset), csrc);
            offset += 4;
        }

        if (extension is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), (ushort)((extensionLength - 4) / 4));
            extension.CopyTo(packet, offset + 4);
            offset += extensionLength;
        }

        payload.CopyTo(packet.AsSpan(offset));
        if (padding > 0)
        {
            packet[^1] = (byte)padding;
        }

        return packet;
    }

    /// <summary>A packet of random content and shape: CSRCs, a one-byte-header extension and padding sometimes.</summary>
    public static byte[] Random(Random random, ushort sequenceNumber, uint ssrc, int payloadLength)
    {
        var payload = new byte[payloadLength];
        random.NextBytes(payload);
        var csrcs = Enumerable.Range(0, random.Next(3) == 0 ? random.Next(1, 4) : 0).Select(_ => (uint)random.Next()).ToArray();
        // An audio level element (id 1, one byte) as browsers send it.
        var extension = random.Next(2) == 0 ? new byte[] { 0x10, (byte)random.Next(128), 0, 0 } : null;
        var padding = random.Next(4) == 0 ? random.Next(1, 16) : 0;
        return Build(sequenceNumber, (uint)random.Next(), ssrc, payload, (byte)random.Next(96, 128), random.Next(2) == 0, csrcs, extension, padding);
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace Nio.Ingest.Rtmp;

/// <summary>Writes messages to the peer as chunks: a type 0 header, then type 3 continuation headers.</summary>
public sealed class ChunkStreamWriter(IBufferWriter<byte> output)
{
    /// <summary>Protocol control messages travel on chunk stream 2 (§5.4), commands on 3.</summary>
    public const uint ControlChunkStream = 2;
    public const uint CommandChunkStream = 3;

    public int ChunkSize { get; private set; } = 128;

    public void Write(uint chunkStreamId, byte type, uint messageStreamId, uint timestamp, ReadOnlySpan<byte> payload)
    {
        var extended = timestamp >= 0xFFFFFF;
        var offset = 0;
        do
        {
            var first = offset == 0;
            var header = output.GetSpan(2 + (first ? 11 : 0) + (extended ? 4 : 0));
            var length = WriteBasicHeader(header, first ? 0 : 3, chunkStreamId);
            if (first)
            {
                var message = header[length..];
                WriteUInt24(message, extended ? 0xFFFFFF : timestamp);
                WriteUInt24(message[3..], (uint)payload.Length);
                message[6] = type;
                BinaryPrimitives.WriteUInt32LittleEndian(message[7..], messageStreamId);
                length += 11;
            }

            if (extended)
            {
                BinaryPrimitives.WriteUInt32BigEndian(header[length..], timestamp);
                length += 4;
            }

            output.Advance(length);
            var count = Math.Min(ChunkSize, payload.Length - offset);
            output.Write(payload.Slice(offset, count));
            offset += count;
        }
        while (offset < payload.Length);
    }

    /// <summary>Tells the peer our chunk size and uses it from the next message on.</summary>
    public void SetChunkSize(int size)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, size);
        Write(ControlChunkStream, MessageType.SetChunkSize, 0, 0, payload);
        ChunkSize = size;
    }

    public void WriteControl(byte type, uint value)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(payload, value);
        Write(ControlChunkStream, type, 0, 0, payload);
    }

    /// <summary>Set Peer Bandwidth (§5.4.5) with limit type 2 (dynamic).</summary>
    public void WritePeerBandwidth(uint size)
    {
        Span<byte> payload = stackalloc byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(payload, size);
        payload[4] = 2;
        Write(ControlChunkStream, MessageType.SetPeerBandwidth, 0, 0, payload);
    }

    /// <summary>User Control Stream Begin (§7.1.7, event 0) for a message stream.</summary>
    public void WriteStreamBegin(uint messageStreamId)
    {
        Span<byte> payload = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(payload, 0);
        BinaryPrimitives.WriteUInt32BigEndian(payload[2..], messageStreamId);
        Write(ControlChunkStream, MessageType.UserControl, 0, 0, payload);
    }

    public void WriteCommand(uint messageStreamId, params object?[] values)
    {
        var payload = new ArrayBufferWriter<byte>(256);
        Amf0.Write(payload, values);
        Write(CommandChunkStream, MessageType.CommandAmf0, messageStreamId, 0, payload.WrittenSpan);
    }

    /// <summary>Basic header (§5.3.1.1): one byte for chunk stream ids 2–63, two for 64–319.</summary>
    private static int WriteBasicHeader(Span<byte> header, int format, uint chunkStreamId)
    {
        if (chunkStreamId is < 2 or > 319)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkStreamId), chunkStreamId, "NIO writes chunk stream ids 2 to 319.");
        }

        if (chunkStreamId < 64)
        {
            header[0] = (byte)(format << 6 | (int)chunkStreamId);
            return 1;
        }

        header[0] = (byte)(format << 6);
        header[1] = (byte)(chunkStreamId - 64);
        return 2;
    }

    private static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}

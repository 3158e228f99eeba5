using System.Buffers;
using System.Buffers.Binary;
using Nio.Ingest.Buffers;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// Reassembles RTMP messages from the chunk stream (RTMP 1.0 §5.3). Stateful: it consumes chunk payload bytes as
/// they arrive, keeping partial chunks and messages between calls, so a chunk of any size never has to sit whole in
/// the connection's buffer; only an incomplete chunk header (at most 18 bytes) is left unconsumed. Every size is
/// bounded before anything is buffered, and the memory held for unfinished messages by <see cref="BufferLimit"/>.
/// </summary>
/// <param name="bufferLimit">The first <see cref="BufferLimit"/>: small until the peer has proven who it is.</param>
public sealed class ChunkStreamReader(int bufferLimit = ChunkStreamReader.MaxBufferedBytes) : IDisposable
{
    /// <summary>The largest chunk size NIO accepts from a peer.</summary>
    public const int MaxChunkSize = 16 * 1024 * 1024;

    public const int MaxChunkStreams = 64;

    /// <summary>Bytes of unfinished messages one connection may hold, across all its chunk streams.</summary>
    public const int MaxBufferedBytes = 32 * 1024 * 1024;

    /// <summary>The first buffer of a message, grown as its bytes arrive.</summary>
    private const int InitialBufferBytes = 64 * 1024;

    private const uint ExtendedTimestampMarker = 0xFFFFFF;

    private readonly Dictionary<uint, ChunkStream> streams = [];
    private int chunkSize = 128;
    private int bufferLimit = Math.Min(bufferLimit, MaxBufferedBytes);
    private long bufferedBytes;

    // Set while the payload of a chunk is still arriving.
    private ChunkStream? current;
    private int remainingInChunk;

    public int ChunkSize => chunkSize;

    /// <summary>
    /// The memory this connection may hold for unfinished messages, counted as the arrays holding them, across all its
    /// chunk streams; also the largest message it may start. At most <see cref="MaxBufferedBytes"/>.
    /// </summary>
    public int BufferLimit
    {
        get => bufferLimit;
        set => bufferLimit = Math.Min(value, MaxBufferedBytes);
    }

    /// <summary>Applies the peer's Set Chunk Size (§5.4.1): 1 to 2^31-1 by the spec, at most 16 MiB here.</summary>
    public void SetChunkSize(uint size)
    {
        if (size is 0 or > MaxChunkSize)
        {
            throw new RtmpProtocolException(RtmpError.BadChunkSize, $"chunk size {size} outside 1..{MaxChunkSize}");
        }

        chunkSize = (int)size;
    }

    /// <summary>Abort Message (§5.4.2): drops the partly received message of that chunk stream.</summary>
    public void Abort(uint chunkStreamId)
    {
        if (streams.TryGetValue(chunkStreamId, out var stream))
        {
            stream.ReturnBuffer();
            if (current == stream)
            {
                current = null;
                remainingInChunk = 0;
            }
        }
    }

    /// <summary>Reads until one message is complete (true) or the bytes run out (false; only a partial header is left).</summary>
    public bool TryReadMessage(ref SequenceReader<byte> reader, out RtmpMessage message)
    {
        while (true)
        {
            if (current is null)
            {
                var headerStart = reader.Consumed;
                if (!TryReadChunkHeader(ref reader))
                {
                    reader.Rewind(reader.Consumed - headerStart);
                    message = default;
                    return false;
                }
            }

            var stream = current!;
            var available = (int)Math.Min(remainingInChunk, reader.Remaining);
            if (available > 0)
            {
                stream.Append(ref reader, available);
                remainingInChunk -= available;
            }

            if (remainingInChunk > 0)
            {
                message = default;
                return false;
            }

            current = null;
            if (stream.Received == stream.Length)
            {
                message = new RtmpMessage(stream.Id, stream.Type, stream.MessageStreamId, stream.Timestamp, stream.TakePayload());
                return true;
            }
        }
    }

    public void Dispose()
    {
        foreach (var stream in streams.Values)
        {
            stream.ReturnBuffer();
        }

        streams.Clear();
    }

    /// <summary>
    /// A buffer for message bytes, counted against <see cref="BufferLimit"/> as the array the pool hands out (it may
    /// be larger than asked for); <paramref name="replacing"/> is the array it takes the place of, returned right after.
    /// </summary>
    private byte[] Rent(int length, int replacing = 0)
    {
        var held = bufferedBytes - replacing;
        if (held + length <= bufferLimit)
        {
            var array = PooledBuffer.RentArray(length);
            if (held + array.Length <= bufferLimit)
            {
                bufferedBytes += array.Length;
                return array;
            }

            PooledBuffer.ReturnArray(array);
        }

        throw new RtmpProtocolException(RtmpError.TooMuchBufferedData, $"more than {bufferLimit} bytes held for unfinished messages");
    }

    private void Return(byte[] array)
    {
        bufferedBytes -= array.Length;
        PooledBuffer.ReturnArray(array);
    }

    /// <summary>A message's bytes leave the reader in their array: no longer this connection's to count.</summary>
    private void HandOver(byte[] array) => bufferedBytes -= array.Length;

    /// <summary>Reads a basic header, message header and extended timestamp; false when they are not all there.</summary>
    private bool TryReadChunkHeader(ref SequenceReader<byte> reader)
    {
        // Basic header (§5.3.1.1):  fmt (2 bits) | cs id (6 bits); cs id 0 → 1 more byte (64–319), 1 → 2 more (64–65599).
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        var format = first >> 6;
        uint id = (uint)(first & 0x3F);
        if (id == 0)
        {
            if (!reader.TryRead(out var low))
            {
                return false;
            }

            id = 64u + low;
        }
        else if (id == 1)
        {
            if (!reader.TryRead(out var low) || !reader.TryRead(out var high))
            {
                return false;
            }

            id = 64u + low + (uint)(high * 256);
        }

        // Message header (§5.3.1.2): type 0 = 11 bytes, type 1 = 7, type 2 = 3, type 3 = none.
        Span<byte> header = stackalloc byte[11];
        var headerLength = format switch { 0 => 11, 1 => 7, 2 => 3, _ => 0 };
        if (!reader.TryCopyTo(header[..headerLength]))
        {
            return false;
        }

        reader.Advance(headerLength);
        var known = streams.TryGetValue(id, out var stream);
        if (!known)
        {
            if (format != 0 && format != 1)
            {
                throw new RtmpProtocolException(RtmpError.ContinuationWithoutMessage, $"chunk stream {id} starts with a type {format} header");
            }

            if (streams.Count >= MaxChunkStreams)
            {
                throw new RtmpProtocolException(RtmpError.TooManyChunkStreams, $"more than {MaxChunkStreams} chunk streams");
            }

            stream = new ChunkStream(this, id);
        }

        var timestampField = format < 3 ? ReadUInt24(header) : 0;
        var extended = format < 3 ? timestampField == ExtendedTimestampMarker : stream!.HasExtendedTimestamp;
        uint extendedTimestamp = 0;
        if (extended)
        {
            // Extended timestamp (§5.3.1.3); continuation chunks repeat it when their message's header had one.
            if (!reader.TryReadBigEndian(out int value))
            {
                return false;
            }

            extendedTimestamp = (uint)value;
        }

        if (!known)
        {
            streams[id] = stream!;
        }

        var midMessage = stream!.Received < stream.Length && stream.HasBuffer;
        if (format == 3 && midMessage)
        {
            // Continuation of the message in progress: no new timing.
        }
        else
        {
            if (midMessage)
            {
                // A new header while a message is incomplete: the spec has no such case; drop the partial message.
                stream.ReturnBuffer();
            }

            var delta = extended ? extendedTimestamp : timestampField;
            switch (format)
            {
                case 0:
                    stream.Timestamp = delta;
                    stream.TimestampDelta = delta;
                    stream.Length = (int)ReadUInt24(header[3..]);
                    stream.Type = header[6];
                    stream.MessageStreamId = BinaryPrimitives.ReadUInt32LittleEndian(header[7..]);
                    break;
                case 1:
                    stream.TimestampDelta = delta;
                    stream.Timestamp += delta;
                    stream.Length = (int)ReadUInt24(header[3..]);
                    stream.Type = header[6];
                    break;
                case 2:
                    stream.TimestampDelta = delta;
                    stream.Timestamp += delta;
                    break;
                default:
                    stream.Timestamp += stream.TimestampDelta;
                    break;
            }

            if (format < 3)
            {
                stream.HasExtendedTimestamp = extended;
            }

            if (stream.Length > bufferLimit)
            {
                throw new RtmpProtocolException(RtmpError.MessageTooLarge, $"a message of {stream.Length} bytes, more than the {bufferLimit} allowed");
            }

            stream.StartMessage();
        }

        remainingInChunk = Math.Min(chunkSize, stream.Length - stream.Received);
        current = stream;
        return true;
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => (uint)(bytes[0] << 16 | bytes[1] << 8 | bytes[2]);

    /// <summary>State of one chunk stream: the last header's fields and the message being reassembled.</summary>
    private sealed class ChunkStream(ChunkStreamReader owner, uint id)
    {
        private byte[]? buffer;

        public uint Id { get; } = id;
        public uint Timestamp { get; set; }
        public uint TimestampDelta { get; set; }
        public int Length { get; set; }
        public byte Type { get; set; }
        public uint MessageStreamId { get; set; }
        public bool HasExtendedTimestamp { get; set; }
        public int Received { get; private set; }
        public bool HasBuffer => buffer is not null;

        public void StartMessage()
        {
            Received = 0;
            // Grows with what actually arrives, so a header that lies about the length costs nothing up front.
            buffer = owner.Rent(Math.Clamp(Length, 1, InitialBufferBytes));
        }

        public void Append(ref SequenceReader<byte> reader, int count)
        {
            if (Received + count > buffer!.Length)
            {
                var larger = owner.Rent(Math.Min(Length, Math.Max(buffer.Length * 2, Received + count)), replacing: buffer.Length);
                buffer.AsSpan(0, Received).CopyTo(larger);
                owner.Return(buffer);
                buffer = larger;
            }

            reader.TryCopyTo(buffer.AsSpan(Received, count));
            reader.Advance(count);
            Received += count;
        }

        /// <summary>Hands the reassembled message over in the array it was read into.</summary>
        public PooledBuffer TakePayload()
        {
            owner.HandOver(buffer!);
            var payload = PooledBuffer.Adopt(buffer!, Length);
            buffer = null;
            Received = 0;
            return payload;
        }

        public void ReturnBuffer()
        {
            if (buffer is not null)
            {
                owner.Return(buffer);
                buffer = null;
            }

            Received = 0;
        }
    }
}

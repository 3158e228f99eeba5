using System.Buffers;
using Nio.Ingest.Rtmp;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Rtmp;

public sealed class ChunkStreamReaderTests
{
    [Fact]
    public void Messages_longer_than_a_chunk_are_reassembled()
    {
        var payload = Pattern(1000);
        var bytes = Write(writer => writer.Write(6, MessageType.Video, 1, 40, payload));

        var message = Assert.Single(ReadAll(bytes));

        Assert.Equal((6u, MessageType.Video, 1u, 40u), (message.ChunkStreamId, message.Type, message.StreamId, message.Timestamp));
        Assert.Equal(payload, message.Payload.Span.ToArray());
    }

    [Fact]
    public void Every_split_point_and_one_byte_per_segment_give_the_same_messages()
    {
        var bytes = Write(writer =>
        {
            writer.Write(6, MessageType.Video, 1, 0, Pattern(300));
            writer.Write(4, MessageType.Audio, 1, 23, Pattern(7));
            writer.Write(6, MessageType.Video, 1, 33, Pattern(129));
            writer.Write(70, MessageType.Video, 1, 0x01000000, Pattern(200)); // two-byte basic header, extended timestamp
        });
        var expected = ReadAll(bytes);
        Assert.Equal(4, expected.Count);

        for (var split = 0; split <= bytes.Length; split++)
        {
            using var reader = new ChunkStreamReader();
            var messages = FeedInPieces(reader, bytes[..split], bytes[split..]);
            AssertSameMessages(expected, messages);
        }

        using var perByte = new ChunkStreamReader();
        AssertSameMessages(expected, Feed(perByte, Sequences.SegmentPerByte(bytes)));
    }

    [Fact]
    public void Type_1_2_and_3_headers_carry_deltas_forward()
    {
        // fmt 0 at t=1000; fmt 1 (+40, new length and type); fmt 2 (+40); fmt 3 (same delta again); all on chunk stream 4.
        byte[] bytes =
        [
            0x04, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x01, 0x09, 0x01, 0x00, 0x00, 0x00, 0xAA,
            0x44, 0x00, 0x00, 0x28, 0x00, 0x00, 0x02, 0x08, 0xBB, 0xBB,
            0x84, 0x00, 0x00, 0x28, 0xCC, 0xCC,
            0xC4, 0xDD, 0xDD,
        ];

        var messages = ReadAll(bytes);

        Assert.Equal(new uint[] { 1000, 1040, 1080, 1120 }, messages.Select(m => m.Timestamp));
        Assert.Equal(new byte[] { MessageType.Video, MessageType.Audio, MessageType.Audio, MessageType.Audio }, messages.Select(m => m.Type));
        Assert.All(messages, m => Assert.Equal(1u, m.StreamId));
        Assert.Equal([0xDD, 0xDD], messages[3].Payload.Span.ToArray());
    }

    [Fact]
    public void Continuation_chunks_repeat_the_extended_timestamp()
    {
        var payload = Pattern(300);
        var bytes = Write(writer => writer.Write(5, MessageType.Video, 1, 0x12345678, payload));

        var message = Assert.Single(ReadAll(bytes));

        Assert.Equal(0x12345678u, message.Timestamp);
        Assert.Equal(payload, message.Payload.Span.ToArray());
    }

    [Fact]
    public void A_larger_chunk_size_applies_to_the_following_chunks()
    {
        var bytes = Write(writer =>
        {
            writer.SetChunkSize(4096);
            writer.Write(6, MessageType.Video, 1, 0, Pattern(5000));
        });

        var messages = ReadAll(bytes);

        Assert.Equal(5000, messages[^1].Payload.Length);
    }

    [Fact]
    public void Abort_drops_the_partial_message()
    {
        using var reader = new ChunkStreamReader();
        var aborted = Write(writer => writer.Write(6, MessageType.Video, 1, 0, Pattern(300)));
        Assert.Empty(FeedInPieces(reader, aborted[..140])); // the first chunk: 12 header bytes and 128 of 300 payload bytes

        reader.Abort(6);
        var next = FeedInPieces(reader, Write(writer => writer.Write(6, MessageType.Video, 1, 10, Pattern(5))));

        Assert.Equal(Pattern(5), Assert.Single(next).Payload.Span.ToArray());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(ChunkStreamReader.MaxChunkSize + 1u)]
    [InlineData(0x80000000u)]
    public void Chunk_sizes_outside_the_bounds_are_refused(uint size)
    {
        using var reader = new ChunkStreamReader();
        Assert.Equal(RtmpError.BadChunkSize, Assert.Throws<RtmpProtocolException>(() => reader.SetChunkSize(size)).Error);
    }

    [Fact]
    public void A_chunk_stream_cannot_start_with_a_continuation_header()
    {
        byte[] bytes = [0xC7, 0x00];
        Assert.Equal(RtmpError.ContinuationWithoutMessage, Assert.Throws<RtmpProtocolException>(() => ReadAll(bytes)).Error);
    }

    [Fact]
    public void Chunk_streams_are_bounded()
    {
        // Two-byte basic headers (cs id 64 + i), each a complete one-byte video message.
        var many = new List<byte>();
        for (var i = 0; i <= ChunkStreamReader.MaxChunkStreams; i++)
        {
            many.AddRange([0x00, (byte)i, 0, 0, 0, 0, 0, 1, MessageType.Video, 1, 0, 0, 0, 0xAB]);
        }

        Assert.Equal(ChunkStreamReader.MaxChunkStreams, ReadAll(many.ToArray()[..(14 * ChunkStreamReader.MaxChunkStreams)]).Count);
        Assert.Equal(RtmpError.TooManyChunkStreams, Assert.Throws<RtmpProtocolException>(() => ReadAll(many.ToArray())).Error);
    }

    [Fact]
    public void Unfinished_messages_cannot_hold_more_than_the_buffer_bound()
    {
        using var reader = new ChunkStreamReader();
        const int chunkSize = 8 * 1024 * 1024;
        reader.SetChunkSize(chunkSize);
        var fullChunk = new byte[chunkSize];
        var exception = Assert.Throws<RtmpProtocolException>(() =>
        {
            // Each chunk stream announces a 16 MiB message and delivers one 8 MiB chunk of it: the fifth would pass 32 MiB.
            for (var id = 3; id < 8; id++)
            {
                byte[] header = [(byte)id, 0, 0, 0, 0xFF, 0xFF, 0xFF, MessageType.Video, 1, 0, 0, 0];
                FeedInPieces(reader, header, fullChunk);
            }
        });
        Assert.Equal(RtmpError.TooMuchBufferedData, exception.Error);
    }

    [Fact]
    public void A_message_longer_than_the_buffer_limit_is_refused_at_its_header()
    {
        using var reader = new ChunkStreamReader(bufferLimit: 64 * 1024);
        byte[] header = [0x06, 0, 0, 0, 0x01, 0x00, 0x01, MessageType.Video, 1, 0, 0, 0]; // 64 KiB + 1 announced, nothing sent

        Assert.Equal(RtmpError.MessageTooLarge, Assert.Throws<RtmpProtocolException>(() => FeedInPieces(reader, header)).Error);
    }

    [Fact]
    public void The_buffer_limit_counts_the_memory_held_not_only_the_bytes_received()
    {
        using var reader = new ChunkStreamReader(bufferLimit: 64 * 1024);
        // A 40,000-byte message of which one 128-byte chunk arrives: the array holding it is 64 KiB, the pool's size for it.
        static byte[] Started(byte chunkStreamId) => [chunkStreamId, 0, 0, 0, 0x00, 0x9C, 0x40, MessageType.Video, 1, 0, 0, 0, .. new byte[128]];

        Assert.Empty(FeedInPieces(reader, Started(4)));
        Assert.Equal(RtmpError.TooMuchBufferedData, Assert.Throws<RtmpProtocolException>(() => FeedInPieces(reader, Started(5))).Error);
    }

    [Fact]
    public void A_raised_buffer_limit_lets_larger_messages_through()
    {
        using var reader = new ChunkStreamReader(bufferLimit: 64 * 1024);
        var payload = Pattern(1_000_000);

        reader.BufferLimit = ChunkStreamReader.MaxBufferedBytes;
        var messages = FeedInPieces(reader, Write(writer => writer.Write(6, MessageType.Video, 1, 0, payload)));

        Assert.Equal(payload, Assert.Single(messages).Payload.Span.ToArray());
    }

    [Fact]
    public void Random_bytes_only_ever_give_messages_or_protocol_errors()
    {
        var random = new Random(1935);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            using var reader = new ChunkStreamReader();
            try
            {
                FeedInPieces(reader, bytes);
            }
            catch (RtmpProtocolException)
            {
                // The one allowed failure.
            }
        }
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    private static byte[] Write(Action<ChunkStreamWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ChunkStreamWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }

    private static List<RtmpMessage> ReadAll(byte[] bytes)
    {
        using var reader = new ChunkStreamReader();
        return FeedInPieces(reader, bytes);
    }

    /// <summary>Feeds pieces as a connection's reads would arrive: what one read leaves unconsumed is read again with the next.</summary>
    private static List<RtmpMessage> FeedInPieces(ChunkStreamReader reader, params byte[][] pieces)
    {
        var messages = new List<RtmpMessage>();
        var pending = Array.Empty<byte>();
        foreach (var piece in pieces)
        {
            var data = pending.Concat(piece).ToArray();
            var consumed = Feed(reader, new ReadOnlySequence<byte>(data), messages);
            pending = data[(int)consumed..];
        }

        return messages;
    }

    private static List<RtmpMessage> Feed(ChunkStreamReader reader, ReadOnlySequence<byte> bytes)
    {
        var messages = new List<RtmpMessage>();
        Assert.Equal(bytes.Length, Feed(reader, bytes, messages));
        return messages;
    }

    /// <summary>Reads what the bytes hold, applying Set Chunk Size as the connection does; returns the bytes consumed.</summary>
    private static long Feed(ChunkStreamReader reader, ReadOnlySequence<byte> bytes, List<RtmpMessage> messages)
    {
        var sequenceReader = new SequenceReader<byte>(bytes);
        while (reader.TryReadMessage(ref sequenceReader, out var message))
        {
            if (message.Type == MessageType.SetChunkSize && message.Payload.Length >= 4)
            {
                reader.SetChunkSize(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(message.Payload.Span));
            }

            messages.Add(message);
        }

        return sequenceReader.Consumed;
    }

    private static void AssertSameMessages(List<RtmpMessage> expected, List<RtmpMessage> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].ChunkStreamId, expected[i].Type, expected[i].StreamId, expected[i].Timestamp),
                (actual[i].ChunkStreamId, actual[i].Type, actual[i].StreamId, actual[i].Timestamp));
            Assert.Equal(expected[i].Payload.Span.ToArray(), actual[i].Payload.Span.ToArray());
        }
    }
}

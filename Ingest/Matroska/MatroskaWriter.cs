using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;
using Nio.Shared.Media;

namespace Nio.Ingest.Matroska;

/// <summary>
/// Writes a live stream as Matroska (RFC 9559) for a reader that starts at its beginning and never seeks: an EBML
/// header, a Segment and Clusters of unknown size, the tracks declared once from the formats the reader joined with
/// (H.264 with its AVCDecoderConfigurationRecord, AAC with its AudioSpecificConfig, Opus with an OpusHead), and each
/// access unit as a SimpleBlock. Matroska is what the Transcoder reads a stream with Opus in (FLV has no Opus); a
/// track that was not declared at the start, and codecs NIO does not read, are left out.
/// </summary>
public sealed class MatroskaWriter : ILiveMediaWriter
{
    // Element IDs (RFC 9559 §5.1 and RFC 8794 §11.2), written with their marker bits.
    private const uint Ebml = 0x1A45DFA3, EbmlVersion = 0x4286, EbmlReadVersion = 0x42F7, EbmlMaxIdLength = 0x42F2,
        EbmlMaxSizeLength = 0x42F3, DocType = 0x4282, DocTypeVersion = 0x4287, DocTypeReadVersion = 0x4285;
    private const uint Segment = 0x18538067, Info = 0x1549A966, TimestampScale = 0x2AD7B1, MuxingApp = 0x4D80, WritingApp = 0x5741;
    private const uint Tracks = 0x1654AE6B, TrackEntry = 0xAE, TrackNumber = 0xD7, TrackUid = 0x73C5, TrackType = 0x83,
        FlagLacing = 0x9C, CodecId = 0x86, CodecPrivate = 0x63A2, Video = 0xE0, PixelWidth = 0xB0, PixelHeight = 0xBA,
        Audio = 0xE1, SamplingFrequency = 0xB5, Channels = 0x9F;
    private const uint Cluster = 0x1F43B675, ClusterTimestamp = 0xE7, SimpleBlock = 0xA3;

    /// <summary>An element size of all ones: "unknown", the element lasts until a parent-level element begins.</summary>
    private static readonly byte[] UnknownSize = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    private readonly IBufferWriter<byte> output;
    private TrackFormat? video;
    private TrackFormat? audio;
    private long origin = -1;
    private long clusterStart = -1;

    public MatroskaWriter(IBufferWriter<byte> output) => this.output = output;

    /// <summary>Whether the format can be a Matroska track here.</summary>
    public static bool CanCarry(TrackFormat format) =>
        format.Codec is SourceCodecs.Avc or SourceCodecs.Opus || format.Codec == SourceCodecs.Aac && !format.Config.IsEmpty;

    public void Begin(LiveStream.Subscription joined) => WriteHeader(joined.Formats);

    /// <summary>The EBML header, the Segment's start, Info and the Tracks: video as track 1, audio as track 2.</summary>
    public void WriteHeader(IEnumerable<TrackFormat> formats)
    {
        foreach (var format in formats.Where(CanCarry))
        {
            if (format.Kind == MediaKind.Video)
            {
                video ??= format;
            }
            else
            {
                audio ??= format;
            }
        }

        WriteMaster(Ebml, body =>
        {
            WriteUInt(body, EbmlVersion, 1);
            WriteUInt(body, EbmlReadVersion, 1);
            WriteUInt(body, EbmlMaxIdLength, 4);
            WriteUInt(body, EbmlMaxSizeLength, 8);
            WriteString(body, DocType, "matroska");
            WriteUInt(body, DocTypeVersion, 4);
            WriteUInt(body, DocTypeReadVersion, 2);
        });
        WriteId(output, Segment);
        output.Write(UnknownSize);
        WriteMaster(Info, body =>
        {
            // Block timestamps in milliseconds, as FLV's.
            WriteUInt(body, TimestampScale, 1_000_000);
            WriteString(body, MuxingApp, "NIO");
            WriteString(body, WritingApp, "NIO");
        });
        WriteMaster(Tracks, body =>
        {
            if (video is not null)
            {
                WriteTrack(body, 1, video);
            }

            if (audio is not null)
            {
                WriteTrack(body, 2, audio);
            }
        });
    }

    /// <summary>
    /// The unit as a SimpleBlock of its track, in a new Cluster at each video keyframe (or when the block's timestamp
    /// no longer fits the cluster's 16-bit offset). Block timestamps are presentation times.
    /// </summary>
    public void Write(AccessUnit unit)
    {
        var track = ReferenceEquals(unit.Format, video) || unit.Kind == MediaKind.Video && video is not null && unit.Format.Codec == video.Codec ? 1
            : ReferenceEquals(unit.Format, audio) || unit.Kind == MediaKind.Audio && audio is not null && unit.Format.Codec == audio.Codec ? 2
            : 0;
        if (track == 0)
        {
            return;
        }

        if (origin < 0)
        {
            origin = unit.Timestamp;
        }

        var milliseconds = Math.Max(0, MediaClock.ToMilliseconds(unit.Timestamp + unit.CompositionOffset - origin));
        var relative = milliseconds - clusterStart;
        if (clusterStart < 0 || track == 1 && unit.Keyframe || relative is > short.MaxValue or < short.MinValue)
        {
            clusterStart = milliseconds;
            relative = 0;
            WriteId(output, Cluster);
            output.Write(UnknownSize);
            WriteUInt(output, ClusterTimestamp, (ulong)milliseconds);
        }

        // SimpleBlock (RFC 9559 §10.2): track number (EBML varint), timestamp relative to the cluster (int16),
        // flags (0x80 keyframe; no lacing), then the frame.
        var data = unit.Data;
        WriteId(output, SimpleBlock);
        WriteSize(output, 4 + data.Length);
        var header = output.GetSpan(4);
        header[0] = (byte)(0x80 | track);
        BinaryPrimitives.WriteInt16BigEndian(header[1..], (short)relative);
        header[3] = (byte)(unit.Keyframe ? 0x80 : 0);
        output.Advance(4);
        output.Write(data);
    }

    /// <summary>The Opus identification header a Matroska Opus track carries (RFC 7845 §5.1), for a 48 kHz stream without pre-skip.</summary>
    public static byte[] OpusHead(int channels)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), 0); // pre-skip
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48000); // input sample rate
        BinaryPrimitives.WriteInt16LittleEndian(head.AsSpan(16), 0); // output gain
        head[18] = 0; // channel mapping family 0: mono or stereo
        return head;
    }

    private static void WriteTrack(IBufferWriter<byte> output, int number, TrackFormat format) => WriteMaster(output, TrackEntry, entry =>
    {
        WriteUInt(entry, TrackNumber, (ulong)number);
        WriteUInt(entry, TrackUid, (ulong)number);
        WriteUInt(entry, TrackType, format.Kind == MediaKind.Video ? 1u : 2u);
        WriteUInt(entry, FlagLacing, 0);
        switch (format.Codec)
        {
            case SourceCodecs.Avc:
                WriteString(entry, CodecId, "V_MPEG4/ISO/AVC");
                WriteBytes(entry, CodecPrivate, format.Config.Span);
                if (format.Sps is { } sps)
                {
                    WriteMaster(entry, Video, picture =>
                    {
                        WriteUInt(picture, PixelWidth, (ulong)sps.Width);
                        WriteUInt(picture, PixelHeight, (ulong)sps.Height);
                    });
                }

                break;
            case SourceCodecs.Aac:
                WriteString(entry, CodecId, "A_AAC");
                WriteBytes(entry, CodecPrivate, format.Config.Span);
                WriteSound(entry, format);
                break;
            case SourceCodecs.Opus:
                WriteString(entry, CodecId, "A_OPUS");
                WriteBytes(entry, CodecPrivate, OpusHead(format.Audio?.Channels ?? 2));
                WriteSound(entry, format);
                break;
        }
    });

    private static void WriteSound(IBufferWriter<byte> output, TrackFormat format) => WriteMaster(output, Audio, sound =>
    {
        var span = sound.GetSpan(11);
        var length = 0;
        // SamplingFrequency is a float element: 8 bytes.
        length += WriteIdTo(span, SamplingFrequency);
        span[length++] = 0x88;
        BinaryPrimitives.WriteDoubleBigEndian(span[length..], format.Audio?.SampleRate ?? 48000);
        sound.Advance(length + 8);
        WriteUInt(sound, Channels, (ulong)(format.Audio?.Channels ?? 2));
    });

    private void WriteMaster(uint id, Action<IBufferWriter<byte>> children) => WriteMaster(output, id, children);

    /// <summary>A master element of known size: its children are small (headers), so they are built apart first.</summary>
    private static void WriteMaster(IBufferWriter<byte> output, uint id, Action<IBufferWriter<byte>> children)
    {
        var body = new ArrayBufferWriter<byte>();
        children(body);
        WriteId(output, id);
        WriteSize(output, body.WrittenCount);
        output.Write(body.WrittenSpan);
    }

    private static void WriteUInt(IBufferWriter<byte> output, uint id, ulong value)
    {
        var length = Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8);
        WriteId(output, id);
        WriteSize(output, length);
        var span = output.GetSpan(length);
        for (var i = 0; i < length; i++)
        {
            span[i] = (byte)(value >> (8 * (length - 1 - i)));
        }

        output.Advance(length);
    }

    private static void WriteString(IBufferWriter<byte> output, uint id, string value) => WriteBytes(output, id, Encoding.ASCII.GetBytes(value));

    private static void WriteBytes(IBufferWriter<byte> output, uint id, ReadOnlySpan<byte> value)
    {
        WriteId(output, id);
        WriteSize(output, value.Length);
        output.Write(value);
    }

    private static void WriteId(IBufferWriter<byte> output, uint id)
    {
        var span = output.GetSpan(4);
        output.Advance(WriteIdTo(span, id));
    }

    /// <summary>An element ID is its own EBML varint: its bytes as they are, without leading zero bytes.</summary>
    private static int WriteIdTo(Span<byte> span, uint id)
    {
        var length = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        for (var i = 0; i < length; i++)
        {
            span[i] = (byte)(id >> (8 * (length - 1 - i)));
        }

        return length;
    }

    /// <summary>An EBML varint (RFC 8794 §4): the shortest whose value bits hold the size and are not all ones.</summary>
    private static void WriteSize(IBufferWriter<byte> output, long size)
    {
        var length = 1;
        while (length < 8 && size >= (1L << (7 * length)) - 1)
        {
            length++;
        }

        var span = output.GetSpan(length);
        for (var i = 0; i < length; i++)
        {
            span[i] = (byte)(size >> (8 * (length - 1 - i)));
        }

        span[0] |= (byte)(0x80 >> (length - 1));
        output.Advance(length);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Nio.Fuzz.Engine;
using Nio.Ingest.Buffers;
using Nio.Ingest.Flv;
using Nio.Ingest.Streams;

namespace Nio.Fuzz.Targets;

/// <summary>
/// FLV tag bodies through the Ingest's media path: each audio, video and script tag of the input (an FLV file, as
/// FFmpeg writes one: the tag bodies are exactly what a publisher sends in RTMP audio, video and data messages) is
/// read by the <see cref="FlvTagReader"/> into a <see cref="LiveStream"/>: codecs, sequence headers (AVC decoder
/// configuration and SPS, AAC AudioSpecificConfig), access units, keyframes and metadata. Readers join at the start
/// and halfway and receive the stream as HTTP-FLV written from the access units. Nothing in that path may throw, whatever the bodies hold: a broken codec configuration is
/// reported in the stream's health, and the media is relayed as it came.
/// </summary>
public sealed class FlvTagTarget : FuzzTarget
{
    private const int FileHeaderLength = 9 + 4;
    private const int TagHeaderLength = 11;

    public override string Name => "flv-tags";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        // AVC sequence header and NALU tags, AAC config and raw, Enhanced RTMP (hvc1, av01) headers, an SPS start.
        [0x17, 0x00, 0x00, 0x00, 0x00, 0x01], [0x27, 0x01, 0x00, 0x00, 0x00], [0xAF, 0x00, 0x12, 0x10], [0xAF, 0x01],
        [0x90, .. "hvc1"u8], [0x91, .. "av01"u8], [0x67, 0x64, 0x00, 0x1F], [0x09, 0x00, 0x00], [0x08, 0x00, 0x00], [0x12, 0x00, 0x00],
        .. Tokens("onMetaData", "height", "width"), [0x00, 0x00, 0x03], [0xFF, 0xFF, 0xFF, 0xFF],
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        var stream = new LiveStream(Guid.Empty);
        var reader = new FlvTagReader(stream);
        var early = stream.Subscribe();
        LiveStream.Subscription? late = null;
        var output = new ArrayBufferWriter<byte>();
        var tags = 0;
        for (var rest = input.Length >= FileHeaderLength ? input[FileHeaderLength..] : []; rest.Length >= TagHeaderLength;)
        {
            // FLV tag header (FLV spec v10 §E.4.1): type u(8) (5 bits used), size u(24), timestamp u(24) + extended u(8), stream id u(24).
            var size = (int)(BinaryPrimitives.ReadUInt32BigEndian(rest) & 0xFFFFFF);
            var type = (byte)(rest[0] & 0x1F);
            var timestamp = (uint)(rest[4] << 16 | rest[5] << 8 | rest[6] | rest[7] << 24);
            var body = rest[TagHeaderLength..];
            body = body[..Math.Min(size, body.Length)];
            if (type is FlvTagReader.AudioType or FlvTagReader.VideoType or FlvTagReader.ScriptType)
            {
                if (type == FlvTagReader.ScriptType)
                {
                    reader.ReadScript(body);
                }
                else
                {
                    var buffer = PooledBuffer.CopyOf(body);
                    reader.Read(type, timestamp, buffer);
                    buffer.Release();
                }

                _ = stream.Codecs;
                if (++tags == 8)
                {
                    late = stream.Subscribe();
                    Drain(late, output);
                }
            }

            rest = rest[Math.Min(rest.Length, TagHeaderLength + body.Length + 4)..];
        }

        stream.Health();
        Drain(early, output);
        stream.End();
        early.Dispose();
        late?.Dispose();
    }

    public override bool IsRejection(Exception exception) => false;

    /// <summary>What a reader got so far, written as HTTP-FLV the way the Ingest serves it.</summary>
    private static void Drain(LiveStream.Subscription subscription, ArrayBufferWriter<byte> output)
    {
        output.Clear();
        FlvWriter.WriteHeader(output, audio: true, video: true);
        var flv = new FlvWriter(output);
        flv.WriteMetadata(subscription.Metadata);
        foreach (var format in subscription.Formats)
        {
            flv.WriteFormat(format, 0);
        }

        foreach (var unit in subscription.Start)
        {
            flv.Write(unit);
            unit.Release();
        }

        while (subscription.Live.TryRead(out var unit))
        {
            flv.Write(unit);
            unit.Release();
        }
    }
}

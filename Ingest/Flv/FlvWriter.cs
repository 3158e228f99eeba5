using System.Buffers;
using System.Buffers.Binary;
using Nio.Ingest.Media;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Streams;
using Nio.Shared.Media;

namespace Nio.Ingest.Flv;

/// <summary>
/// Writes a live stream as FLV (FLV spec v10): the file header, the declared metadata as <c>onMetaData</c>, each track's
/// configuration as a sequence header tag before the first access unit that uses it, and H.264, AAC and pass-through
/// access units as tags. FLV has no Opus: Opus units are left out.
/// </summary>
public sealed class FlvWriter(IBufferWriter<byte> output) : ILiveMediaWriter
{
    private TrackFormat? video;
    private TrackFormat? audio;

    /// <summary>FLV file header (§E.2) and the first PreviousTagSize (0).</summary>
    public static void WriteHeader(IBufferWriter<byte> output, bool audio, bool video)
    {
        var span = output.GetSpan(13);
        "FLV"u8.CopyTo(span);
        span[3] = 1;
        span[4] = (byte)((audio ? 4 : 0) | (video ? 1 : 0));
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], 9);
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], 0);
        output.Advance(13);
    }

    /// <summary>The file header, the metadata, and each track's sequence header (at the first unit's time).</summary>
    public void Begin(LiveStream.Subscription joined)
    {
        var formats = joined.Formats;
        WriteHeader(output, formats.Any(f => f.Kind == MediaKind.Audio), formats.Any(f => f.Kind == MediaKind.Video));
        WriteMetadata(joined.Metadata);
        var firstTimestamp = joined.Start.Count > 0 ? joined.Start[0].Timestamp : 0;
        foreach (var format in formats)
        {
            WriteFormat(format, firstTimestamp);
        }
    }

    /// <summary>An <c>onMetaData</c> script tag with what the publisher declared; nothing when it declared nothing.</summary>
    public void WriteMetadata(PublisherMetadata metadata)
    {
        var values = new Dictionary<string, object?>();
        if (metadata.Width is { } width)
        {
            values["width"] = (double)width;
        }

        if (metadata.Height is { } height)
        {
            values["height"] = (double)height;
        }

        if (metadata.FrameRate is { } frameRate)
        {
            values["framerate"] = frameRate;
        }

        if (values.Count == 0)
        {
            return;
        }

        var script = new ArrayBufferWriter<byte>();
        Amf0.Write(script, "onMetaData", values);
        WriteTag(FlvTagReader.ScriptType, 0, [], script.WrittenSpan);
    }

    /// <summary>The track's sequence header, unless it was the last one written for its track.</summary>
    public void WriteFormat(TrackFormat format, long timestamp)
    {
        ref var current = ref format.Kind == MediaKind.Video ? ref video : ref audio;
        if (ReferenceEquals(current, format))
        {
            return;
        }

        current = format;
        if (format.Config.IsEmpty)
        {
            return;
        }

        var milliseconds = Milliseconds(timestamp);
        if (format.Codec == SourceCodecs.Avc)
        {
            // Keyframe | AVC, AVCPacketType 0, CompositionTime 0, then the AVCDecoderConfigurationRecord.
            WriteTag(FlvTagReader.VideoType, milliseconds, [0x17, 0, 0, 0, 0], format.Config.Span);
        }
        else if (format.Codec == SourceCodecs.Aac)
        {
            WriteTag(FlvTagReader.AudioType, milliseconds, [AacHeader(format), 0], format.Config.Span);
        }
    }

    public void Write(AccessUnit unit)
    {
        var format = unit.Format;
        if (format.Codec == SourceCodecs.Opus)
        {
            return;
        }

        WriteFormat(format, unit.Timestamp);
        var milliseconds = Milliseconds(unit.Timestamp);
        if (format.IsFlvBody)
        {
            WriteTag(format.Kind == MediaKind.Video ? FlvTagReader.VideoType : FlvTagReader.AudioType, milliseconds, [], unit.Data);
        }
        else if (format.Codec == SourceCodecs.Avc)
        {
            // FrameType (1 keyframe, 2 inter frame) | AVC, AVCPacketType 1 (NALUs), CompositionTime SI24 in milliseconds.
            var compositionTime = (int)MediaClock.ToMilliseconds(unit.CompositionOffset);
            WriteTag(FlvTagReader.VideoType, milliseconds,
                [(byte)(unit.Keyframe ? 0x17 : 0x27), 1, (byte)(compositionTime >> 16), (byte)(compositionTime >> 8), (byte)compositionTime], unit.Data);
        }
        else
        {
            WriteTag(FlvTagReader.AudioType, milliseconds, [AacHeader(format), 1], unit.Data);
        }
    }

    /// <summary>AAC (10), 44 kHz and 16 bits as the spec asks of AAC, mono or stereo by its configuration.</summary>
    private static byte AacHeader(TrackFormat format) => (byte)(format.Audio?.Channels == 1 ? 0xAE : 0xAF);

    /// <summary>FLV's timestamps are 32-bit milliseconds: they wrap as the publisher's did.</summary>
    private static uint Milliseconds(long timestamp) => unchecked((uint)MediaClock.ToMilliseconds(timestamp));

    /// <summary>One FLV tag (§E.4.1): type, 24-bit size, 24+8-bit timestamp, stream id 0, body, PreviousTagSize.</summary>
    private void WriteTag(byte type, uint timestamp, ReadOnlySpan<byte> bodyHeader, ReadOnlySpan<byte> body)
    {
        var size = bodyHeader.Length + body.Length;
        var header = output.GetSpan(11);
        header[0] = type;
        header[1] = (byte)(size >> 16);
        header[2] = (byte)(size >> 8);
        header[3] = (byte)size;
        header[4] = (byte)(timestamp >> 16);
        header[5] = (byte)(timestamp >> 8);
        header[6] = (byte)timestamp;
        header[7] = (byte)(timestamp >> 24);
        header[8] = header[9] = header[10] = 0;
        output.Advance(11);
        output.Write(bodyHeader);
        output.Write(body);
        var trailer = output.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(trailer, (uint)(11 + size));
        output.Advance(4);
    }
}

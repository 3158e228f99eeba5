using Nio.Ingest.Buffers;
using Nio.Ingest.Codecs;
using Nio.Ingest.Media;
using Nio.Ingest.Rtmp;
using Nio.Shared.Media;

namespace Nio.Ingest.Flv;

/// <summary>
/// Reads a publisher's FLV tag bodies (the payloads of RTMP audio, video and data messages) into track formats, access
/// units and declared metadata for a <see cref="IMediaSink"/>. H.264 and AAC become codec access units; any other codec
/// (FLV's older ones, Enhanced RTMP's FourCCs) travels as its FLV bodies, which only the FLV writer passes on.
/// Timestamps are FLV's 32-bit milliseconds, unwrapped per track onto the <see cref="MediaClock"/>.
/// </summary>
public sealed class FlvTagReader(IMediaSink sink)
{
    public const byte AudioType = 8;
    public const byte VideoType = 9;
    public const byte ScriptType = 18;

    private const int AvcCodecId = 7;
    private const int AacSoundFormat = 10;

    private FlvClock videoClock;
    private FlvClock audioClock;
    private TrackFormat? video;
    private TrackFormat? audio;

    // What the current pass-through format was read from: the codec id or FourCC, the audio header byte.
    private long videoHeaderKey = -1;
    private int audioHeader = -1;

    /// <summary>Reads an audio or video tag body; the caller keeps its reference to <paramref name="body"/>.</summary>
    public void Read(byte type, uint timestamp, PooledBuffer body)
    {
        var payload = body.Span;
        if (payload.IsEmpty)
        {
            return;
        }

        if (type == VideoType)
        {
            ReadVideo(timestamp, body, payload);
        }
        else if (type == AudioType)
        {
            ReadAudio(timestamp, body, payload);
        }
    }

    /// <summary>Reads a script tag body: an <c>onMetaData</c> declares the publisher's picture.</summary>
    public void ReadScript(ReadOnlySpan<byte> body)
    {
        if (Declared(body) is { } metadata)
        {
            sink.Declare(metadata);
        }
    }

    /// <summary>
    /// The picture's <c>width</c>, <c>height</c> and <c>framerate</c> an <c>onMetaData</c> script tag declares, each only when
    /// plausible; null when the body is no <c>onMetaData</c> or is malformed.
    /// </summary>
    public static PublisherMetadata? Declared(ReadOnlySpan<byte> script)
    {
        try
        {
            if (Amf0.ReadAll(script) is not ["onMetaData", IReadOnlyDictionary<string, object?> values, ..])
            {
                return null;
            }

            return new PublisherMetadata(Pixels(values, "width"), Pixels(values, "height"),
                values.TryGetValue("framerate", out var f) && f is double fps && fps is >= 1 and <= 240 ? fps : null);
        }
        catch (RtmpProtocolException)
        {
            // Malformed metadata declares nothing; the media itself is still good.
            return null;
        }

        static int? Pixels(IReadOnlyDictionary<string, object?> values, string name) =>
            values.TryGetValue(name, out var value) && value is double pixels && pixels is >= 1 and <= 16384 ? (int)pixels : null;
    }

    /// <summary>
    /// The codec a video tag carries, named from its header (FLV spec v10 §E.4.3.1; Enhanced RTMP's FourCC when the
    /// extended header bit is set).
    /// </summary>
    public static string VideoCodec(ReadOnlySpan<byte> payload) => payload.IsEmpty ? "unknown" : (payload[0] & 0x80) != 0 ? FourCc(payload) : (payload[0] & 0x0F) switch
    {
        2 => "h263",
        3 or 6 => "screen",
        4 or 5 => "vp6",
        AvcCodecId => SourceCodecs.Avc,
        var id => $"flv-video-{id}",
    };

    /// <summary>The codec an audio tag carries, named from its header (§E.4.2.1; a FourCC for SoundFormat 9).</summary>
    public static string AudioCodec(ReadOnlySpan<byte> payload) => payload.IsEmpty ? "unknown" : (payload[0] >> 4) switch
    {
        0 or 3 => "pcm",
        1 => "adpcm",
        2 or 14 => "mp3",
        4 or 5 or 6 => "nellymoser",
        7 => "g711a",
        8 => "g711u",
        9 => FourCc(payload),
        AacSoundFormat => SourceCodecs.Aac,
        11 => "speex",
        var id => $"flv-audio-{id}",
    };

    private void ReadVideo(uint timestamp, PooledBuffer body, ReadOnlySpan<byte> payload)
    {
        // FLV video tag header (FLV spec v10 §E.4.3.1): FrameType u(4) (1 keyframe, 5 video info/command) | CodecID u(4),
        // then for AVC: AVCPacketType u(8) (0 sequence header, 1 NALUs, 2 end of sequence) and CompositionTime SI24.
        // Enhanced RTMP sets the top bit: IsExHeader | FrameType u(3) | PacketType u(4), then a FourCC.
        var first = payload[0];
        var extended = (first & 0x80) != 0;
        var frameType = extended ? (first >> 4) & 7 : first >> 4;
        if (!extended && (first & 0x0F) == AvcCodecId)
        {
            ReadAvc(timestamp, body, payload, frameType);
            return;
        }

        long key = extended ? (payload.Length >= 5 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload[1..]) : 0) | 1L << 32 : first & 0x0F;
        if (video is null || key != videoHeaderKey)
        {
            videoHeaderKey = key;
            video = Announce(TrackFormat.FlvBody(MediaKind.Video, VideoCodec(payload)));
        }

        Write(video, videoClock.Ticks(timestamp), 0, frameType == 1, body, 0);
    }

    private void ReadAvc(uint timestamp, PooledBuffer body, ReadOnlySpan<byte> payload, int frameType)
    {
        if (payload.Length < 5 || frameType == 5)
        {
            // A header cut short, or a video info/command frame: no picture.
            return;
        }

        switch (payload[1])
        {
            case 0:
                videoHeaderKey = -1;
                video = Announce(TrackFormat.Avc(payload[5..]));
                break;
            case 1:
                if (video is not { Codec: SourceCodecs.Avc })
                {
                    videoHeaderKey = -1;
                    video = Announce(TrackFormat.Avc([]));
                }

                // CompositionTime SI24, in milliseconds.
                var compositionTime = (payload[2] << 24 | payload[3] << 16 | payload[4] << 8) >> 8;
                Write(video, videoClock.Ticks(timestamp), compositionTime * MediaClock.TicksPerMillisecond, frameType == 1, body, 5);
                break;
        }

        // AVCPacketType 2 (end of sequence) and reserved values carry no picture.
    }

    private void ReadAudio(uint timestamp, PooledBuffer body, ReadOnlySpan<byte> payload)
    {
        // FLV audio tag header (§E.4.2.1): SoundFormat u(4) | SoundRate u(2) | SoundSize u(1) | SoundType u(1); for
        // AAC an AACPacketType u(8) follows: 0 AudioSpecificConfig, 1 raw frame.
        if (payload[0] >> 4 == AacSoundFormat)
        {
            if (payload.Length < 2)
            {
                return;
            }

            if (payload[1] == 0)
            {
                audioHeader = -1;
                audio = Announce(TrackFormat.Aac(payload[2..]));
                return;
            }

            if (audio is not { Codec: SourceCodecs.Aac })
            {
                // Without a config the FLV header is all there is (for AAC it always says 44 kHz stereo).
                audioHeader = -1;
                audio = Announce(TrackFormat.AacWithoutConfig(AudioFormat.FromFlvHeader(payload[0], "AAC")));
            }

            Write(audio, audioClock.Ticks(timestamp), 0, true, body, 2);
            return;
        }

        if (audio is null || payload[0] != audioHeader)
        {
            audioHeader = payload[0];
            var codec = AudioCodec(payload);
            audio = Announce(TrackFormat.FlvBody(MediaKind.Audio, codec, AudioFormat.FromFlvHeader(payload[0], AudioCodecName(codec))));
        }

        Write(audio, audioClock.Ticks(timestamp), 0, true, body, 0);
    }

    private TrackFormat Announce(TrackFormat format)
    {
        sink.SetFormat(format);
        return format;
    }

    private void Write(TrackFormat format, long timestamp, int compositionOffset, bool keyframe, PooledBuffer body, int offset)
    {
        var unit = new AccessUnit(format, timestamp, compositionOffset, keyframe, body, offset);
        sink.Write(unit);
    }

    private static string AudioCodecName(string codec) => codec switch
    {
        "mp3" => "MP3",
        "pcm" => "PCM",
        "g711a" => "G.711 A-law",
        "g711u" => "G.711 µ-law",
        _ => codec,
    };

    private static string FourCc(ReadOnlySpan<byte> payload) =>
        payload.Length >= 5 && payload.Slice(1, 4).IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0
            ? System.Text.Encoding.ASCII.GetString(payload.Slice(1, 4))
            : "unknown";

    /// <summary>One track's FLV timestamps (32-bit milliseconds that may wrap) as ever-growing <see cref="MediaClock"/> ticks.</summary>
    private struct FlvClock
    {
        private bool started;
        private uint last;
        private long milliseconds;

        public long Ticks(uint timestamp)
        {
            // A step is the signed 32-bit difference: a wrap moves on, a small step back (B-frames, a jitter) goes back.
            milliseconds = started ? milliseconds + unchecked((int)(timestamp - last)) : timestamp;
            last = timestamp;
            started = true;
            return MediaClock.FromMilliseconds(milliseconds);
        }
    }
}

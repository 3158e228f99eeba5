using System.Buffers;
using Nio.Ingest.Codecs;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>
/// Measures one live stream's incoming media for the streamer's health view: codecs and picture size from the
/// sequence headers, frame rate, bitrates and keyframe interval from the tags' timestamps and sizes. Called for every
/// tag under the stream's lock, so <see cref="Observe"/> allocates nothing and only parses the (rare) sequence headers.
/// </summary>
public sealed class StreamHealthMeter
{
    private readonly TimestampWindow video = new();
    private readonly TimestampWindow audio = new();
    private long lastMediaAt = long.MinValue;
    private string? videoCodec;
    private AvcSequenceParameterSet? sps;
    private AudioFormat? audioFormat;
    private bool audioIsAac;
    private bool hasKeyframe;
    private uint lastKeyframe;
    private uint? keyframeInterval;

    /// <summary>The last sequence header that could not be understood, for the log; null when all were.</summary>
    public CodecConfigException? LastConfigError { get; private set; }

    /// <param name="tag">An audio or video tag; others are ignored.</param>
    /// <param name="nowMilliseconds">A monotonic clock in ms (<see cref="Environment.TickCount64"/>), for the time since the last media.</param>
    public void Observe(MediaTag tag, long nowMilliseconds)
    {
        var payload = tag.Payload;
        if (payload.IsEmpty)
        {
            return;
        }

        if (tag.Type == MediaTag.VideoType)
        {
            lastMediaAt = nowMilliseconds;
            ObserveVideo(tag, payload);
        }
        else if (tag.Type == MediaTag.AudioType)
        {
            lastMediaAt = nowMilliseconds;
            ObserveAudio(tag, payload);
        }
    }

    public StreamHealthReport Snapshot(long nowMilliseconds)
    {
        double? sinceLastMedia = lastMediaAt == long.MinValue ? null : Math.Max(0, nowMilliseconds - lastMediaAt) / 1000.0;
        var videoHealth = videoCodec is null ? null : new VideoHealth(
            videoCodec, sps?.Profile, sps?.Level, sps?.Width, sps?.Height, Round(video.PerSecond, 2), Round(video.KilobitsPerSecond, 1),
            Round(KeyframeIntervalMilliseconds() / 1000.0, 3));
        var audioHealth = audioFormat is not { } format ? null : new AudioHealth(format.Codec, format.SampleRate, format.Channels, Round(audio.KilobitsPerSecond, 1));
        return new StreamHealthReport(Round(sinceLastMedia, 3), videoHealth, audioHealth);
    }

    private void ObserveVideo(MediaTag tag, ReadOnlySpan<byte> payload)
    {
        // FLV video tag header (FLV spec v10 §E.4.3.1): FrameType u(4) (1 keyframe, 5 video info/command) | CodecID u(4),
        // then for AVC: AVCPacketType u(8) (0 sequence header, 1 NALUs, 2 end of sequence) and CompositionTime.
        // Enhanced RTMP sets the top bit: IsExHeader | FrameType u(3) | PacketType u(4) (0 sequence start,
        // 1 and 3 coded frames, 2 sequence end), then a FourCC.
        var first = payload[0];
        var extended = (first & 0x80) != 0;
        var frameType = extended ? (first >> 4) & 7 : first >> 4;
        var packetType = extended ? first & 0x0F : (first & 0x0F) == 7 && payload.Length > 1 ? payload[1] : 1;
        videoCodec ??= VideoCodecName(tag.Codec);
        if (packetType == 0)
        {
            ReadVideoConfig(tag, payload, extended);
            return;
        }

        if (frameType == 5 || packetType is 2 or > 3)
        {
            return;
        }

        video.Add(tag.Timestamp, payload.Length);
        if (frameType == 1)
        {
            if (hasKeyframe && unchecked(tag.Timestamp - lastKeyframe) is var interval && interval > 0 && interval < int.MaxValue)
            {
                keyframeInterval = interval;
            }

            hasKeyframe = true;
            lastKeyframe = tag.Timestamp;
        }
    }

    private void ReadVideoConfig(MediaTag tag, ReadOnlySpan<byte> payload, bool extended)
    {
        videoCodec = VideoCodecName(tag.Codec);
        sps = null;
        if (extended || (payload[0] & 0x0F) != 7 || payload.Length < 5)
        {
            // Only H.264's configuration is read; other codecs are reported by name.
            return;
        }

        try
        {
            // A copy: sequence headers come once a publish (and again when the encoder's settings change), not per frame.
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(payload[5..].ToArray()));
            if (AvcDecoderConfiguration.TryParse(ref reader, out var parsed))
            {
                sps = parsed;
            }
            else
            {
                LastConfigError = new CodecConfigException(CodecConfigError.Truncated, "the AVC sequence header ends inside its first SPS");
            }
        }
        catch (CodecConfigException exception)
        {
            LastConfigError = exception;
        }
    }

    private void ObserveAudio(MediaTag tag, ReadOnlySpan<byte> payload)
    {
        // FLV audio tag header (§E.4.2.1): SoundFormat u(4) | SoundRate u(2) | SoundSize u(1) | SoundType u(1); for
        // AAC (10) an AACPacketType u(8) follows: 0 AudioSpecificConfig, 1 raw frame.
        var aac = payload[0] >> 4 == 10;
        if (aac && payload.Length > 1 && payload[1] == 0)
        {
            try
            {
                audioFormat = AudioFormat.ParseAac(payload[2..]);
                audioIsAac = true;
            }
            catch (CodecConfigException exception)
            {
                LastConfigError = exception;
                audioFormat = new AudioFormat("AAC", null, null);
            }

            return;
        }

        if (!aac || !audioIsAac)
        {
            // Without a config the FLV header is all there is (for AAC it always says 44 kHz stereo, so only until one arrives).
            audioFormat ??= AudioFormat.FromFlvHeader(payload[0], AudioCodecName(tag.Codec));
        }

        audio.Add(tag.Timestamp, payload.Length);
    }

    /// <summary>The last interval between keyframes, or the time since the last keyframe once that is longer (keyframes stopped coming).</summary>
    private double? KeyframeIntervalMilliseconds()
    {
        if (keyframeInterval is not { } interval)
        {
            return null;
        }

        var sinceLast = unchecked(video.Newest - lastKeyframe);
        return sinceLast > interval && sinceLast < int.MaxValue ? sinceLast : interval;
    }

    private static string VideoCodecName(string? codec) => codec switch
    {
        SourceCodecs.Avc => "H.264",
        "hvc1" => "H.265",
        "av01" => "AV1",
        "vp09" => "VP9",
        "h263" => "Sorenson H.263",
        null => "unknown",
        _ => codec,
    };

    private static string AudioCodecName(string? codec) => codec switch
    {
        SourceCodecs.Aac => "AAC",
        "mp3" => "MP3",
        "pcm" => "PCM",
        "g711a" => "G.711 A-law",
        "g711u" => "G.711 µ-law",
        null => "unknown",
        _ => codec,
    };

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}

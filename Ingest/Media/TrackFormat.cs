using System.Buffers;
using Nio.Ingest.Codecs;
using Nio.Shared.Media;

namespace Nio.Ingest.Media;

public enum MediaKind
{
    Video,
    Audio,
}

/// <summary>
/// What one track of a live stream carries and what a decoder needs before its first access unit: H.264 with its
/// AVCDecoderConfigurationRecord (the SPS and PPS; profile, level and size read from the SPS), AAC with its
/// AudioSpecificConfig, Opus with its rate and channels, or a codec NIO does not read (<see cref="IsFlvBody"/>).
/// Immutable: a publisher that changes its configuration gives its track a new format, and every access unit refers to
/// the format it was coded with.
/// </summary>
public sealed class TrackFormat
{
    private TrackFormat(MediaKind kind, string codec, ReadOnlyMemory<byte> config)
    {
        Kind = kind;
        Codec = codec;
        Config = config;
    }

    public MediaKind Kind { get; }

    /// <summary>The codec's name in <see cref="SourceCodecs"/>: <c>avc</c>, <c>aac</c>, <c>opus</c>, or an FLV codec's (<c>h263</c>, <c>mp3</c>, <c>hvc1</c>…).</summary>
    public string Codec { get; }

    /// <summary>H.264: the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1); AAC: the AudioSpecificConfig; otherwise empty.</summary>
    public ReadOnlyMemory<byte> Config { get; }

    /// <summary>H.264: the first SPS of <see cref="Config"/>, when it could be read.</summary>
    public AvcSequenceParameterSet? Sps { get; private init; }

    /// <summary>Audio: codec, sample rate and channels as far as they are known.</summary>
    public AudioFormat? Audio { get; private init; }

    /// <summary>Why <see cref="Config"/> could not be read, when it could not: the media still flows, its details stay unknown.</summary>
    public CodecConfigException? ConfigError { get; private init; }

    /// <summary>
    /// A codec NIO does not read (Sorenson H.263, VP6, MP3, Enhanced RTMP's HEVC…): its access units are FLV tag bodies
    /// as the publisher sent them, which only the FLV writer can pass on (FFmpeg re-encodes them).
    /// </summary>
    public bool IsFlvBody => Codec is not (SourceCodecs.Avc or SourceCodecs.Aac or SourceCodecs.Opus);

    /// <summary>
    /// H.264 from an AVCDecoderConfigurationRecord (empty for frames that came before any); access units are NAL units
    /// behind the record's length fields.
    /// </summary>
    public static TrackFormat Avc(ReadOnlySpan<byte> decoderConfigurationRecord)
    {
        var config = decoderConfigurationRecord.ToArray();
        AvcSequenceParameterSet? sps = null;
        CodecConfigException? error = null;
        if (config.Length == 0)
        {
            return new TrackFormat(MediaKind.Video, SourceCodecs.Avc, config);
        }

        try
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(config));
            if (AvcDecoderConfiguration.TryParse(ref reader, out var parsed))
            {
                sps = parsed;
            }
            else
            {
                error = new CodecConfigException(CodecConfigError.Truncated, "the AVC sequence header ends inside its first SPS");
            }
        }
        catch (CodecConfigException exception)
        {
            error = exception;
        }

        return new TrackFormat(MediaKind.Video, SourceCodecs.Avc, config) { Sps = sps, ConfigError = error };
    }

    /// <summary>
    /// H.264 from its parameter sets as they arrive in band (an RTP publisher's SPS and PPS NAL units); access units are
    /// NAL units each behind a 4-byte big-endian length.
    /// </summary>
    public static TrackFormat Avc(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps) => Avc(AvcDecoderConfiguration.Build(sps, pps));

    /// <summary>AAC from its AudioSpecificConfig; access units are raw AAC frames.</summary>
    public static TrackFormat Aac(ReadOnlySpan<byte> audioSpecificConfig)
    {
        try
        {
            return new TrackFormat(MediaKind.Audio, SourceCodecs.Aac, audioSpecificConfig.ToArray()) { Audio = AudioFormat.ParseAac(audioSpecificConfig) };
        }
        catch (CodecConfigException exception)
        {
            return new TrackFormat(MediaKind.Audio, SourceCodecs.Aac, audioSpecificConfig.ToArray()) { Audio = new AudioFormat("AAC", null, null), ConfigError = exception };
        }
    }

    /// <summary>AAC frames that came before any AudioSpecificConfig: described by what the container says of them.</summary>
    public static TrackFormat AacWithoutConfig(AudioFormat described) => new(MediaKind.Audio, SourceCodecs.Aac, default) { Audio = described };

    /// <summary>Opus (RFC 7587: always a 48 kHz clock); access units are Opus packets.</summary>
    public static TrackFormat Opus(int channels) => new(MediaKind.Audio, SourceCodecs.Opus, default) { Audio = new AudioFormat("Opus", 48000, channels) };

    /// <summary>A codec NIO does not read, whose access units are FLV tag bodies (<see cref="IsFlvBody"/>).</summary>
    public static TrackFormat FlvBody(MediaKind kind, string codec, AudioFormat? audio = null) => new(kind, codec, default) { Audio = audio };
}

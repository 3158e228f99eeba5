namespace Nio.Ingest.Codecs;

/// <summary>
/// The audio format as the Ingest reports it: from an AAC AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), or from
/// the FLV audio tag header for other codecs (FLV spec v10 §E.4.2.1).
/// </summary>
public readonly record struct AudioFormat(string Codec, int? SampleRate, int? Channels)
{
    // §1.6.3.4 Table 1.18, samplingFrequencyIndex 0x0 … 0xC.
    private static readonly int[] SamplingFrequencies = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>
    /// Reads AudioSpecificConfig( ): audioObjectType u(5) (31: 32 + u(6)), samplingFrequencyIndex u(4) (0xF: the
    /// frequency as u(24)), channelConfiguration u(4); for explicit SBR/PS (object types 5 and 29) the extension
    /// sampling frequency follows, which is the rate a decoder outputs. Throws <see cref="CodecConfigException"/> when
    /// the config is shorter than those fields or uses a reserved frequency index.
    /// </summary>
    public static AudioFormat ParseAac(ReadOnlySpan<byte> config)
    {
        var bits = new BitReader(config, nalUnit: false);
        var objectType = ReadObjectType(ref bits);
        var sampleRate = ReadFrequency(ref bits);
        var channelConfiguration = bits.ReadBits(4);
        if (objectType is 5 or 29)
        {
            sampleRate = ReadFrequency(ref bits);
        }

        if (bits.Overrun)
        {
            throw new CodecConfigException(CodecConfigError.Truncated, $"an AudioSpecificConfig of {config.Length} bytes");
        }

        var codec = objectType switch
        {
            2 => "AAC-LC",
            5 => "HE-AAC",
            29 => "HE-AACv2",
            1 => "AAC Main",
            _ => $"AAC (object type {objectType})",
        };
        // §1.6.3.5 Table 1.19: configurations 1–6 have that many channels, 7 has 8 (7.1); 0 leaves it to a program
        // config element, which is not read here.
        int? channels = channelConfiguration switch
        {
            >= 1 and <= 6 => (int)channelConfiguration,
            7 => 8,
            _ => null,
        };
        return new AudioFormat(codec, sampleRate, channels);
    }

    /// <summary>
    /// From the first byte of an FLV audio tag: soundRate (2 bits: 5.5, 11, 22, 44 kHz) and soundType (mono, stereo).
    /// Nellymoser 8 and 16 kHz are mono at that rate whatever the bits say.
    /// </summary>
    public static AudioFormat FromFlvHeader(byte header, string codec)
    {
        var format = header >> 4;
        var sampleRate = format switch
        {
            4 => 16000,
            5 => 8000,
            7 or 8 => 8000, // G.711 is always 8 kHz
            _ => ((header >> 2) & 3) switch { 0 => 5512, 1 => 11025, 2 => 22050, _ => 44100 },
        };
        var channels = format is 4 or 5 or 7 or 8 ? 1 : (header & 1) + 1;
        return new AudioFormat(codec, sampleRate, channels);
    }

    private static uint ReadObjectType(ref BitReader bits)
    {
        var objectType = bits.ReadBits(5);
        return objectType == 31 ? 32 + bits.ReadBits(6) : objectType;
    }

    private static int ReadFrequency(ref BitReader bits)
    {
        var index = bits.ReadBits(4);
        if (index == 0xF)
        {
            return (int)bits.ReadBits(24);
        }

        if (index >= SamplingFrequencies.Length && !bits.Overrun)
        {
            throw new CodecConfigException(CodecConfigError.ValueOutOfRange, $"samplingFrequencyIndex {index} is reserved");
        }

        return index < SamplingFrequencies.Length ? SamplingFrequencies[index] : 0;
    }
}

using Nio.Ingest.Codecs;

namespace Nio.Ingest.Tests.Codecs;

public sealed class AudioFormatTests
{
    [Theory]
    [InlineData("1190", "AAC-LC", 48000, 2)] // what FFmpeg's aac encoder writes for 48 kHz stereo
    [InlineData("1210", "AAC-LC", 44100, 2)]
    [InlineData("1188", "AAC-LC", 48000, 1)]
    [InlineData("1378", "AAC-LC", 24000, 0)] // channelConfiguration 15 is reserved: channels unknown
    [InlineData("11B8", "AAC-LC", 48000, 8)] // channelConfiguration 7 is 7.1
    [InlineData("2B1188", "HE-AAC", 48000, 2)] // explicit SBR: core 24 kHz, output 48 kHz
    [InlineData("17805DC010", "AAC-LC", 48000, 2)] // samplingFrequencyIndex 0xF: the frequency written out (24 bits)
    public void Reads_the_audio_specific_config(string hex, string codec, int sampleRate, int channels)
    {
        var format = AudioFormat.ParseAac(Convert.FromHexString(hex));

        Assert.Equal((codec, sampleRate, channels == 0 ? null : (int?)channels), (format.Codec, format.SampleRate, format.Channels));
    }

    [Theory]
    [InlineData("")]
    [InlineData("11")]
    [InlineData("1780")]
    public void A_truncated_config_is_refused(string hex)
    {
        Assert.Equal(CodecConfigError.Truncated, Assert.Throws<CodecConfigException>(() => AudioFormat.ParseAac(Convert.FromHexString(hex))).Error);
    }

    [Fact]
    public void A_reserved_frequency_index_is_refused()
    {
        // audioObjectType 2, samplingFrequencyIndex 13.
        Assert.Equal(CodecConfigError.ValueOutOfRange, Assert.Throws<CodecConfigException>(() => AudioFormat.ParseAac([0x16, 0x90])).Error);
    }

    [Theory]
    [InlineData(0x2F, "MP3", 44100, 2)] // MP3, 44 kHz, 16 bit, stereo
    [InlineData(0x2A, "MP3", 22050, 1)]
    [InlineData(0x52, "Nellymoser", 8000, 1)]
    [InlineData(0x72, "G.711 A-law", 8000, 1)]
    public void Reads_the_flv_audio_header(byte header, string codec, int sampleRate, int channels)
    {
        Assert.Equal(new AudioFormat(codec, sampleRate, channels), AudioFormat.FromFlvHeader(header, codec));
    }
}

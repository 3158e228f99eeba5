using System.Buffers;
using Nio.Ingest.Codecs;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Codecs;

/// <summary>SPSs that FFmpeg's libx264 wrote (one frame of testsrc2, the SPS NAL unit cut out of the Annex B stream).</summary>
public sealed class AvcSequenceParameterSetTests
{
    public static TheoryData<string, string, string, int, int> X264 => new()
    {
        // -pix_fmt yuv420p: 360 is 22.5 macroblocks, so 368 coded rows cropped by 4 chroma rows.
        { "6764001eacd940a02ff97011000003000100000300320f162d96", "High", "3.0", 640, 360 },
        { "674d401feca02802dd80880000030008000003019078c18cb0", "Main", "3.1", 1280, 720 },
        { "67640028acd940780227e5c044000003000400000300c83c60c658", "High", "4.0", 1920, 1080 },
        // -profile:v baseline: x264 sets constraint_set1, so it is Constrained Baseline; 854 needs a right crop.
        { "6742c01ed900d83de6f011000003000100000300320f162e48", "Constrained Baseline", "3.0", 854, 480 },
        { "67640015acd941b1fe4f011000000300100000030320f162d960", "High", "2.1", 426, 240 },
        // -flags +ildct+ilme: frame_mbs_only_flag 0, so map units are field macroblock pairs and the crop unit doubles.
        { "67640028acd94078044fde0220000003002000000643e2c5b2c0", "High", "4.0", 1920, 1080 },
        // 4:4:4 (crop unit 1 × 1), 4:2:2 (2 × 1) and 10 bits.
        { "67f4001e919b281405ff1380880000030008000003019078b16cb0", "High 4:4:4 Predictive", "3.0", 640, 360 },
        { "677a001ebcd940a02ff89c0440000003004000000c83c58b6580", "High 4:2:2", "3.0", 640, 360 },
        { "676e001ea6cd940a02ff97011000000300100000030320f162d960", "High 10", "3.0", 640, 360 },
        { "6764001eacd940a42fe224c044000003000400000300c83c58b658", "High", "3.0", 642, 362 },
    };

    [Theory]
    [MemberData(nameof(X264))]
    public void Reads_profile_level_and_cropped_size_of_x264_sequence_parameter_sets(string hex, string profile, string level, int width, int height)
    {
        var sps = AvcSequenceParameterSet.Parse(Convert.FromHexString(hex));

        Assert.Equal((profile, level, width, height), (sps.Profile, sps.Level, sps.Width, sps.Height));
    }

    [Theory]
    [MemberData(nameof(X264))]
    public void Every_prefix_either_is_refused_as_truncated_or_reads_the_same(string hex, string profile, string level, int width, int height)
    {
        var bytes = Convert.FromHexString(hex);
        var complete = AvcSequenceParameterSet.Parse(bytes);
        for (var length = 0; length < bytes.Length; length++)
        {
            try
            {
                // Only the VUI follows the frame cropping, and it is not read: a prefix may hold all that is needed.
                Assert.Equal(complete, AvcSequenceParameterSet.Parse(bytes.AsSpan(0, length)));
            }
            catch (CodecConfigException exception)
            {
                Assert.Equal(CodecConfigError.Truncated, exception.Error);
            }
        }

        Assert.Equal((profile, level, width, height), (complete.Profile, complete.Level, complete.Width, complete.Height));
    }

    [Fact]
    public void A_scaling_matrix_is_stepped_over()
    {
        // profile_idc 100, level 30, id 0, chroma_format_idc 1, bit depths 0, bypass 0, seq_scaling_matrix_present 1,
        // list 0 present with delta_scale +8 then −16 (nextScale 0 ends it), lists 1–7 absent, then the 640×360 fields.
        var bits = new BitWriter();
        bits.Ue(0).Ue(1).Ue(0).Ue(0).Bit(0).Bit(1);
        bits.Bit(1).Se(8).Se(-16);
        for (var i = 1; i < 8; i++)
        {
            bits.Bit(0);
        }

        bits.Ue(0).Ue(0).Ue(1).Ue(0).Ue(0).Ue(39).Ue(22).Bit(1).Bit(1).Bit(1).Ue(0).Ue(0).Ue(0).Ue(4).Bit(1);
        var sps = AvcSequenceParameterSet.Parse([0x67, 100, 0, 30, .. bits.ToArray()]);

        Assert.Equal((640, 360), (sps.Width, sps.Height));
    }

    [Fact]
    public void Emulation_prevention_bytes_are_dropped()
    {
        // Baseline 640×360 with max_num_ref_frames 2^26 − 1: its Exp-Golomb code is 26 zero bits, a one, 26 zeros, so the RBSP
        // holds 0x0000 followed by a byte ≤ 3 and the encoder must insert 0x03 (§7.4.1). Read as is, that byte would
        // shift every later field.
        var bits = new BitWriter();
        bits.Ue(0).Ue(0).Ue(0).Ue(0).Ue((1 << 26) - 1).Bit(0).Ue(39).Ue(22).Bit(1).Bit(1).Bit(1).Ue(0).Ue(0).Ue(0).Ue(4).Bit(0).Bit(1);
        var rbsp = bits.ToArray();
        var escaped = Escape(rbsp);
        Assert.True(escaped.Length > rbsp.Length, "the test SPS needs an emulation prevention byte");

        var sps = AvcSequenceParameterSet.Parse([0x67, 66, 0, 30, .. escaped]);

        Assert.Equal((640, 360), (sps.Width, sps.Height));
    }

    [Theory]
    [InlineData("6864001eacd940", CodecConfigError.NotASequenceParameterSet)] // a PPS header
    [InlineData("e764001eacd940", CodecConfigError.NotASequenceParameterSet)] // forbidden_zero_bit set
    [InlineData("676400", CodecConfigError.Truncated)]
    [InlineData("6764001e00000000000001", CodecConfigError.ExpGolombTooLong)]
    public void Malformed_units_are_refused_with_a_reason(string hex, CodecConfigError expected)
    {
        Assert.Equal(expected, Assert.Throws<CodecConfigException>(() => AvcSequenceParameterSet.Parse(Convert.FromHexString(hex))).Error);
    }

    [Fact]
    public void A_crop_as_large_as_the_picture_is_refused()
    {
        var bits = new BitWriter();
        // Baseline 16×16 (one macroblock) with frame_crop_left_offset 8: 8 × CropUnitX 2 leaves nothing.
        bits.Ue(0).Ue(0).Ue(0).Ue(0).Ue(1).Bit(0).Ue(0).Ue(0).Bit(1).Bit(1).Bit(1).Ue(8).Ue(0).Ue(0).Ue(0).Bit(0).Bit(1);

        var error = Assert.Throws<CodecConfigException>(() => AvcSequenceParameterSet.Parse([0x67, 66, 0, 10, .. bits.ToArray()]));
        Assert.Equal(CodecConfigError.ValueOutOfRange, error.Error);
    }

    [Fact]
    public void Random_and_damaged_units_end_in_a_result_or_a_codec_config_error_only()
    {
        var random = new Random(20261203);
        var real = X264.Select(row => Convert.FromHexString((string)row[0])).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 64)];
                random.NextBytes(bytes);
                if (bytes.Length > 0)
                {
                    bytes[0] = 0x67;
                }
            }
            else
            {
                bytes = (byte[])real[random.Next(real.Length)].Clone();
                bytes[random.Next(1, bytes.Length)] ^= (byte)(1 << random.Next(8));
            }

            try
            {
                var sps = AvcSequenceParameterSet.Parse(bytes);
                Assert.InRange(sps.Width, 1, AvcSequenceParameterSet.MaxMacroblocksPerSide * 16);
                Assert.InRange(sps.Height, 1, AvcSequenceParameterSet.MaxMacroblocksPerSide * 16);
            }
            catch (CodecConfigException)
            {
            }
        }
    }

    [Fact]
    public void The_decoder_configuration_record_is_read_from_one_byte_per_segment_and_every_prefix_asks_for_more()
    {
        var sps = Convert.FromHexString("6764001eacd940a02ff97011000003000100000300320f162d96");
        byte[] record = [1, 0x64, 0x00, 0x1E, 0xFF, 0xE1, 0, (byte)sps.Length, .. sps, 1, 0, 4, 0x68, 0xEB, 0xE3, 0xCB];

        var whole = new SequenceReader<byte>(Sequences.SegmentPerByte(record));
        Assert.True(AvcDecoderConfiguration.TryParse(ref whole, out var parsed));
        Assert.Equal((640, 360), (parsed.Width, parsed.Height));
        Assert.Equal(8 + sps.Length, whole.Consumed);

        for (var length = 0; length < 8 + sps.Length; length++)
        {
            var prefix = new SequenceReader<byte>(Sequences.SegmentPerByte(record[..length]));
            Assert.False(AvcDecoderConfiguration.TryParse(ref prefix, out _));
            Assert.Equal(0, prefix.Consumed);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0, 0x64, 0, 0x1E, 0xFF, 0xE1, 0, 4 }, CodecConfigError.UnsupportedVersion)]
    [InlineData(new byte[] { 1, 0x64, 0, 0x1E, 0xFF, 0xE0, 0, 4 }, CodecConfigError.NotASequenceParameterSet)]
    public void A_record_of_another_version_or_without_sps_is_refused(byte[] record, CodecConfigError expected)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(record));
        try
        {
            AvcDecoderConfiguration.TryParse(ref reader, out _);
            Assert.Fail("accepted");
        }
        catch (CodecConfigException exception)
        {
            Assert.Equal(expected, exception.Error);
        }
    }

    /// <summary>Inserts emulation prevention bytes as an encoder does (§7.4.1).</summary>
    private static byte[] Escape(byte[] rbsp)
    {
        var escaped = new List<byte>();
        var zeros = 0;
        foreach (var b in rbsp)
        {
            if (zeros >= 2 && b <= 3)
            {
                escaped.Add(3);
                zeros = 0;
            }

            escaped.Add(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }

        return [.. escaped];
    }
}

/// <summary>Writes bits and Exp-Golomb codes most significant first, for hand-made SPSs.</summary>
internal sealed class BitWriter
{
    private readonly List<bool> bits = [];

    public BitWriter Bit(int bit)
    {
        bits.Add(bit != 0);
        return this;
    }

    public BitWriter Bits(ulong value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            bits.Add(((value >> i) & 1) != 0);
        }

        return this;
    }

    public BitWriter Ue(uint value)
    {
        var code = (ulong)value + 1;
        var length = 64 - System.Numerics.BitOperations.LeadingZeroCount(code);
        return Bits(0, length - 1).Bits(code, length);
    }

    public BitWriter Se(int value) => Ue(value > 0 ? (uint)(2 * value - 1) : (uint)(-2 * value));

    public byte[] ToArray()
    {
        var bytes = new byte[(bits.Count + 7) / 8];
        for (var i = 0; i < bits.Count; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(0x80 >> (i % 8));
            }
        }

        return bytes;
    }
}

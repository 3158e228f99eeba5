using System.Globalization;

namespace Nio.Ingest.Codecs;

/// <summary>
/// What the Ingest reads from an H.264 sequence parameter set: profile, level and the displayed picture size (the
/// coded size minus the frame cropping; the sample aspect ratio of the VUI is not applied).
/// </summary>
public readonly record struct AvcSequenceParameterSet(int ProfileIdc, int ConstraintFlags, int LevelIdc, int Width, int Height)
{
    /// <summary>Larger than any level of Annex A allows (level 6.2: 139,264 macroblocks a frame, 8,192 pixels a side).</summary>
    public const int MaxMacroblocksPerSide = 1024;

    private const int NalUnitTypeSps = 7;

    /// <summary>The profile's name (Annex A.2), e.g. <c>High</c>, <c>Constrained Baseline</c>.</summary>
    public string Profile => ProfileIdc switch
    {
        66 when (ConstraintFlags & 0x40) != 0 => "Constrained Baseline",
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4 Predictive",
        44 => "CAVLC 4:4:4 Intra",
        118 => "Multiview High",
        128 => "Stereo High",
        _ => $"profile {ProfileIdc}",
    };

    /// <summary>The level as written in Annex A, e.g. <c>3.1</c>; level_idc 11 with constraint_set3_flag in Baseline and Main is level 1b.</summary>
    public string Level => (LevelIdc, ProfileIdc) switch
    {
        (11, 66 or 77) when (ConstraintFlags & 0x10) != 0 => "1b",
        (9, _) => "1b",
        _ => string.Create(CultureInfo.InvariantCulture, $"{LevelIdc / 10}.{LevelIdc % 10}"),
    };

    /// <summary>
    /// Parses an SPS NAL unit (its one-byte header included) up to the frame cropping, the last field needed; the VUI
    /// that may follow is not read. Throws <see cref="CodecConfigException"/> when the unit is not an SPS, breaks a
    /// range the standard sets, or ends before those fields do.
    /// </summary>
    public static AvcSequenceParameterSet Parse(ReadOnlySpan<byte> nal)
    {
        // nal_unit( ): forbidden_zero_bit f(1), nal_ref_idc u(2), nal_unit_type u(5)
        if (nal.Length < 4 || (nal[0] & 0x80) != 0 || (nal[0] & 0x1F) != NalUnitTypeSps)
        {
            throw new CodecConfigException(nal.Length < 4 ? CodecConfigError.Truncated : CodecConfigError.NotASequenceParameterSet,
                nal.Length < 4 ? $"an SPS of {nal.Length} bytes" : $"NAL unit header 0x{nal[0]:X2}");
        }

        // seq_parameter_set_data( ) §7.3.2.1.1: profile_idc u(8), constraint_set0..5_flag u(6), reserved_zero_2bits u(2), level_idc u(8)
        var bits = new BitReader(nal[1..], nalUnit: true);
        var profileIdc = (int)bits.ReadBits(8);
        var constraintFlags = (int)bits.ReadBits(8);
        var levelIdc = (int)bits.ReadBits(8);
        Check(ref bits, bits.ReadUe() <= 31, "seq_parameter_set_id");

        var chromaFormatIdc = 1u;
        var separateColourPlane = false;
        if (profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormatIdc = bits.ReadUe();
            Check(ref bits, chromaFormatIdc <= 3, "chroma_format_idc");
            if (chromaFormatIdc == 3)
            {
                separateColourPlane = bits.ReadFlag();
            }

            Check(ref bits, bits.ReadUe() <= 6, "bit_depth_luma_minus8");
            Check(ref bits, bits.ReadUe() <= 6, "bit_depth_chroma_minus8");
            bits.ReadFlag(); // qpprime_y_zero_transform_bypass_flag
            if (bits.ReadFlag()) // seq_scaling_matrix_present_flag
            {
                for (var i = 0; i < (chromaFormatIdc != 3 ? 8 : 12); i++)
                {
                    if (bits.ReadFlag()) // seq_scaling_list_present_flag[i]
                    {
                        SkipScalingList(ref bits, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        Check(ref bits, bits.ReadUe() <= 12, "log2_max_frame_num_minus4");
        var picOrderCntType = bits.ReadUe();
        Check(ref bits, picOrderCntType <= 2, "pic_order_cnt_type");
        if (picOrderCntType == 0)
        {
            Check(ref bits, bits.ReadUe() <= 12, "log2_max_pic_order_cnt_lsb_minus4");
        }
        else if (picOrderCntType == 1)
        {
            bits.ReadFlag(); // delta_pic_order_always_zero_flag
            bits.ReadSe(); // offset_for_non_ref_pic
            bits.ReadSe(); // offset_for_top_to_bottom_field
            var cycle = bits.ReadUe();
            Check(ref bits, cycle <= 255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (var i = 0; i < Math.Min(cycle, 255); i++)
            {
                bits.ReadSe(); // offset_for_ref_frame[i]
            }
        }

        bits.ReadUe(); // max_num_ref_frames
        bits.ReadFlag(); // gaps_in_frame_num_value_allowed_flag
        var widthInMbs = bits.ReadUe() + 1; // pic_width_in_mbs_minus1
        var heightInMapUnits = bits.ReadUe() + 1; // pic_height_in_map_units_minus1
        var frameMbsOnly = bits.ReadFlag();
        if (!frameMbsOnly)
        {
            bits.ReadFlag(); // mb_adaptive_frame_field_flag
        }

        bits.ReadFlag(); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (bits.ReadFlag()) // frame_cropping_flag
        {
            cropLeft = bits.ReadUe();
            cropRight = bits.ReadUe();
            cropTop = bits.ReadUe();
            cropBottom = bits.ReadUe();
        }

        if (bits.Overrun)
        {
            throw new CodecConfigException(CodecConfigError.Truncated, "the SPS ends before its frame cropping");
        }

        Check(ref bits, widthInMbs <= MaxMacroblocksPerSide, "pic_width_in_mbs_minus1");
        Check(ref bits, heightInMapUnits <= MaxMacroblocksPerSide, "pic_height_in_map_units_minus1");
        // FrameHeightInMbs = ( 2 − frame_mbs_only_flag ) * PicHeightInMapUnits (7-18)
        var heightInMbs = (frameMbsOnly ? 1u : 2u) * heightInMapUnits;
        Check(ref bits, heightInMbs <= MaxMacroblocksPerSide, "pic_height_in_map_units_minus1");

        // (7-19)…(7-22): with ChromaArrayType 0, CropUnitX = 1 and CropUnitY = 2 − frame_mbs_only_flag; otherwise
        // CropUnitX = SubWidthC and CropUnitY = SubHeightC * ( 2 − frame_mbs_only_flag ) (Table 6-1).
        var chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        var subWidthC = chromaArrayType is 1 or 2 ? 2u : 1u;
        var subHeightC = chromaArrayType == 1 ? 2u : 1u;
        var cropUnitX = chromaArrayType == 0 ? 1u : subWidthC;
        var cropUnitY = (chromaArrayType == 0 ? 1u : subHeightC) * (frameMbsOnly ? 1u : 2u);
        var codedWidth = widthInMbs * 16;
        var codedHeight = heightInMbs * 16;
        // The crop must leave at least one sample: compared in 64 bits, each offset is up to 2^32 − 2.
        Check(ref bits, ((ulong)cropLeft + cropRight) * cropUnitX < codedWidth, "frame_crop_left_offset + frame_crop_right_offset");
        Check(ref bits, ((ulong)cropTop + cropBottom) * cropUnitY < codedHeight, "frame_crop_top_offset + frame_crop_bottom_offset");
        return new AvcSequenceParameterSet(profileIdc, constraintFlags, levelIdc,
            (int)(codedWidth - (cropLeft + cropRight) * cropUnitX), (int)(codedHeight - (cropTop + cropBottom) * cropUnitY));
    }

    // scaling_list( ) §7.3.2.1.1.1: only its length matters here. delta_scale is in −128..127.
    private static void SkipScalingList(ref BitReader bits, int size)
    {
        var lastScale = 8;
        var nextScale = 8;
        for (var j = 0; j < size && nextScale != 0; j++)
        {
            var delta = bits.ReadSe();
            Check(ref bits, delta is >= -128 and <= 127, "delta_scale");
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    // A value read partly past the end is garbage: that case is reported once, as truncated, by the caller.
    private static void Check(ref BitReader bits, bool inRange, string field)
    {
        if (!inRange && !bits.Overrun)
        {
            throw new CodecConfigException(CodecConfigError.ValueOutOfRange, $"{field} out of range");
        }
    }
}

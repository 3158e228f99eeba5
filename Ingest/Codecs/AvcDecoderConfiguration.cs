using System.Buffers;
using System.Buffers.Binary;

namespace Nio.Ingest.Codecs;

/// <summary>The first SPS of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1), as an AVC sequence header carries it.</summary>
public static class AvcDecoderConfiguration
{
    /// <summary>
    /// Reads the record up to the end of its first sequence parameter set. False means the bytes end before that and
    /// nothing was consumed; a record that breaks the format, or carries no SPS, throws <see cref="CodecConfigException"/>.
    /// </summary>
    public static bool TryParse(ref SequenceReader<byte> reader, out AvcSequenceParameterSet sps)
    {
        sps = default;
        // configurationVersion u(8) = 1, AVCProfileIndication u(8), profile_compatibility u(8), AVCLevelIndication u(8),
        // reserved '111111'b + lengthSizeMinusOne u(2), reserved '111'b + numOfSequenceParameterSets u(5),
        // then per SPS: sequenceParameterSetLength u(16), sequenceParameterSetNALUnit.
        Span<byte> header = stackalloc byte[8];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        if (header[0] != 1)
        {
            throw new CodecConfigException(CodecConfigError.UnsupportedVersion, $"configurationVersion {header[0]}");
        }

        if ((header[5] & 0x1F) == 0)
        {
            throw new CodecConfigException(CodecConfigError.NotASequenceParameterSet, "the record carries no SPS");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        if (reader.Remaining < header.Length + length)
        {
            return false;
        }

        reader.Advance(header.Length);
        var nal = reader.UnreadSequence.Slice(0, length);
        // The length field is 16 bits, so the copy is bounded; one sequence header a publish is no hot path.
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            nal.CopyTo(buffer);
            sps = AvcSequenceParameterSet.Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        reader.Advance(length);
        return true;
    }

    /// <summary>
    /// The record of one SPS and one PPS (NAL units, header byte included), with 4-byte NAL unit lengths: the profile,
    /// compatibility and level bytes are the SPS's own. Throws <see cref="CodecConfigException"/> when the SPS is too
    /// short to hold them or either set is longer than the record's 16-bit length field.
    /// </summary>
    public static byte[] Build(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (sps.Length < 4 || sps.Length > ushort.MaxValue || pps.Length > ushort.MaxValue)
        {
            throw new CodecConfigException(CodecConfigError.Truncated, $"an SPS of {sps.Length} bytes and a PPS of {pps.Length} bytes");
        }

        var record = new byte[6 + 2 + sps.Length + 1 + 2 + pps.Length];
        record[0] = 1;
        sps[1..4].CopyTo(record.AsSpan(1));
        record[4] = 0xFF; // reserved '111111'b, lengthSizeMinusOne 3
        record[5] = 0xE1; // reserved '111'b, numOfSequenceParameterSets 1
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(6), (ushort)sps.Length);
        sps.CopyTo(record.AsSpan(8));
        var rest = record.AsSpan(8 + sps.Length);
        rest[0] = 1; // numOfPictureParameterSets
        BinaryPrimitives.WriteUInt16BigEndian(rest[1..], (ushort)pps.Length);
        pps.CopyTo(rest[3..]);
        return record;
    }
}

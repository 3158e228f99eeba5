namespace Nio.Ingest.Codecs;

/// <summary>
/// Reads bits most significant first, with the Exp-Golomb codes of H.264 §9.1. In a NAL unit's payload it drops the
/// emulation prevention bytes on the way (§7.4.1: 0x000003 stands for 0x0000 and the 0x03 is discarded). Never reads past its input: a read beyond it yields 1-bits (so every Exp-Golomb code ends at once and no
/// loop runs on) and sets <see cref="Overrun"/>, which the caller turns into one "truncated" error.
/// </summary>
public ref struct BitReader(ReadOnlySpan<byte> data, bool nalUnit)
{
    private readonly ReadOnlySpan<byte> data = data;
    private readonly bool nalUnit = nalUnit;
    private int next;
    private int zeros;
    private int current;
    private int bitsLeft;

    /// <summary>True once a read went past the end of the input.</summary>
    public bool Overrun { get; private set; }

    public uint ReadBit()
    {
        if (bitsLeft == 0 && !LoadByte())
        {
            Overrun = true;
            return 1;
        }

        bitsLeft--;
        return (uint)(current >> bitsLeft) & 1;
    }

    /// <summary>u(n) for n ≤ 32.</summary>
    public uint ReadBits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | ReadBit();
        }

        return value;
    }

    public bool ReadFlag() => ReadBit() == 1;

    /// <summary>
    /// ue(v), §9.1: leadingZeroBits zeros, a one, then leadingZeroBits bits; codeNum = 2^leadingZeroBits − 1 + those
    /// bits. No syntax element needs more than 32 bits of code number, so more than 31 leading zeros is malformed.
    /// </summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (++leadingZeros > 31)
            {
                throw new CodecConfigException(CodecConfigError.ExpGolombTooLong, "an Exp-Golomb code with more than 31 leading zeros");
            }
        }

        return leadingZeros == 0 ? 0 : (uint)((1UL << leadingZeros) - 1 + ReadBits(leadingZeros));
    }

    /// <summary>se(v), §9.1.1: codeNum k maps to (−1)^(k+1) · Ceil(k ÷ 2).</summary>
    public int ReadSe()
    {
        var code = ReadUe();
        var magnitude = (int)((code + 1) / 2);
        return (code & 1) == 1 ? magnitude : -magnitude;
    }

    private bool LoadByte()
    {
        if (nalUnit && next < data.Length && zeros >= 2 && data[next] == 3)
        {
            // emulation_prevention_three_byte
            next++;
            zeros = 0;
        }

        if (next >= data.Length)
        {
            return false;
        }

        current = data[next++];
        zeros = current == 0 ? zeros + 1 : 0;
        bitsLeft = 8;
        return true;
    }
}

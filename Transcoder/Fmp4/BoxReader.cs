using System.Buffers.Binary;

namespace Nio.Transcoder.Fmp4;

/// <summary>
/// Reads fields from the body of one box that is already whole in memory. Every read is bounds-checked, so a field
/// that runs past its box ends the stream with <see cref="Fmp4Error.Truncated"/> instead of reading a neighbour.
/// </summary>
internal ref struct BoxReader(ReadOnlySpan<byte> data, uint type)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly int Remaining => data.Length - position;

    public readonly ReadOnlySpan<byte> Rest => data[position..];

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    /// <summary>Reads the version and flags of a FullBox (ISO/IEC 14496-12 §4.2).</summary>
    public (byte Version, uint Flags) ReadFullBoxHeader()
    {
        var word = ReadUInt32();
        return ((byte)(word >> 24), word & 0xFFFFFF);
    }

    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new Fmp4FormatException(Fmp4Error.Truncated, $"'{BoxType.Name(type)}' ends {count - Remaining} bytes early");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}

/// <summary>Walks the child boxes packed in a span (a container's body, or the tail of a sample entry).</summary>
internal ref struct ChildBoxes(ReadOnlySpan<byte> data, uint parent)
{
    private ReadOnlySpan<byte> rest = data;

    public uint Type { get; private set; }

    public ReadOnlySpan<byte> Body { get; private set; }

    public bool MoveNext()
    {
        if (rest.IsEmpty)
        {
            return false;
        }

        var reader = new BoxReader(rest, parent);
        var size = (ulong)reader.ReadUInt32();
        Type = reader.ReadUInt32();
        if (size == 1)
        {
            size = reader.ReadUInt64();
        }
        else if (size == 0)
        {
            // "Extends to the end of the enclosing box" is legal only at top level of a file; NIO's writer never uses it.
            throw new Fmp4FormatException(Fmp4Error.BadBoxSize, $"'{BoxType.Name(Type)}' in '{BoxType.Name(parent)}' has size 0");
        }

        var headerLength = (ulong)(rest.Length - reader.Remaining);
        if (size < headerLength || size > (ulong)rest.Length)
        {
            throw new Fmp4FormatException(
                Fmp4Error.BadBoxSize, $"'{BoxType.Name(Type)}' in '{BoxType.Name(parent)}' claims {size} bytes, {rest.Length} are left");
        }

        Body = rest[(int)headerLength..(int)size];
        rest = rest[(int)size..];
        return true;
    }
}

/// <summary>Reads big-endian bit fields, as the MPEG-4 audio configuration packs them.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> data, uint type)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int bitPosition;

    public int Read(int count)
    {
        if (bitPosition + count > data.Length * 8)
        {
            throw new Fmp4FormatException(Fmp4Error.Truncated, $"'{BoxType.Name(type)}' ends inside a bit field");
        }

        var value = 0;
        for (var i = 0; i < count; i++, bitPosition++)
        {
            value = (value << 1) | ((data[bitPosition >> 3] >> (7 - (bitPosition & 7))) & 1);
        }

        return value;
    }
}

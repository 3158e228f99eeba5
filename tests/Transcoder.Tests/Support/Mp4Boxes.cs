using System.Buffers.Binary;
using System.Text;

namespace Nio.Transcoder.Tests.Support;

/// <summary>Writes ISO BMFF boxes by hand, for inputs FFmpeg never produces.</summary>
public static class Mp4Boxes
{
    public static byte[] Box(string type, params byte[][] body)
    {
        var content = body.SelectMany(part => part).ToArray();
        return [.. U32((uint)(8 + content.Length)), .. Encoding.ASCII.GetBytes(type), .. content];
    }

    public static byte[] FullBox(string type, byte version, uint flags, params byte[][] body) =>
        Box(type, [U32(((uint)version << 24) | flags), .. body]);

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The offset of the first box of <paramref name="type"/> in <paramref name="bytes"/> (its size field).</summary>
    public static int Find(byte[] bytes, string type) => bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(type)) - 4;
}

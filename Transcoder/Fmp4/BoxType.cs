using System.Buffers.Binary;
using System.Text;

namespace Nio.Transcoder.Fmp4;

/// <summary>The four-character codes NIO reads, as big-endian integers.</summary>
internal static class BoxType
{
    public const uint Ftyp = 0x66747970;
    public const uint Moov = 0x6D6F6F76;
    public const uint Moof = 0x6D6F6F66;
    public const uint Mdat = 0x6D646174;
    public const uint Trak = 0x7472616B;
    public const uint Tkhd = 0x746B6864;
    public const uint Mdia = 0x6D646961;
    public const uint Mdhd = 0x6D646864;
    public const uint Hdlr = 0x68646C72;
    public const uint Minf = 0x6D696E66;
    public const uint Stbl = 0x7374626C;
    public const uint Stsd = 0x73747364;
    public const uint Mvex = 0x6D766578;
    public const uint Trex = 0x74726578;
    public const uint Traf = 0x74726166;
    public const uint Tfhd = 0x74666864;
    public const uint Tfdt = 0x74666474;
    public const uint Trun = 0x7472756E;
    public const uint Avc1 = 0x61766331;
    public const uint Avc3 = 0x61766333;
    public const uint AvcC = 0x61766343;
    public const uint Mp4a = 0x6D703461;
    public const uint Esds = 0x65736473;
    public const uint Vide = 0x76696465;
    public const uint Soun = 0x736F756E;

    public static string Name(uint type)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, type);
        foreach (var b in bytes)
        {
            // Hostile input ends up in exception messages: keep them printable.
            if (b is < 0x20 or > 0x7E)
            {
                return $"0x{type:X8}";
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }
}

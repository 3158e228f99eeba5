using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// The simple RTMP handshake (§5.2): C0+C1 in, S0+S1+S2 out, C2 in. S1 carries zeros where the digest
/// variant puts its version, which tells clients (FFmpeg, librtmp/OBS, GStreamer) to use the simple scheme.
/// </summary>
public static class Handshake
{
    public const int PacketSize = 1536;
    private const byte Version = 3;

    /// <summary>Checks C0: the version the client asks for.</summary>
    public static void CheckC0(byte version)
    {
        if (version != Version)
        {
            throw new RtmpProtocolException(RtmpError.BadHandshakeVersion, $"C0 asks for version {version}, NIO speaks {Version}");
        }
    }

    /// <summary>Writes S0, S1 (time, zeros, random) and S2 (an echo of C1 with our read time).</summary>
    public static void WriteS0S1S2(IBufferWriter<byte> output, ReadOnlySpan<byte> c1, uint uptimeMilliseconds)
    {
        var span = output.GetSpan(1 + 2 * PacketSize);
        span[0] = Version;
        var s1 = span.Slice(1, PacketSize);
        BinaryPrimitives.WriteUInt32BigEndian(s1, uptimeMilliseconds);
        s1.Slice(4, 4).Clear();
        RandomNumberGenerator.Fill(s1[8..]);
        var s2 = span.Slice(1 + PacketSize, PacketSize);
        c1.CopyTo(s2);
        BinaryPrimitives.WriteUInt32BigEndian(s2[4..], uptimeMilliseconds);
        output.Advance(1 + 2 * PacketSize);
    }
}

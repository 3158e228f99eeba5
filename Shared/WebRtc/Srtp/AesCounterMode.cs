using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Nio.WebRtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 §4.1.1), built on one cached AES-ECB transform so that a packet
/// costs one native call and no allocation.
/// </summary>
/// <remarks>
/// "Each keystream segment SHALL be the concatenation of the 128-bit output blocks of the AES cipher in the encrypt
/// direction, using key k = k_e, in which the block indices are in increasing order. Symbolically, each keystream
/// segment looks like E(k, IV) || E(k, IV + 1 mod 2^128) || E(k, IV + 2 mod 2^128) ..." The IV's low 16 bits are zero
/// in SRTP, so block j of a segment (at most 2^16 blocks) is the IV with <c>j</c> in its last two bytes.
/// Not thread-safe: one instance belongs to one <see cref="SrtpContext"/>.
/// </remarks>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;

    // Counter blocks in, keystream out, this many blocks per native call; a 1,200-byte packet needs 75.
    private const int ChunkBlocks = 128;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[ChunkBlocks * BlockSize];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> in place with the keystream that starts at <paramref name="iv"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("the IV is one AES block", nameof(iv));
        }

        if (data.Length > BlockSize << 16)
        {
            throw new ArgumentException("a keystream segment is at most 2^16 blocks", nameof(data));
        }

        var block = 0;
        while (!data.IsEmpty)
        {
            var chunk = Math.Min(data.Length, _counters.Length);
            var blocks = (chunk + BlockSize - 1) / BlockSize;
            for (var i = 0; i < blocks; i++)
            {
                var counter = _counters.AsSpan(i * BlockSize, BlockSize);
                iv.CopyTo(counter);
                BinaryPrimitives.WriteUInt16BigEndian(counter[14..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[14..]) + block + i));
            }

            _ecb.TransformBlock(_counters, 0, blocks * BlockSize, _keystream, 0);
            Xor(data[..chunk], _keystream.AsSpan(0, chunk));
            data = data[chunk..];
            block += blocks;
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= data.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}

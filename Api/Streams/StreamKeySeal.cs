using System.Security.Cryptography;
using System.Text;

namespace Nio.Api.Streams;

/// <summary>
/// Seals stream keys with AES-256-GCM so their owner can see them again, while the database alone never yields a
/// usable key. The 256-bit key is derived (HKDF-SHA256) from a secret generated into the data folder at first run;
/// the stream's id is the associated data, so a sealed key copied onto another stream's row does not open.
/// Layout: nonce (12 bytes) || ciphertext || tag (16 bytes).
/// </summary>
public sealed class StreamKeySeal
{
    /// <summary>The data folder's secret the sealing key comes from.</summary>
    public const string SecretName = "stream_key_seal";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "nio stream key seal v1"u8.ToArray();

    private readonly byte[] key;

    public StreamKeySeal(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Purpose);
    }

    public byte[] Seal(Guid streamId, string streamKey)
    {
        var plaintext = Encoding.UTF8.GetBytes(streamKey);
        var sealedKey = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedKey.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(NonceSize, plaintext.Length), sealedKey.AsSpan(NonceSize + plaintext.Length), streamId.ToByteArray());
        return sealedKey;
    }

    /// <summary>The key, or null when the bytes were not sealed for this stream under this secret.</summary>
    public string? Open(Guid streamId, byte[] sealedKey)
    {
        if (sealedKey.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = sealedKey.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedKey.AsSpan(0, NonceSize), sealedKey.AsSpan(NonceSize, length), sealedKey.AsSpan(NonceSize + length), plaintext, streamId.ToByteArray());
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plaintext);
    }
}

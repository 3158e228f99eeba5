namespace Nio.WebRtc.Dtls;

/// <summary>The SRTP protection profiles this server negotiates in the <c>use_srtp</c> extension, by their RFC code points.</summary>
public enum DtlsSrtpProfile
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2), the one every WebRTC endpoint must implement.</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2).</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>
/// The SRTP master keys and salts a DTLS-SRTP handshake produced, for the profile it chose.
/// The client (the browser) protects what it sends with the client keys; the server protects with the server keys.
/// </summary>
public sealed class DtlsSrtpKeys
{
    private DtlsSrtpKeys(DtlsSrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt)
    {
        Profile = profile;
        ClientMasterKey = clientKey;
        ClientMasterSalt = clientSalt;
        ServerMasterKey = serverKey;
        ServerMasterSalt = serverSalt;
    }

    public DtlsSrtpProfile Profile { get; }

    public ReadOnlyMemory<byte> ClientMasterKey { get; }

    public ReadOnlyMemory<byte> ClientMasterSalt { get; }

    public ReadOnlyMemory<byte> ServerMasterKey { get; }

    public ReadOnlyMemory<byte> ServerMasterSalt { get; }

    /// <summary>Master key length in bytes: 128-bit keys for both profiles (RFC 5764 §4.1.2, RFC 7714 §12).</summary>
    public const int MasterKeyLength = 16;

    /// <summary>Master salt length in bytes: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for AES-GCM (RFC 7714 §12).</summary>
    public static int MasterSaltLength(DtlsSrtpProfile profile) => profile == DtlsSrtpProfile.AeadAes128Gcm ? 12 : 14;

    /// <summary>How many bytes of keying material to export for the profile: a key and a salt for each direction.</summary>
    public static int ExportLength(DtlsSrtpProfile profile) => 2 * (MasterKeyLength + MasterSaltLength(profile));

    /// <summary>Splits exported keying material in the order RFC 5764 §4.2 gives.</summary>
    /// <remarks>
    /// RFC 5764 §4.2:
    /// <code>
    /// client_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
    /// server_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
    /// client_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
    /// server_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
    /// </code>
    /// </remarks>
    public static DtlsSrtpKeys FromKeyingMaterial(DtlsSrtpProfile profile, ReadOnlySpan<byte> material)
    {
        const int keyLength = MasterKeyLength;
        var saltLength = MasterSaltLength(profile);
        if (material.Length != ExportLength(profile))
        {
            throw new ArgumentException($"{profile} needs {ExportLength(profile)} bytes of keying material, not {material.Length}.", nameof(material));
        }

        return new DtlsSrtpKeys(
            profile,
            clientKey: material[..keyLength].ToArray(),
            clientSalt: material.Slice(2 * keyLength, saltLength).ToArray(),
            serverKey: material.Slice(keyLength, keyLength).ToArray(),
            serverSalt: material.Slice((2 * keyLength) + saltLength, saltLength).ToArray());
    }
}

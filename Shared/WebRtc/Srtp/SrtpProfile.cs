namespace Nio.WebRtc.Srtp;

/// <summary>The SRTP protection profiles NIO negotiates in DTLS <c>use_srtp</c>; the values are their IANA code points.</summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2), the one every WebRTC endpoint must offer.</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (RFC 7714 §14.2).</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>Key, salt and tag sizes of each profile.</summary>
public static class SrtpProfiles
{
    /// <summary>Master and session key length in bytes (both profiles use AES-128).</summary>
    public const int KeyLength = 16;

    /// <summary>Master salt length: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for AES-GCM (RFC 7714 §12).</summary>
    public static int SaltLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP profile"),
    };

    /// <summary>Authentication tag length in bytes: 80 bits of HMAC-SHA1, or GCM's 16-byte tag.</summary>
    public static int TagLength(SrtpProfile profile) => profile == SrtpProfile.AeadAes128Gcm ? 16 : 10;

    /// <summary>The most bytes protecting an RTP packet adds (the tag).</summary>
    public static int RtpOverhead(SrtpProfile profile) => TagLength(profile);

    /// <summary>The most bytes protecting an RTCP packet adds (E flag with SRTCP index, and the tag).</summary>
    public static int RtcpOverhead(SrtpProfile profile) => TagLength(profile) + 4;

    /// <summary>
    /// Length of the keying material a DTLS-SRTP handshake exports for the profile (RFC 5764 §4.2):
    /// <c>2 * (key + salt)</c>, 60 bytes for AES-CM and 56 for AES-GCM.
    /// </summary>
    public static int KeyingMaterialLength(SrtpProfile profile) => 2 * (KeyLength + SaltLength(profile));

    public static bool IsSupported(SrtpProfile profile) =>
        profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AeadAes128Gcm;
}

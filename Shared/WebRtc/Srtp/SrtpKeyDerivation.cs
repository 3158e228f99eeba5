namespace Nio.WebRtc.Srtp;

/// <summary>The SRTP key derivation function with the AES-CM PRF and a key derivation rate of zero (RFC 3711 §4.3).</summary>
internal static class SrtpKeyDerivation
{
    // RFC 3711 §4.3.2: the labels of the six session keys.
    public const byte RtpEncryption = 0x00;
    public const byte RtpAuthentication = 0x01;
    public const byte RtpSalt = 0x02;
    public const byte RtcpEncryption = 0x03;
    public const byte RtcpAuthentication = 0x04;
    public const byte RtcpSalt = 0x05;

    private const int SaltFieldLength = 14;

    /// <summary>Fills <paramref name="output"/> with the session key of <paramref name="label"/>.</summary>
    /// <remarks>
    /// RFC 3711 §4.3.1: "Let r = index DIV key_derivation_rate (with DIV as defined above). Let key_id = &lt;label&gt; || r.
    /// Let x = key_id XOR master_salt, where key_id and master_salt are aligned so that their least significant bits
    /// agree (right-alignment)." With a rate of zero r is 0, so key_id is the label in the seventh byte from the right.
    /// §4.3.3: "the PRF MUST be AES in Counter Mode ... with IV = x*2^16". An AES-GCM master salt is 96 bits
    /// (RFC 7714 §11); it is extended to the 112-bit field with zeros on the right, as libsrtp does.
    /// </remarks>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > SaltFieldLength)
        {
            throw new ArgumentException("a master salt is at most 112 bits", nameof(masterSalt));
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[SaltFieldLength - 7] ^= label;

        output.Clear();
        using var prf = new AesCounterMode(masterKey);
        prf.Apply(iv, output);
    }
}

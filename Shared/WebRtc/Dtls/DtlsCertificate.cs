using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// The server's own identity in DTLS: an ECDSA P-256 key and a self-signed certificate, made when the process starts.
/// Peers trust it through the fingerprint the SDP answer carries, not through a certificate authority (RFC 5763 §5),
/// so nothing is stored: a restart makes a new one.
/// </summary>
public sealed class DtlsCertificate
{
    /// <summary>How long a generated certificate is valid; a process running longer keeps using it (peers check the fingerprint only).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
        Fingerprint = DtlsFingerprint.Sha256(der);
    }

    /// <summary>The certificate's DER encoding, as sent in the handshake's Certificate message.</summary>
    public ReadOnlyMemory<byte> Der { get; }

    /// <summary>The SHA-256 fingerprint for the SDP answer's <c>a=fingerprint</c> line (<c>sha-256 AB:CD:…</c>).</summary>
    public DtlsFingerprint Fingerprint { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Makes a new key pair and a certificate valid from a day before now (clock skew) until <paramref name="validity"/> from now.</summary>
    public static DtlsCertificate Generate(TimeProvider? time = null, TimeSpan? validity = null)
    {
        var random = new SecureRandom();
        var keys = new ECKeyPairGenerator();
        keys.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = keys.GenerateKeyPair();

        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=nio");
        var generator = new X509V3CertificateGenerator();
        // RFC 5280 §4.1.2.2: the serial number MUST be a positive integer of at most 20 octets.
        generator.SetSerialNumber(new BigInteger(128, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now + (validity ?? DefaultValidity));
        generator.SetPublicKey(keyPair.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate.GetEncoded(), keyPair.Private);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void The_certificate_is_self_signed_ecdsa_p256_valid_for_thirty_days_and_its_fingerprint_is_its_sha256()
    {
        var before = DateTime.UtcNow;
        var generated = DtlsCertificate.Generate();

        using var certificate = X509CertificateLoader.LoadCertificate(generated.Der.Span);
        using var key = certificate.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Equal(certificate.Subject, certificate.Issuer);
        Assert.True(key.VerifyData(TbsCertificate(certificate.RawData, out var signature), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.InRange(certificate.NotAfter.ToUniversalTime() - before, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        Assert.True(certificate.NotBefore.ToUniversalTime() < before);

        var expected = "sha-256 " + string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2")));
        Assert.Equal(expected, generated.Fingerprint.ToString());
    }

    [Fact]
    public void Each_start_makes_a_new_key_and_certificate()
    {
        Assert.NotEqual(DtlsCertificate.Generate().Fingerprint.ToString(), DtlsCertificate.Generate().Fingerprint.ToString());
    }

    /// <summary>The signed part of a certificate and its signature (RFC 5280 §4.1: SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }).</summary>
    private static byte[] TbsCertificate(byte[] der, out byte[] signature)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue().ToArray();
        reader.ReadSequence();
        signature = reader.ReadBitString(out _);
        return tbs;
    }
}

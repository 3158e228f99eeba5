using System.Security.Cryptography;
using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    // A Chromium offer's fingerprint line, without "a=fingerprint:".
    private const string ChromiumStyle =
        "sha-256 2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D:8B";

    [Fact]
    public void An_sdp_fingerprint_reads_and_writes_back_unchanged()
    {
        Assert.True(DtlsFingerprint.TryParse(ChromiumStyle, out var fingerprint));

        Assert.Equal("sha-256", fingerprint!.Algorithm);
        Assert.Equal(32, fingerprint.Hash.Length);
        Assert.Equal(0x2C, fingerprint.Hash[0]);
        Assert.Equal(0x8B, fingerprint.Hash[31]);
        Assert.Equal(ChromiumStyle, fingerprint.ToString());
    }

    [Theory]
    [InlineData("SHA-256 2c:6b:e5:1a:3f:51:30:a1:4d:62:66:86:75:79:c2:86:55:0f:62:6e:f0:5a:c9:8f:3a:4f:d2:6c:a6:11:0d:8b")]
    [InlineData("  sha-256  2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D:8B  ")]
    public void Case_and_surrounding_spaces_do_not_matter(string value)
    {
        Assert.True(DtlsFingerprint.TryParse(value, out var fingerprint));
        Assert.Equal(ChromiumStyle, fingerprint!.ToString());
    }

    [Theory]
    [InlineData("md5 2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86")]
    [InlineData("sha-1 2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E")]
    [InlineData("sha-256 2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D")]
    [InlineData("sha-256 2C:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D:8B:00")]
    [InlineData("sha-256 2C-6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D:8B")]
    [InlineData("sha-256 2G:6B:E5:1A:3F:51:30:A1:4D:62:66:86:75:79:C2:86:55:0F:62:6E:F0:5A:C9:8F:3A:4F:D2:6C:A6:11:0D:8B")]
    [InlineData("sha-256")]
    [InlineData("")]
    public void Weak_hashes_and_malformed_values_are_refused(string value)
    {
        Assert.False(DtlsFingerprint.TryParse(value, out var fingerprint));
        Assert.Null(fingerprint);
    }

    [Fact]
    public void Every_prefix_of_a_fingerprint_is_refused()
    {
        for (var length = 0; length < ChromiumStyle.Length; length++)
        {
            Assert.False(DtlsFingerprint.TryParse(ChromiumStyle.AsSpan(0, length), out _), ChromiumStyle[..length]);
        }
    }

    [Fact]
    public void Random_text_is_refused_without_exceptions()
    {
        var random = new Random(8122);
        const string alphabet = "sha-256 0123456789ABCDEFabcdef:xyz ";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            _ = DtlsFingerprint.TryParse(text, out _);
        }
    }

    [Theory]
    [InlineData("sha-256")]
    [InlineData("sha-384")]
    [InlineData("sha-512")]
    public void A_fingerprint_matches_its_certificate_and_no_other(string algorithm)
    {
        var certificate = DtlsCertificate.Generate().Der.ToArray();
        var other = DtlsCertificate.Generate().Der.ToArray();
        var hash = algorithm switch
        {
            "sha-256" => SHA256.HashData(certificate),
            "sha-384" => SHA384.HashData(certificate),
            _ => SHA512.HashData(certificate),
        };
        Assert.True(DtlsFingerprint.TryParse(algorithm + " " + string.Join(':', hash.Select(b => b.ToString("X2"))), out var fingerprint));

        Assert.True(fingerprint!.Matches(certificate));
        Assert.False(fingerprint.Matches(other));
    }

    [Fact]
    public void With_several_fingerprints_only_those_of_the_strongest_hash_count()
    {
        var certificate = DtlsCertificate.Generate().Der.ToArray();
        var other = DtlsCertificate.Generate().Der.ToArray();
        var sha256OfCertificate = DtlsFingerprint.Sha256(certificate);
        Assert.True(DtlsFingerprint.TryParse("sha-512 " + string.Join(':', SHA512.HashData(other).Select(b => b.ToString("X2"))), out var sha512OfOther));

        Assert.True(DtlsFingerprint.MatchesAnyStrongest([sha256OfCertificate], certificate));
        // RFC 8122 §5: the sha-512 set is the one checked, and it names another certificate.
        Assert.False(DtlsFingerprint.MatchesAnyStrongest([sha256OfCertificate, sha512OfOther!], certificate));
        Assert.False(DtlsFingerprint.MatchesAnyStrongest([], certificate));
    }
}

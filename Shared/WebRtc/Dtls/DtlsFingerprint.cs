using System.Security.Cryptography;
using System.Text;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP's <c>a=fingerprint</c> carries it (RFC 8122): the hash function's name and the hash
/// of the certificate's DER encoding.
/// </summary>
public sealed class DtlsFingerprint
{
    /// <summary>The longest value accepted: sha-512 is 64 bytes, written as 64 pairs of hex digits and 63 colons.</summary>
    private const int MaxHexLength = (64 * 3) - 1;

    private readonly byte[] _hash;

    private DtlsFingerprint(string algorithm, byte[] hash)
    {
        Algorithm = algorithm;
        _hash = hash;
    }

    /// <summary>The hash function's name as SDP writes it (<c>sha-256</c>, <c>sha-384</c>, <c>sha-512</c>).</summary>
    public string Algorithm { get; }

    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>The SHA-256 fingerprint of a DER-encoded certificate, the hash function WebRTC endpoints must support.</summary>
    public static DtlsFingerprint Sha256(ReadOnlySpan<byte> certificateDer) => new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>
    /// Reads the value of an <c>a=fingerprint</c> attribute (without the <c>fingerprint:</c> name).
    /// Only SHA-2 functions are accepted: RFC 8122 §5 forbids MD2 and MD5, and SHA-1 is refused as too weak.
    /// </summary>
    /// <remarks>
    /// RFC 8122 §5:
    /// <code>
    /// fingerprint-attribute  =  "fingerprint" HCOLON hash-func SP fingerprint
    /// hash-func              =  "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / "md5" / "md2" / token
    /// fingerprint            =  2UHEX *(COLON 2UHEX)
    /// </code>
    /// The grammar asks for upper-case hex; lower case is accepted as well, being unambiguous.
    /// </remarks>
    public static bool TryParse(ReadOnlySpan<char> value, out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        value = value.Trim();
        var space = value.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var hashLength = HashLength(value[..space]);
        var hex = value[(space + 1)..].TrimStart(' ');
        if (hashLength == 0 || hex.Length > MaxHexLength || hex.Length != (hashLength * 3) - 1)
        {
            return false;
        }

        var hash = new byte[hashLength];
        for (var i = 0; i < hashLength; i++)
        {
            var pair = hex.Slice(i * 3, 2);
            if ((i > 0 && hex[(i * 3) - 1] != ':') || !char.IsAsciiHexDigit(pair[0]) || !char.IsAsciiHexDigit(pair[1]))
            {
                return false;
            }

            hash[i] = (byte)((HexValue(pair[0]) << 4) | HexValue(pair[1]));
        }

        fingerprint = new DtlsFingerprint(value[..space].ToString().ToLowerInvariant(), hash);
        return true;
    }

    /// <summary>Whether NIO checks certificates with this hash function (<c>sha-256</c>, <c>sha-384</c>, <c>sha-512</c>).</summary>
    public static bool IsAccepted(ReadOnlySpan<char> algorithm) => HashLength(algorithm) != 0;

    /// <summary>Whether this is the fingerprint of the DER-encoded certificate, compared in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        Span<byte> actual = stackalloc byte[64];
        var written = Algorithm switch
        {
            "sha-256" => SHA256.HashData(certificateDer, actual),
            "sha-384" => SHA384.HashData(certificateDer, actual),
            _ => SHA512.HashData(certificateDer, actual),
        };
        return CryptographicOperations.FixedTimeEquals(actual[..written], _hash);
    }

    /// <summary>
    /// Whether the certificate matches one of the fingerprints that use the strongest hash function among them.
    /// RFC 8122 §5: "An endpoint MUST select the set of fingerprints that use its most preferred hash function (out of
    /// those offered by the peer) and verify that each certificate used matches one fingerprint out of that set."
    /// </summary>
    public static bool MatchesAnyStrongest(IReadOnlyCollection<DtlsFingerprint> fingerprints, ReadOnlySpan<byte> certificateDer)
    {
        var strongest = fingerprints.Count == 0 ? 0 : fingerprints.Max(fingerprint => fingerprint._hash.Length);
        foreach (var fingerprint in fingerprints)
        {
            if (fingerprint._hash.Length == strongest && fingerprint.Matches(certificateDer))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The attribute value as an SDP answer carries it: <c>sha-256 AB:CD:…</c>.</summary>
    public override string ToString()
    {
        var hex = Convert.ToHexString(_hash);
        var text = new StringBuilder(Algorithm.Length + (_hash.Length * 3));
        text.Append(Algorithm).Append(' ');
        for (var i = 0; i < hex.Length; i += 2)
        {
            text.Append(hex, i, 2).Append(i + 2 < hex.Length ? ":" : "");
        }

        return text.ToString();
    }

    private static int HashLength(ReadOnlySpan<char> algorithm) =>
        algorithm.Equals("sha-256", StringComparison.OrdinalIgnoreCase) ? 32
        : algorithm.Equals("sha-384", StringComparison.OrdinalIgnoreCase) ? 48
        : algorithm.Equals("sha-512", StringComparison.OrdinalIgnoreCase) ? 64
        : 0;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

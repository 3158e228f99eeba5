using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Nio.Api.Streams;

/// <summary>
/// Stream keys are 256-bit random secrets. Only their SHA-256 is stored and looked up, so the database never
/// holds a usable key and lookup time depends on a digest the caller cannot steer, not on the key's characters.
/// </summary>
public static class StreamKeys
{
    private const string Prefix = "nio_";

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Cheap shape check before any lookup; anything longer than a key could be is refused outright.</summary>
    public static bool LooksLikeKey(string? key) => key is { Length: > 0 and <= 128 } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Nio.Shared.Security;

/// <summary>Checks the shared secret services present to each other as <c>Authorization: Bearer …</c>.</summary>
public static class BearerSecret
{
    /// <summary>
    /// True when the request carries exactly <paramref name="secret"/> (never when the secret is empty). Digests have a
    /// fixed length, so the comparison time reveals neither the secret's length nor its content.
    /// </summary>
    public static bool Matches(HttpRequest request, string secret)
    {
        var presented = Presented(request);
        return secret.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header; empty without one.</summary>
    public static string Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
    }
}

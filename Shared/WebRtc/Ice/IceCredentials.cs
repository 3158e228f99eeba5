using System.Security.Cryptography;

namespace Nio.WebRtc.Ice;

/// <summary>An ICE username fragment and password (RFC 8445 §5.3, syntax in RFC 8839 §5.4).</summary>
public sealed record IceCredentials(string Ufrag, string Password)
{
    /// <summary>ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4).</summary>
    public const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>8 ice-chars, 48 random bits: "at least 24 bits of randomness" (RFC 8445 §5.3).</summary>
    public const int UfragLength = 8;

    /// <summary>24 ice-chars, 144 random bits: "at least 128 bits of randomness" (RFC 8445 §5.3).</summary>
    public const int PasswordLength = 24;

    /// <summary>Fresh credentials from the operating system's CSPRNG.</summary>
    public static IceCredentials Generate() => new(
        RandomNumberGenerator.GetString(IceChars, UfragLength),
        RandomNumberGenerator.GetString(IceChars, PasswordLength));

    /// <summary>ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char (RFC 8839 §5.4).</summary>
    public static bool IsValidUfrag(ReadOnlySpan<char> ufrag) => ufrag.Length is >= 4 and <= 256 && AreIceChars(ufrag);

    public static bool IsValidPassword(ReadOnlySpan<char> password) => password.Length is >= 22 and <= 256 && AreIceChars(password);

    private static bool AreIceChars(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(IceCharSet);

    private static readonly System.Buffers.SearchValues<char> IceCharSet = System.Buffers.SearchValues.Create(IceChars);
}

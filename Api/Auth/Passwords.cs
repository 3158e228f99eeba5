using Microsoft.AspNetCore.Identity;
using Nio.Api.Http;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>The password rule and ASP.NET Core Identity's PBKDF2 hasher.</summary>
public sealed class Passwords
{
    public const int MinLength = 10;
    public const int MaxLength = 128;
    public const string Rule = "Password must be 10 to 128 characters long and contain at least one letter and one digit.";

    private readonly PasswordHasher<UserRow> hasher = new();

    // A real hash of a random password: verifying against it for unknown emails costs what a real check costs,
    // so response time does not tell which emails have accounts.
    private readonly Lazy<string> decoyHash;

    public Passwords() => decoyHash = new(() => Hash(Guid.NewGuid().ToString()));

    public static void Validate(string field, string? password, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, $"{field} is required.");
        }
        else if (password.Length is < MinLength or > MaxLength || !password.Any(char.IsLetter) || !password.Any(char.IsDigit))
        {
            errors.Add(field, Rule);
        }
    }

    public string Hash(string password) => hasher.HashPassword(null!, password);

    public bool Verify(string? hash, string password)
    {
        var result = hasher.VerifyHashedPassword(null!, hash is { Length: > 0 } ? hash : decoyHash.Value, password);
        return hash is { Length: > 0 } && result != PasswordVerificationResult.Failed;
    }
}

using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nio.Api.Users;

namespace Nio.Api.Auth;

/// <summary>Mints HS256 access tokens and opaque refresh tokens.</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";
    public const string NameClaim = "name";

    public static SymmetricSecurityKey SigningKey(JwtOptions options) => new(Encoding.UTF8.GetBytes(options.Secret));

    public (string Token, DateTime ExpiresAt) CreateAccessToken(UserRow user)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now.AddMinutes(jwt.AccessTokenMinutes);
        var claims = new List<Claim>
        {
            new(SubjectClaim, user.Id.ToString()),
            new(NameClaim, user.DisplayName),
            new("jti", Guid.NewGuid().ToString("N")),
        };
        claims.AddRange(user.Roles.Select(role => new Claim(RoleClaim, role)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(SigningKey(jwt), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    /// <summary>A new refresh token: 256 random bits, URL-safe. Only its hash is stored.</summary>
    public static string NewOpaqueToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] HashOpaqueToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

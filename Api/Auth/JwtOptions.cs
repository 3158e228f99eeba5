using System.ComponentModel.DataAnnotations;

namespace Nio.Api.Auth;

/// <summary>Access-token settings (section <c>Jwt</c>; <c>JWT_SECRET</c> sets the secret).</summary>
public sealed class JwtOptions
{
    /// <summary>HS256 key material; generated into the data folder at first run when not configured.</summary>
    [Required, MinLength(32, ErrorMessage = "JWT_SECRET must be at least 32 characters.")]
    public string Secret { get; set; } = "";

    public string Issuer { get; set; } = "nio";

    public string Audience { get; set; } = "nio";

    [Range(1, 1440)]
    public int AccessTokenMinutes { get; set; } = 15;

    [Range(1, 365)]
    public int RefreshTokenDays { get; set; } = 30;
}

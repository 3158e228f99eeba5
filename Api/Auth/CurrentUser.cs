using System.Security.Claims;
using Nio.Api.Users;

namespace Nio.Api.Auth;

public static class CurrentUser
{
    /// <summary>The authenticated user's id (the token's <c>sub</c>).</summary>
    public static Guid Id(this ClaimsPrincipal principal) =>
        Guid.Parse(principal.FindFirstValue(TokenIssuer.SubjectClaim) ?? throw new InvalidOperationException("No authenticated user."));
}

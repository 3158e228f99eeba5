using System.Security.Claims;

namespace Nio.Admin.Auth;

/// <summary>The Api's roles that open the panel, and what each may see.</summary>
public static class OperatorRoles
{
    /// <summary>Everything, money included.</summary>
    public const string Admin = "admin";

    /// <summary>Platform-wide chat and stream moderation; no money pages.</summary>
    public const string Moderator = "moderator";

    /// <summary>Pages every operator sees (an <c>Authorize</c> attribute's <c>Roles</c> value).</summary>
    public const string Operators = Admin + "," + Moderator;

    /// <summary>The policy of what only admins see: money (balances, payments, withdrawals, gifts, wallets) and the audit log.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The policy every page has: an admin or a moderator.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>The claim that names the panel's server-side session (never the Api's tokens).</summary>
    public const string SessionClaim = "nio_session";

    public static bool MayEnter(IEnumerable<string> roles) => roles.Any(r => r is Admin or Moderator);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Admin);
}

using Microsoft.AspNetCore.Authorization;
using Nio.Api.Auth;
using Nio.Api.Users;

namespace Nio.Api.Admin;

/// <summary>
/// The caller holds one of <see cref="Roles"/> as the database says at this request, not as their token says: a role
/// revoked a moment ago is refused even with an access token minted before.
/// </summary>
public sealed class StaffRoleRequirement(params string[] roles) : IAuthorizationRequirement
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>The caller's roles read from the database for this request, kept for the handler (which fields it may see).</summary>
public sealed record StaffRoles(IReadOnlyList<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Role.Admin);

    public bool IsModerator => Roles.Contains(Role.Moderator);

    /// <summary>The roles the authorization of this request read; only set on routes with a staff policy.</summary>
    public static StaffRoles Of(HttpContext http) =>
        http.Items[typeof(StaffRoles)] as StaffRoles ?? throw new InvalidOperationException("The route has no staff policy.");
}

public sealed class StaffRoleHandler(UserRepository users) : AuthorizationHandler<StaffRoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffRoleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var http = context.Resource as HttpContext;
        var roles = await users.RolesAsync(context.User.Id(), http?.RequestAborted ?? CancellationToken.None);
        if (roles is not null && roles.Any(requirement.Roles.Contains))
        {
            if (http is not null)
            {
                http.Items[typeof(StaffRoles)] = new StaffRoles(roles);
            }

            context.Succeed(requirement);
        }
    }
}

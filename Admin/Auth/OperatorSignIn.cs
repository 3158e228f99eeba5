using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using Nio.Admin.Hosting;

namespace Nio.Admin.Auth;

/// <summary>
/// The panel's own cookie (HttpOnly, SameSite=Strict, Secure over HTTPS), which names a server-side Api session; a
/// cookie whose session has ended, or whose roles no longer match, signs its holder out.
/// </summary>
public static class OperatorSignIn
{
    public const string CookieName = "nio_admin";
    public const string SignInPath = "/signin";

    public static IServiceCollection AddOperatorSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var idle = TimeSpan.FromHours(configuration.GetValue("Sessions:IdleHours", new OperatorSessionOptions().IdleHours));
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.ExpireTimeSpan = idle;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            // A moderator who opens a link to a money page is told why it does not open.
            cookie.AccessDeniedPath = "/forbidden";
            cookie.Events.OnValidatePrincipal = async context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<ApiSessions>();
                if (!IsCurrent(context.Principal, sessions))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            };
        });
        services.AddAuthorization();
        services.AddOperatorPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        return services;
    }

    /// <summary>What each role may open: every page for an operator, money and the audit log for an admin only.</summary>
    public static IServiceCollection AddOperatorPolicies(this IServiceCollection services) =>
        services.AddAuthorizationCore(options =>
        {
            options.AddPolicy(OperatorRoles.OperatorPolicy, policy => policy.RequireRole(OperatorRoles.Admin, OperatorRoles.Moderator));
            options.AddPolicy(OperatorRoles.AdminPolicy, policy => policy.RequireRole(OperatorRoles.Admin));
        });

    /// <summary>The principal the cookie carries: who signed in, their roles, and the id of their server-side session.</summary>
    public static ClaimsPrincipal Principal(string sessionId, Operator signedIn)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, signedIn.Id.ToString()),
            new(ClaimTypes.Name, signedIn.DisplayName),
            new(ClaimTypes.Email, signedIn.Email),
            new(OperatorRoles.SessionClaim, sessionId),
        };
        claims.AddRange(signedIn.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirst(OperatorRoles.SessionClaim)?.Value;

    /// <summary>Whether the principal's session is still held and its roles are still the ones the cookie claims.</summary>
    public static bool IsCurrent(ClaimsPrincipal? user, ApiSessions sessions)
    {
        if (user?.SessionId() is not { } id || sessions.Find(id) is not { } session)
        {
            return false;
        }

        var claimed = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order();
        return claimed.SequenceEqual(session.Operator.Roles.Order()) && OperatorRoles.MayEnter(session.Operator.Roles);
    }

    /// <summary><c>POST /signout</c> (a form with the antiforgery token): ends the session here and at the Api.</summary>
    public static void MapOperatorSignOut(this IEndpointRouteBuilder app) =>
        app.MapPost("/signout", async (HttpContext http, ApiSessions sessions, IAntiforgery antiforgery, CancellationToken cancellationToken) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            await sessions.EndAsync(http.User.SessionId(), cancellationToken);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect(SignInPath);
        });
}

/// <summary>
/// Checks an open page's session every few seconds: when its Api session ended (renewal refused, signed out
/// elsewhere, role revoked) the page loses its sign-in and sends the operator back to sign in.
/// </summary>
public sealed class SessionRevalidator(ILoggerFactory loggerFactory, ApiSessions sessions) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(5);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(OperatorSignIn.IsCurrent(authenticationState.User, sessions));
}

/// <summary>The operator of the current page (open or being rendered) or plain HTTP request, and their Api session's id.</summary>
public sealed class CurrentOperator(AuthenticationStateProvider authentication, IHttpContextAccessor http)
{
    public async Task<ClaimsPrincipal> UserAsync()
    {
        try
        {
            return (await authentication.GetAuthenticationStateAsync()).User;
        }
        catch (InvalidOperationException) when (http.HttpContext is { } context)
        {
            // A plain endpoint (the CSV export) has no component state: its request's user is the operator.
            return context.User;
        }
    }

    public async Task<string?> SessionIdAsync() => (await UserAsync()).SessionId();
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Nio.Api.Http;
using Nio.Api.Users;
using Nio.Shared.Hosting;

namespace Nio.Api.Auth;

/// <summary>
/// Limits on the account endpoints (section <c>RateLimits</c>): per client (an IPv4 address or an IPv6 /64, see
/// <see cref="ClientAddress"/>), and failed logins per account from any address.
/// </summary>
public sealed class RateLimitOptions
{
    public int LoginAttemptsPerMinute { get; set; } = 10;

    public int RegistrationsPerMinute { get; set; } = 20;

    /// <summary>
    /// Refreshes are not password guesses (a refresh token is 256 random bits): their own, wider budget, so several
    /// tabs and reloads behind one address never lock people out of their session.
    /// </summary>
    public int RefreshesPerMinute { get; set; } = 120;

    /// <summary>
    /// Logins to one account (whatever the address) that may fail within <see cref="FailedLoginWindowSeconds"/>; then
    /// every login to it, the right password too, is refused until the window ends. A right password ends the window.
    /// </summary>
    public int FailedLoginsPerAccount { get; set; } = 10;

    public int FailedLoginWindowSeconds { get; set; } = 900;
}

/// <summary>The admin account named by <c>NIO_ADMIN_EMAIL</c> / <c>NIO_ADMIN_PASSWORD</c>.</summary>
public sealed class AdminAccountOptions
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// Lets an account that already exists with <see cref="Email"/>, and is not an admin, be made the admin; without it
    /// the Api refuses to start rather than promote an account someone else may have registered.
    /// </summary>
    public bool PromoteExisting { get; set; }
}

public static class AuthSetup
{
    /// <summary>The <c>admin</c> role, read from the database at each request (<see cref="Admin.StaffRoleRequirement"/>).</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The <c>admin</c> or the <c>moderator</c> role, read from the database at each request.</summary>
    public const string StaffPolicy = "staff";

    /// <summary>Token-carrying cookie set for the Hangfire dashboard, which browsers open without an Authorization header.</summary>
    public const string DashboardCookie = "nio_dashboard_token";

    public static void AddNioAuth(this WebApplicationBuilder builder, Nio.Shared.Hosting.DataFolder dataFolder)
    {
        var services = builder.Services;
        services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection("Jwt"))
            .PostConfigure(o => o.Secret = string.IsNullOrEmpty(o.Secret) ? dataFolder.GetOrCreateSecret("jwt_secret") : o.Secret)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimits"));
        services.Configure<AdminAccountOptions>(builder.Configuration.GetSection("AdminAccount"));
        services.AddSingleton<Passwords>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<RefreshTokens>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PlatformBans>();
        services.AddHostedService<AdminAccountSeeder>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKey = TokenIssuer.SigningKey(jwt.Value),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = TokenIssuer.NameClaim,
                    RoleClaimType = TokenIssuer.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                bearer.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        // Browsers open the dashboard without an Authorization header: they bring the token once in
                        // ?access_token= (then kept in a dashboard-only cookie, see JobsSetup) or in that cookie.
                        // WebSockets and server-sent events cannot carry the header either: SignalR clients send the
                        // token in ?access_token= on the hub's path.
                        var request = context.Request;
                        if ((request.Path.StartsWithSegments(Chat.RoomHub.Path) || request.Path.StartsWithSegments(Chat.ModerationHub.Path))
                            && request.Query.TryGetValue("access_token", out var hubToken))
                        {
                            context.Token = hubToken.ToString();
                        }
                        else if (request.Path.StartsWithSegments(Jobs.JobsSetup.DashboardPath) && !request.Headers.Authorization.Any())
                        {
                            context.Token = request.Query.TryGetValue("access_token", out var query) ? query.ToString()
                                : request.Cookies.TryGetValue(DashboardCookie, out var cookie) ? cookie
                                : null;
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async context =>
                    {
                        var bans = context.HttpContext.RequestServices.GetRequiredService<PlatformBans>();
                        if (await bans.IsBannedAsync(context.Principal!.Id(), context.HttpContext.RequestAborted))
                        {
                            context.Fail("The account is banned.");
                        }
                    },
                };
            });
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Admin.StaffRoleHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new Admin.StaffRoleRequirement(Role.Admin)))
            .AddPolicy(StaffPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new Admin.StaffRoleRequirement(Role.Admin, Role.Moderator)));

        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(AuthApi.LoginRateLimit, context => PerClientAddress(context, o => o.LoginAttemptsPerMinute));
            limiter.AddPolicy(AuthApi.RegisterRateLimit, context => PerClientAddress(context, o => o.RegistrationsPerMinute));
            limiter.AddPolicy(AuthApi.RefreshRateLimit, context => PerClientAddress(context, o => o.RefreshesPerMinute));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : (TimeSpan?)null;
                await TooManyRequests.Problem(http.Response, retryAfter, "Too many attempts from this address; wait a minute and try again.")
                    .ExecuteAsync(http);
            };
        });
    }

    private static RateLimitPartition<string> PerClientAddress(HttpContext context, Func<RateLimitOptions, int> permits)
    {
        var limit = permits(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(
            ClientAddress.Key(context.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}

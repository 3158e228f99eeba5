using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Admin.Auth;
using Nio.Admin.Hosting;
using Nio.TestSupport;

namespace Nio.Admin.Tests.Sessions;

/// <summary>The panel's server-side sessions against the real Api: renewed through its refresh flow, ended when it refuses.</summary>
public sealed class ApiSessionsTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task A_session_is_renewed_before_its_token_expires_and_ends_once_the_Api_refuses_to_renew_it()
    {
        var time = new SettableTime(DateTimeOffset.UtcNow);
        var (sessions, auth) = Sessions(time);
        var moderator = await ModeratorAsync();
        var login = Assert.IsType<AuthClient.LoginResult.Success>(await auth.LoginAsync(moderator.Email, "password-123", null, default));
        var id = sessions.Add(login.Session);

        Assert.Equal(login.Session.AccessToken, await sessions.AccessTokenAsync(id, default));

        time.Now = new DateTimeOffset(login.Session.AccessTokenExpiresAt).AddSeconds(-30);
        var renewed = await sessions.AccessTokenAsync(id, default);
        Assert.NotNull(renewed);
        Assert.NotEqual(login.Session.AccessToken, renewed);
        Assert.Equal(HttpStatusCode.OK, (await Client(renewed).GetAsync("/api/admin/me")).StatusCode);

        // The Api bans the operator: their refresh tokens are revoked, so the next renewal is refused and the session ends.
        var admin = (await api.LoginAdminAsync()).AccessToken;
        (await Client(admin).PostAsJsonAsync($"/api/admin/users/{moderator.Id}/ban", new { reason = "test" })).EnsureSuccessStatusCode();
        time.Now = new DateTimeOffset(sessions.Find(id)!.AccessTokenExpiresAt).AddSeconds(1);
        await sessions.RenewDueAsync(default);

        Assert.Null(sessions.Find(id));
        Assert.Null(await sessions.AccessTokenAsync(id, default));
    }

    [Fact]
    public async Task Signing_out_revokes_the_Api_session_too()
    {
        var (sessions, auth) = Sessions(TimeProvider.System);
        var login = Assert.IsType<AuthClient.LoginResult.Success>(await auth.LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword, null, default));
        var id = sessions.Add(login.Session);

        await sessions.EndAsync(id, default);

        Assert.Null(sessions.Find(id));
        var refresh = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.Session.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    private (ApiSessions Sessions, AuthClient Auth) Sessions(TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(nameof(AuthClient), client => client.BaseAddress = new Uri(api.BaseUrl + "/"));
        var clients = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var sessions = new ApiSessions(clients, time, Options.Create(new OperatorSessionOptions()), NullLogger<ApiSessions>.Instance);
        return (sessions, new AuthClient(clients.CreateClient(nameof(AuthClient)), time));
    }

    private async Task<(Guid Id, string Email)> ModeratorAsync()
    {
        var user = await api.RegisterAsync("Moderator");
        var admin = (await api.LoginAdminAsync()).AccessToken;
        (await Client(admin).PutAsJsonAsync($"/api/admin/users/{user.User.Id}/roles", new { roles = new[] { "moderator" } })).EnsureSuccessStatusCode();
        return (user.User.Id, user.User.Email);
    }

    private HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

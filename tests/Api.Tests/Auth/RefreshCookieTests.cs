using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Nio.Api.Auth;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

/// <summary>Browser sessions: the refresh token in the HttpOnly <c>nio_refresh</c> cookie, never in the JSON.</summary>
public sealed class RefreshCookieTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Password = "password-123";

    /// <summary>A client that keeps no cookies, so each test sends exactly the cookie it means to.</summary>
    private HttpClient Client(string scheme = "http") =>
        api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri($"{scheme}://localhost") });

    private static HttpRequestMessage Post(string path, object? body = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{RefreshCookie.Name}={cookie}");
        }

        return request;
    }

    /// <summary>The one <c>nio_refresh</c> Set-Cookie header of the answer, split into its attributes.</summary>
    private static Dictionary<string, string> SetCookie(HttpResponseMessage response)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"), h => h.StartsWith(RefreshCookie.Name + "=", StringComparison.Ordinal));
        return header.Split(';', StringSplitOptions.TrimEntries).Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0].ToLowerInvariant(), kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);
    }

    private async Task<(AuthResponse Session, string Cookie)> RegisterWithCookieAsync(HttpClient client)
    {
        var response = await client.SendAsync(Post("/api/auth/register",
            new { email = $"c-{Guid.NewGuid():N}@example.com", password = Password, displayName = "Cookie", session = "cookie" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<AuthResponse>())!, SetCookie(response)[RefreshCookie.Name]);
    }

    [Fact]
    public async Task Register_with_session_cookie_sets_an_http_only_strict_cookie_and_leaves_the_token_out_of_the_json()
    {
        var response = await Client().SendAsync(Post("/api/auth/register",
            new { email = $"c-{Guid.NewGuid():N}@example.com", password = Password, displayName = "Cookie", session = "cookie" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"refreshToken\":null", body);
        var cookie = SetCookie(response);
        Assert.True(cookie[RefreshCookie.Name].Length > 20);
        Assert.DoesNotContain(cookie[RefreshCookie.Name], body);
        Assert.True(cookie.ContainsKey("httponly"));
        Assert.Equal("strict", cookie["samesite"]);
        Assert.Equal("/api/auth", cookie["path"]);
        Assert.Equal((30 * 24 * 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), cookie["max-age"]);
        Assert.False(cookie.ContainsKey("secure"), "plain http gets no Secure flag");
    }

    [Fact]
    public async Task Login_over_https_with_session_cookie_sets_a_secure_cookie()
    {
        var client = Client("https");
        var (session, _) = await RegisterWithCookieAsync(client);

        var response = await client.SendAsync(Post("/api/auth/login", new { email = session.User.Email, password = Password, session = "cookie" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await response.Content.ReadFromJsonAsync<AuthResponse>())!.RefreshToken);
        var cookie = SetCookie(response);
        Assert.True(cookie.ContainsKey("secure"));
        Assert.True(cookie.ContainsKey("httponly"));
    }

    [Fact]
    public async Task Refresh_without_a_body_token_rotates_the_cookie_and_answers_a_session_without_the_token()
    {
        var client = Client();
        var (_, cookie) = await RegisterWithCookieAsync(client);

        var withEmptyObject = await client.SendAsync(Post("/api/auth/refresh", new { }, cookie));
        Assert.Equal(HttpStatusCode.OK, withEmptyObject.StatusCode);
        var session = (await withEmptyObject.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.Null(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken(session.AccessToken).GetAsync("/api/auth/me")).StatusCode);
        var next = SetCookie(withEmptyObject)[RefreshCookie.Name];
        Assert.NotEqual(cookie, next);

        var withNoBody = await client.SendAsync(Post("/api/auth/refresh", body: null, next));
        Assert.Equal(HttpStatusCode.OK, withNoBody.StatusCode);
        Assert.NotEqual(next, SetCookie(withNoBody)[RefreshCookie.Name]);
    }

    [Fact]
    public async Task Replaying_a_spent_cookie_revokes_the_family_and_deletes_the_cookie()
    {
        var client = Client();
        var (_, first) = await RegisterWithCookieAsync(client);
        var rotated = await client.SendAsync(Post("/api/auth/refresh", new { }, first));
        var second = SetCookie(rotated)[RefreshCookie.Name];

        var replay = await client.SendAsync(Post("/api/auth/refresh", new { }, first));

        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var deleted = SetCookie(replay);
        Assert.Equal("", deleted[RefreshCookie.Name]);
        Assert.Equal("/api/auth", deleted["path"]);
        Assert.True(deleted.ContainsKey("expires"));
        // The legitimate holder's newer cookie belonged to the same family: it is revoked too.
        await (await client.SendAsync(Post("/api/auth/refresh", new { }, second))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task Refresh_with_a_missing_or_unknown_cookie_is_401_and_deletes_the_cookie(string? cookie)
    {
        var response = await Client().SendAsync(Post("/api/auth/refresh", new { }, cookie));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("", SetCookie(response)[RefreshCookie.Name]);
    }

    [Fact]
    public async Task Logout_without_a_body_token_revokes_the_cookie_and_deletes_it()
    {
        var client = Client();
        var (_, cookie) = await RegisterWithCookieAsync(client);

        var logout = await client.SendAsync(Post("/api/auth/logout", body: null, cookie));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal("", SetCookie(logout)[RefreshCookie.Name]);
        await (await client.SendAsync(Post("/api/auth/refresh", new { }, cookie))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_json_flow_is_unchanged_and_sets_no_cookie()
    {
        var client = Client();
        var register = await client.SendAsync(Post("/api/auth/register",
            new { email = $"j-{Guid.NewGuid():N}@example.com", password = Password, displayName = "Json" }));
        var session = (await register.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.False(string.IsNullOrEmpty(session.RefreshToken));
        Assert.False(register.Headers.Contains("Set-Cookie"));

        var refresh = await client.SendAsync(Post("/api/auth/refresh", new { refreshToken = session.RefreshToken }));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var rotated = (await refresh.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.False(string.IsNullOrEmpty(rotated.RefreshToken));
        Assert.False(refresh.Headers.Contains("Set-Cookie"));

        // A body token wins over a cookie: the cookie is neither spent nor touched.
        var (_, cookie) = await RegisterWithCookieAsync(client);
        var both = await client.SendAsync(Post("/api/auth/refresh", new { refreshToken = rotated.RefreshToken }, cookie));
        Assert.False(string.IsNullOrEmpty((await both.Content.ReadFromJsonAsync<AuthResponse>())!.RefreshToken));
        Assert.False(both.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Post("/api/auth/refresh", new { }, cookie))).StatusCode);
    }

    [Fact]
    public async Task An_unknown_session_mode_is_a_validation_error()
    {
        var response = await Client().SendAsync(Post("/api/auth/register",
            new { email = $"s-{Guid.NewGuid():N}@example.com", password = Password, displayName = "S", session = "jar" }));

        await response.AssertFieldErrorAsync("session");
    }
}

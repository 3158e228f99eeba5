using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Dapper;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Nio.Api.Auth;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

public sealed class AuthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string GoodPassword = "password-123";

    private static string NewEmail() => $"u-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Register_returns_tokens_and_the_user_and_me_answers_with_roles()
    {
        var email = NewEmail();
        var response = await api.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = GoodPassword, displayName = "Ada 🚀" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.Equal(email, session.User.Email);
        Assert.Equal("Ada 🚀", session.User.DisplayName);
        Assert.Equal(["user"], session.User.Roles);
        Assert.False(string.IsNullOrEmpty(session.RefreshToken));

        var me = await api.ClientWithToken(session.AccessToken).GetFromJsonAsync<UserView>("/api/auth/me");
        Assert.Equal(session.User.Id, me!.Id);
        Assert.Equal(["user"], me.Roles);
    }

    [Fact]
    public async Task Passwords_are_stored_hashed_never_as_typed()
    {
        var session = await api.RegisterAsync();
        await using var connection = await api.Database.OpenConnectionAsync();
        var hash = await connection.ExecuteScalarAsync<string>("SELECT password_hash FROM users WHERE id = @id", new { id = session.User.Id });
        Assert.DoesNotContain(GoodPassword, hash);
        Assert.True(hash!.Length > 40);
    }

    [Fact]
    public async Task Registering_an_email_twice_in_any_case_is_a_conflict()
    {
        var email = NewEmail();
        var client = api.CreateClient();
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = GoodPassword, displayName = "One" })).EnsureSuccessStatusCode();

        var again = await client.PostAsJsonAsync("/api/auth/register", new { email = email.ToUpperInvariant(), password = GoodPassword, displayName = "Two" });

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    public static TheoryData<string, object> InvalidRegistrations => new()
    {
        { "email", new { password = GoodPassword, displayName = "x" } },
        { "email", new { email = "not-an-email", password = GoodPassword, displayName = "x" } },
        { "email", new { email = "Someone <a@b.com>", password = GoodPassword, displayName = "x" } },
        { "email", new { email = new string('a', 250) + "@example.com", password = GoodPassword, displayName = "x" } },
        { "password", new { email = "a@example.com", displayName = "x" } },
        { "password", new { email = "a@example.com", password = "short1", displayName = "x" } },
        { "password", new { email = "a@example.com", password = "onlyletterslong", displayName = "x" } },
        { "password", new { email = "a@example.com", password = new string('a', 200) + "1", displayName = "x" } },
        { "displayName", new { email = "a@example.com", password = GoodPassword } },
        { "displayName", new { email = "a@example.com", password = GoodPassword, displayName = "   " } },
        { "displayName", new { email = "a@example.com", password = GoodPassword, displayName = new string('x', 51) } },
        { "displayName", new { email = "a@example.com", password = GoodPassword, displayName = "bell\u0007" } },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Invalid_registrations_name_the_field_and_store_nothing(string field, object body)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/auth/register", body);

        var messages = await response.AssertFieldErrorAsync(field);
        if (field == "password" && body.ToString()!.Contains("password ="))
        {
            Assert.Contains(Passwords.Rule, messages);
        }

        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE email_normalized = 'a@example.com'"));
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("not json at all")]
    [InlineData("{\"email\": 42, \"password\": [], \"displayName\": {}}")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        var response = await api.CreateClient().PostAsync("/api/auth/register", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Injection_strings_are_stored_verbatim_and_returned_as_data()
    {
        const string sql = "Robert'); DROP TABLE users;--";
        const string html = "<script>alert('x')</script>";
        var session = await api.RegisterAsync(sql);
        var client = api.ClientWithToken(session.AccessToken);
        (await client.PatchAsJsonAsync("/api/users/me", new { bio = html })).EnsureSuccessStatusCode();

        var me = await client.GetFromJsonAsync<UserView>("/api/auth/me");
        Assert.Equal(sql, me!.DisplayName);
        Assert.Equal(html, me.Bio);
        var raw = await client.GetAsync("/api/auth/me");
        Assert.Equal("application/json", raw.Content.Headers.ContentType?.MediaType);
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users") >= 1);
    }

    [Fact]
    public async Task Login_succeeds_with_the_right_password_in_any_email_case()
    {
        var session = await api.RegisterAsync();

        var response = await api.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "  " + session.User.Email.ToUpperInvariant(), password = GoodPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var login = (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.Equal(session.User.Id, login.User.Id);
        Assert.NotEqual(session.RefreshToken, login.RefreshToken);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_give_the_same_401()
    {
        var session = await api.RegisterAsync();
        var client = api.CreateClient();

        var wrongPassword = await client.PostAsJsonAsync("/api/auth/login", new { email = session.User.Email, password = "password-999" });
        var unknownEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = NewEmail(), password = GoodPassword });

        var first = await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownEmail.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_token_revokes_the_whole_family()
    {
        var session = await api.RegisterAsync();
        var client = api.CreateClient();

        var first = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<AuthResponse>())!;
        Assert.NotEqual(session.RefreshToken, rotated.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken(rotated.AccessToken).GetAsync("/api/auth/me")).StatusCode);

        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken });
        await replay.AssertProblemAsync(HttpStatusCode.Unauthorized);

        // The replay revoked the family, so the legitimate successor no longer works either.
        var successor = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = rotated.RefreshToken });
        await successor.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown-token")]
    public async Task Refresh_with_an_unknown_or_missing_token_is_refused(string token)
    {
        var response = await api.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest);
        await response.AssertProblemAsync(response.StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token_but_other_sessions_live_on()
    {
        var session = await api.RegisterAsync();
        var client = api.CreateClient();
        var otherLogin = await client.PostAsJsonAsync("/api/auth/login", new { email = session.User.Email, password = GoodPassword });
        var other = (await otherLogin.Content.ReadFromJsonAsync<AuthResponse>())!;

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = session.RefreshToken })).StatusCode);

        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task Me_without_a_token_is_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().GetAsync("/api/auth/me")).StatusCode);
    }

    public static TheoryData<string> BadTokens()
    {
        var id = Guid.NewGuid().ToString();
        return new TheoryData<string>
        {
            Token(ApiFactory.JwtSecret, "nio", "nio", DateTime.UtcNow.AddMinutes(-10), id),
            Token(ApiFactory.JwtSecret, "nio", "someone-else", DateTime.UtcNow.AddMinutes(10), id),
            Token(ApiFactory.JwtSecret, "evil", "nio", DateTime.UtcNow.AddMinutes(10), id),
            Token("another-secret-that-is-also-long-enough-42", "nio", "nio", DateTime.UtcNow.AddMinutes(10), id),
            // alg "none": header {"alg":"none","typ":"JWT"}, payload with an admin role, no signature.
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." +
                Base64UrlEncoder.Encode($"{{\"sub\":\"{id}\",\"role\":\"admin\",\"iss\":\"nio\",\"aud\":\"nio\",\"exp\":4102444800}}") + ".",
            "not-a-jwt",
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Expired_tampered_foreign_and_unsigned_tokens_are_401(string token)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(token).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_with_a_changed_payload_is_401()
    {
        var session = await api.RegisterAsync();
        var parts = session.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"role\":\"user\"", "\"role\":\"admin\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(tampered).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Fifty_parallel_registrations_of_one_email_create_exactly_one_account()
    {
        var email = NewEmail();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            api.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = GoodPassword, displayName = $"Racer {i}" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE email_normalized = @email", new { email }));
    }

    [Fact]
    public async Task The_configured_admin_exists_with_the_admin_role()
    {
        var admin = await api.LoginAdminAsync();
        Assert.Contains("admin", admin.User.Roles);
    }

    private static string Token(string secret, string issuer, string audience, DateTime expires, string subject) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", "admin")]),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
}

using System.Net;
using System.Net.Http.Json;
using Dapper;
using Npgsql;
using Nio.Api.Auth;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

/// <summary>
/// <c>NIO_ADMIN_EMAIL</c> against accounts that exist already: the built Api restarted in processes of its own on one
/// database, as an operator would run it.
/// </summary>
public sealed class AdminSeedingTests
{
    private const string AdminPassword = "operator-password-1";
    private const string SquatterPassword = "squatter-password-1";

    [Fact]
    public async Task An_account_registered_first_with_the_admin_email_stops_the_start_and_is_never_promoted()
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        var email = $"boss-{Guid.NewGuid():N}@example.com";
        await RegisterFirstAsync(database, email);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiProcess.StartAsync(AdminEnvironment(database, email)));

        Assert.Contains("NIO_ADMIN_PROMOTE_EXISTING", refused.Message);
        Assert.Equal("user", await RolesAsync(database, email));
    }

    [Fact]
    public async Task Promoting_an_existing_account_on_purpose_revokes_its_sessions_and_a_plain_restart_keeps_the_admins()
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        var email = $"boss-{Guid.NewGuid():N}@example.com";
        var squatter = await RegisterFirstAsync(database, email);
        var environment = AdminEnvironment(database, email);
        environment["NIO_ADMIN_PROMOTE_EXISTING"] = "true";

        AuthResponse admin;
        await using (var promoted = await ApiProcess.StartAsync(environment))
        {
            using var http = new HttpClient { BaseAddress = new Uri(promoted.BaseUrl) };
            var refresh = await http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = squatter.RefreshToken });
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, email, SquatterPassword)).StatusCode);
            admin = (await (await LoginAsync(http, email, AdminPassword)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AuthResponse>())!;
            Assert.Contains("admin", admin.User.Roles);
        }

        // Nothing changes on a restart with the same settings: the admin's session lives on.
        await using var restarted = await ApiProcess.StartAsync(environment);
        using var again = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
        (await again.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = admin.RefreshToken })).EnsureSuccessStatusCode();
    }

    /// <summary>Someone registers the email on an Api that has no admin configured yet; returns their session.</summary>
    private static async Task<AuthResponse> RegisterFirstAsync(string database, string email)
    {
        await using var first = await ApiProcess.StartAsync(new Dictionary<string, string> { ["NIO_DATABASE_URL"] = database });
        using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
        var response = await http.PostAsJsonAsync("/api/auth/register", new { email, password = SquatterPassword, displayName = "Squatter" });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AuthResponse>())!;
    }

    private static Dictionary<string, string> AdminEnvironment(string database, string email) => new()
    {
        ["NIO_DATABASE_URL"] = database,
        ["NIO_ADMIN_EMAIL"] = email,
        ["NIO_ADMIN_PASSWORD"] = AdminPassword,
    };

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string email, string password) =>
        http.PostAsJsonAsync("/api/auth/login", new { email, password });

    private static async Task<string?> RolesAsync(string database, string email)
    {
        await using var connection = new NpgsqlConnection(database);
        return await connection.ExecuteScalarAsync<string>("SELECT array_to_string(roles, ',') FROM users WHERE email = @email", new { email });
    }
}

using System.Net;
using System.Net.Http.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

public sealed class StrictRateLimitApiFactory : ApiFactory
{
    protected override Dictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["RateLimits:LoginAttemptsPerMinute"] = "3";
            settings["RateLimits:RegistrationsPerMinute"] = "2";
            settings["RateLimits:RefreshesPerMinute"] = "4";
            return settings;
        }
    }
}

public sealed class LoginRateLimitTests(StrictRateLimitApiFactory api) : IClassFixture<StrictRateLimitApiFactory>
{
    [Fact]
    // Runs beside the login test in one fixture (one client address): either order, neither spends the other's budget.
    public async Task Refreshes_have_a_budget_of_their_own()
    {
        var client = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = $"not-a-token-{i}" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Repeated_failed_logins_are_answered_429_with_retry_after()
    {
        var client = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email = "victim@example.com", password = $"guess-{i}-123" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Repeated_registrations_are_answered_429_with_a_problem_body()
    {
        var client = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostAsJsonAsync("/api/auth/register",
                new { email = $"flood-{Guid.NewGuid():N}@example.com", password = "password-123", displayName = "Flood" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
            }
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
    }
}

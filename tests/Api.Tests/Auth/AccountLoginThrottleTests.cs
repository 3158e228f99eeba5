using System.Net;
using System.Net.Http.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

/// <summary>
/// Password guessing spread over many addresses (each under the per-address limit) against one account.
/// Every guess comes from its own address through a trusted proxy at 127.0.0.1.
/// </summary>
public sealed class AccountLoginThrottleTests(AccountLoginThrottleTests.FiveFailuresPerAccount api) : IClassFixture<AccountLoginThrottleTests.FiveFailuresPerAccount>
{
    public sealed class FiveFailuresPerAccount : LiveApiFactory
    {
        public const int Failures = 5;
        public const int WindowSeconds = 10;

        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Http:TrustedProxies"] = "127.0.0.1";
                settings["RateLimits:LoginAttemptsPerMinute"] = "10";
                settings["RateLimits:FailedLoginsPerAccount"] = Failures.ToString(System.Globalization.CultureInfo.InvariantCulture);
                settings["RateLimits:FailedLoginWindowSeconds"] = WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return settings;
            }
        }
    }

    private const string Password = "password-123";

    private static int nextAddress;

    [Fact]
    public async Task Guesses_from_many_addresses_are_refused_after_the_allowed_failures_and_the_owner_signs_in_after_the_window()
    {
        var email = (await api.RegisterAsync()).User.Email;

        var statuses = await GuessAllAtOnceAsync(email, guesses: 12);
        Assert.Equal(FiveFailuresPerAccount.Failures, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(12 - FiveFailuresPerAccount.Failures, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // While the account is throttled even the right password is refused: otherwise a guesser would learn it.
        var during = await LoginAsync(email, Password);
        var problem = await during.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        var retryAfter = during.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("429 without Retry-After");
        Assert.InRange(retryAfter.TotalSeconds, 1, FiveFailuresPerAccount.WindowSeconds);

        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(500));
        var after = await LoginAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task An_email_without_an_account_is_throttled_exactly_like_one_with()
    {
        var statuses = await GuessAllAtOnceAsync($"nobody-{Guid.NewGuid():N}@example.com", guesses: 12);

        Assert.Equal(FiveFailuresPerAccount.Failures, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(12 - FiveFailuresPerAccount.Failures, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_successful_login_clears_the_failures_before_it()
    {
        var email = (await api.RegisterAsync()).User.Email;
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < FiveFailuresPerAccount.Failures - 1; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(email, $"wrong-password-{i}")).StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(email, Password)).StatusCode);
        }
    }

    /// <summary>All guesses in flight together, so the limit must hold under concurrency, not just in sequence.</summary>
    private async Task<HttpStatusCode[]> GuessAllAtOnceAsync(string email, int guesses) =>
        (await Task.WhenAll(Enumerable.Range(0, guesses).Select(async i => (await LoginAsync(email, $"guess-{i}-password")).StatusCode))).ToArray();

    private async Task<HttpResponseMessage> LoginAsync(string email, string password)
    {
        var address = Interlocked.Increment(ref nextAddress);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(ForwardedLogins.Header, $"203.0.{address / 250}.{address % 250 + 1}");
        var response = await api.ClientWithToken(null).SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}

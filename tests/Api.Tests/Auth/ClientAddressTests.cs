using System.Net;
using System.Net.Http.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Auth;

/// <summary>Sends logins as if from one client address: through the proxy's <c>X-Forwarded-For</c> when given.</summary>
internal static class ForwardedLogins
{
    public const string Header = "X-Forwarded-For";

    /// <summary>A wrong password for an email nobody has, so only the per-address limit can answer 429.</summary>
    public static async Task<HttpStatusCode> FailedLoginAsync(this ApiFactory api, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "wrong-password-1" }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add(Header, forwardedFor);
        }

        return (await api.ClientWithToken(null).SendAsync(request)).StatusCode;
    }

    public static async Task<List<HttpStatusCode>> FailedLoginsAsync(this ApiFactory api, params string[] forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            statuses.Add(await api.FailedLoginAsync(address));
        }

        return statuses;
    }

    /// <summary>Four logins, each claiming another client: one budget (3 a minute) is spent all the same.</summary>
    public static async Task AssertSpoofIgnoredAsync(ApiFactory api) =>
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            await api.FailedLoginsAsync("198.51.100.1", "198.51.100.2", "2001:db8::1", "2001:db8:9::1"));
}

/// <summary>The Api behind a reverse proxy at 127.0.0.1 that it was told to trust.</summary>
public sealed class BehindTrustedProxyTests(BehindTrustedProxyTests.TrustingLoopback api) : IClassFixture<BehindTrustedProxyTests.TrustingLoopback>
{
    public sealed class TrustingLoopback : LiveApiFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Http:TrustedProxies"] = "10.9.8.7, 127.0.0.0/8";
                settings["RateLimits:LoginAttemptsPerMinute"] = "3";
                settings["Chat:MaxConnectionsPerAddress"] = "2";
                return settings;
            }
        }
    }

    private const HttpStatusCode Refused = HttpStatusCode.Unauthorized;
    private const HttpStatusCode Limited = HttpStatusCode.TooManyRequests;

    [Fact]
    public async Task Each_client_the_proxy_forwards_has_its_own_login_budget()
    {
        Assert.Equal([Refused, Refused, Refused, Limited], await api.FailedLoginsAsync("198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1"));
        Assert.Equal([Refused], await api.FailedLoginsAsync("198.51.100.2"));
    }

    [Fact]
    public async Task The_client_is_the_last_address_added_by_a_trusted_proxy_not_one_the_client_wrote()
    {
        // The client sent "X-Forwarded-For: 192.0.2.x" itself; the proxy appended the address it saw.
        Assert.Equal([Refused, Refused, Refused, Limited],
            await api.FailedLoginsAsync("192.0.2.1, 198.51.100.7", "192.0.2.2, 198.51.100.7", "192.0.2.3, 198.51.100.7", "192.0.2.4, 198.51.100.7"));
        Assert.Equal([Refused], await api.FailedLoginsAsync("192.0.2.1, 198.51.100.8"));
    }

    [Fact]
    public async Task Ipv6_clients_are_limited_by_their_64_prefix()
    {
        // One home or one server is usually given a whole /64: every address in it is one client.
        Assert.Equal([Refused, Refused, Refused, Limited],
            await api.FailedLoginsAsync("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2:8000::9"));
        Assert.Equal([Refused], await api.FailedLoginsAsync("2001:db8:1:3::1"));
    }

    [Fact]
    public async Task An_ipv4_client_written_as_an_ipv4_mapped_ipv6_address_is_the_same_client()
    {
        Assert.Equal([Refused, Refused, Refused, Limited],
            await api.FailedLoginsAsync("203.0.113.7", "203.0.113.7", "::ffff:203.0.113.7", "::ffff:203.0.113.7"));
    }

    [Fact]
    public async Task Hub_connections_are_counted_per_forwarded_client_and_per_64_prefix()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var forwarded = (string address) => new Dictionary<string, string> { [ForwardedLogins.Header] = address };
        await using var first = await api.ConnectAsync(headers: forwarded("2001:db8:5:6::1"));
        await using var second = await api.ConnectAsync(headers: forwarded("2001:db8:5:6::2"));
        await first.JoinAsync(stream.Id);
        await second.JoinAsync(stream.Id);

        await using (var third = await api.ConnectAsync(headers: forwarded("2001:db8:5:6::3")))
        {
            // The hub closes the connection it refused: any call on it fails.
            await Assert.ThrowsAnyAsync<Exception>(() => third.JoinAsync(stream.Id));
        }

        await using var elsewhere = await api.ConnectAsync(headers: forwarded("2001:db8:5:7::1"));
        await elsewhere.JoinAsync(stream.Id);
    }
}

/// <summary>The default: no proxy is trusted, so a client cannot pick its own address with a header.</summary>
public sealed class NoTrustedProxyTests(NoTrustedProxyTests.StrictLogins api) : IClassFixture<NoTrustedProxyTests.StrictLogins>
{
    public sealed class StrictLogins : LiveApiFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["RateLimits:LoginAttemptsPerMinute"] = "3";
                return settings;
            }
        }
    }

    [Fact]
    public Task A_forwarded_header_from_a_direct_client_is_ignored() => ForwardedLogins.AssertSpoofIgnoredAsync(api);
}

/// <summary>A proxy is trusted, but not the loopback address the test client comes from (trusted by ASP.NET Core's defaults).</summary>
public sealed class OtherTrustedProxyTests(OtherTrustedProxyTests.TrustingAnotherHost api) : IClassFixture<OtherTrustedProxyTests.TrustingAnotherHost>
{
    public sealed class TrustingAnotherHost : LiveApiFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Http:TrustedProxies"] = "10.9.8.7";
                settings["RateLimits:LoginAttemptsPerMinute"] = "3";
                return settings;
            }
        }
    }

    [Fact]
    public Task A_forwarded_header_from_an_address_not_named_is_ignored() => ForwardedLogins.AssertSpoofIgnoredAsync(api);
}

using Microsoft.AspNetCore.Http.Connections.Client;
using Nio.TestSupport;

namespace Nio.Api.Tests.Chat;

/// <summary>The hub's doors: connections per client address, and who may connect at all.</summary>
public sealed class ConnectionLimitTests(ConnectionLimitTests.ThreePerAddress api) : IClassFixture<ConnectionLimitTests.ThreePerAddress>
{
    public sealed class ThreePerAddress : LiveApiFactory
    {
        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Chat:MaxConnectionsPerAddress"] = "3";
                return settings;
            }
        }
    }

    [Fact]
    public async Task An_address_holds_at_most_the_configured_connections_and_a_closed_one_frees_its_place()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var open = new List<RoomClient>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await api.ConnectAsync());
            await open[^1].JoinAsync(stream.Id);
        }

        await using (var fourth = await api.ConnectAsync())
        {
            // The hub closes the connection it refused: any call on it fails.
            await Assert.ThrowsAnyAsync<Exception>(() => fourth.JoinAsync(stream.Id));
        }

        await open[0].DisposeAsync();
        await Task.Delay(200);
        await using var again = await api.ConnectAsync();
        await again.JoinAsync(stream.Id);
        foreach (var client in open.Skip(1))
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_tampered_or_expired_token_cannot_connect()
    {
        var token = (await api.RegisterAsync()).AccessToken;
        var tampered = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => api.ConnectAsync(tampered));
        Assert.Contains("401", refused.Message);
    }
}

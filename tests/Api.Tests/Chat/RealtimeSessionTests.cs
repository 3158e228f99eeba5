using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Users;
using Nio.TestSupport;

namespace Nio.Api.Tests.Chat;

/// <summary>What an open hub connection may still do after its token, its bans or its powers changed.</summary>
public sealed class RealtimeSessionTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task A_connection_closes_when_its_access_token_expires_and_comes_back_with_a_fresh_one()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var viewer = await api.RegisterAsync("Vic");
        // The session hands out whatever token it holds now: one about to expire, then the renewed one.
        var token = await ExpiringTokenAsync(viewer.User.Id, TimeSpan.FromSeconds(5));
        var connection = new HubConnectionBuilder()
            .WithUrl($"{api.BaseUrl}{RoomHub.Path}", options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)])
            .Build();
        await using var _ = connection;
        var dropped = new TaskCompletionSource();
        var back = new TaskCompletionSource();
        connection.Reconnecting += _ => { dropped.TrySetResult(); return Task.CompletedTask; };
        connection.Reconnected += _ => { back.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        await connection.InvokeAsync<JsonElement>("JoinStream", stream.Id.ToString());
        token = viewer.AccessToken;

        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await back.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await connection.InvokeAsync<JsonElement>("JoinStream", stream.Id.ToString());
        var sent = await connection.InvokeAsync<JsonElement>("SendMessage", stream.Id.ToString(), "still here");
        Assert.Equal(viewer.User.Id, sent.GetProperty("userId").GetGuid());
    }

    [Fact]
    public async Task Reactions_from_a_viewer_banned_from_the_room_or_the_platform_are_refused()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        var roomBanned = await api.RegisterAsync("Rob");
        var platformBanned = await api.RegisterAsync("Pat");
        await using var robClient = await api.ConnectAsync(roomBanned.AccessToken);
        await using var patClient = await api.ConnectAsync(platformBanned.AccessToken);
        foreach (var client in new[] { robClient, patClient })
        {
            await client.JoinAsync(stream.Id);
            await client.Connection.InvokeAsync("React", stream.Id.ToString(), "🔥");
        }

        // A ban given through another Api instance leaves this instance's connections in the room.
        await api.Services.GetRequiredService<ChatRepository>().SanctionAsync(streamer.User.Id, roomBanned.User.Id, "ban", null, streamer.User.Id, CancellationToken.None);
        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/admin/users/{platformBanned.User.Id}/ban", new { reason = "spam" })).StatusCode);

        Assert.Contains("banned from this room", (await ReactionRefusedAsync(robClient, stream.Id)).Message);
        Assert.Contains("account is banned", (await ReactionRefusedAsync(patClient, stream.Id)).Message);
    }

    [Fact]
    public async Task An_admin_demoted_while_connected_loses_moderation_at_the_next_call()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var viewer = await api.RegisterAsync("Viewer");
        await using var viewerClient = await api.ConnectAsync(viewer.AccessToken);
        await viewerClient.JoinAsync(stream.Id);
        var deputy = await api.RegisterAsync("Deputy");
        // Roles change only in the database, by the operator.
        await SetAdminAsync(deputy.User.Id, admin: true);
        var login = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/login", new { email = deputy.User.Email, password = "password-123" });
        var deputyToken = (await login.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AuthResponse>())!.AccessToken;
        await using var deputyClient = await api.ConnectAsync(deputyToken);
        await deputyClient.JoinAsync(stream.Id);

        var first = await viewerClient.SendAsync(stream.Id, "one");
        await deputyClient.Connection.InvokeAsync("DeleteMessage", stream.Id.ToString(), first.GetProperty("id").GetInt64());

        await SetAdminAsync(deputy.User.Id, admin: false);
        var second = await viewerClient.SendAsync(stream.Id, "two");
        Assert.Contains("Only the streamer", (await Assert.ThrowsAsync<HubException>(() =>
            deputyClient.Connection.InvokeAsync("DeleteMessage", stream.Id.ToString(), second.GetProperty("id").GetInt64()))).Message);
        await Assert.ThrowsAsync<HubException>(() => deputyClient.Connection.InvokeAsync("BanUser", stream.Id.ToString(), viewer.User.Id.ToString()));
        await Assert.ThrowsAsync<HubException>(() => deputyClient.Connection.InvokeAsync("AddModerator", stream.Id.ToString(), viewer.User.Id.ToString()));
        await viewerClient.SendAsync(stream.Id, "still chatting");
    }

    /// <summary>Reacts until refused (a ban reaches reactions within seconds, on every instance) and returns the refusal.</summary>
    private static async Task<HubException> ReactionRefusedAsync(RoomClient client, Guid streamId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await client.Connection.InvokeAsync("React", streamId.ToString(), "🔥");
            }
            catch (HubException refused)
            {
                return refused;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Reactions were still taken 10 s after the ban.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A genuine access token of the user that expires <paramref name="left"/> from now.</summary>
    private async Task<string> ExpiringTokenAsync(Guid userId, TimeSpan left)
    {
        var jwt = api.Services.GetRequiredService<IOptions<JwtOptions>>();
        var user = (await api.Services.GetRequiredService<UserRepository>().FindByIdAsync(userId, CancellationToken.None))!;
        var issuedAgo = TimeSpan.FromMinutes(jwt.Value.AccessTokenMinutes) - left;
        return new TokenIssuer(jwt, new ShiftedClock(-issuedAgo)).CreateAccessToken(user).Token;
    }

    private async Task SetAdminAsync(Guid userId, bool admin)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE users SET roles = CASE WHEN @admin THEN array_append(roles, 'admin') ELSE array_remove(roles, 'admin') END WHERE id = @userId",
            new { userId, admin });
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}

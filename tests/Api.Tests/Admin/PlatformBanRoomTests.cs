using System.Net.Http.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Admin;

/// <summary>A platform ban as the rooms see it, over real SignalR connections to a real server.</summary>
public sealed class PlatformBanRoomTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task A_room_the_banned_user_chats_in_is_told_and_they_no_longer_get_its_messages()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var troll = await api.RegisterAsync("Troll");
        await using var watcher = await api.ConnectAsync(streamer.AccessToken);
        await using var banned = await api.ConnectAsync(troll.AccessToken);
        await watcher.JoinAsync(stream.Id);
        await banned.JoinAsync(stream.Id);
        await banned.SendAsync(stream.Id, "spam spam spam");
        await watcher.WaitForAsync("message");

        var admin = await api.LoginAdminAsync();
        (await api.ClientWithToken(admin.AccessToken).PostAsJsonAsync($"/api/admin/users/{troll.User.Id}/ban", new { reason = "spam" })).EnsureSuccessStatusCode();

        var told = await watcher.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "moderation");
        Assert.Equal("Troll was banned from NIO.", told.GetProperty("text").GetString());
        await watcher.SendAsync(stream.Id, "good riddance");
        await watcher.WaitForAsync("message", e => e.GetProperty("text").GetString() == "good riddance");
        await Task.Delay(500);
        Assert.DoesNotContain(banned.Events("message"), e => e.GetProperty("text").GetString() == "good riddance");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.Api.Auth;
using Nio.TestSupport;

namespace Nio.Api.Tests.Chat;

/// <summary>Every moderation power, used by those who have it and attempted by those who do not.</summary>
public sealed class ModerationTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task The_streamer_deletes_a_message_for_everyone_and_a_viewer_cannot()
    {
        var room = await RoomAsync();
        var sent = await room.Viewer.SendAsync(room.StreamId, "rude words");
        var id = sent.GetProperty("id").GetInt64();

        var denied = await Assert.ThrowsAsync<HubException>(() => room.Other.Connection.InvokeAsync("DeleteMessage", room.StreamId.ToString(), id));
        Assert.Contains("Only the streamer", denied.Message);
        Assert.Single(await HistoryAsync(room.StreamId));

        await room.Streamer.Connection.InvokeAsync("DeleteMessage", room.StreamId.ToString(), id);
        foreach (var client in new[] { room.Viewer, room.Other, room.Streamer })
        {
            var deleted = await client.WaitForAsync("messageDeleted");
            Assert.Equal(id, deleted.GetProperty("id").GetInt64());
        }

        Assert.Empty(await HistoryAsync(room.StreamId));
        Assert.Contains("no such message", (await Assert.ThrowsAsync<HubException>(() =>
            room.Streamer.Connection.InvokeAsync("DeleteMessage", room.StreamId.ToString(), id))).Message);
        Assert.Equal(1, await AuditCountAsync("chat.message.delete", id.ToString()));
        await room.DisposeAsync();
    }

    [Fact]
    public async Task A_timed_out_viewer_reads_but_cannot_send_until_lifted()
    {
        var room = await RoomAsync();
        var target = room.ViewerId.ToString();

        await Assert.ThrowsAsync<HubException>(() => room.Other.Connection.InvokeAsync("TimeoutUser", room.StreamId.ToString(), target, 60));
        Assert.Equal(0, await SanctionCountAsync(room.ViewerId));

        await room.Streamer.Connection.InvokeAsync("TimeoutUser", room.StreamId.ToString(), target, 60);
        var refused = await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "hello?"));
        // Clients read the reason after "HubException: ", as for any refusal of a SignalR hub.
        Assert.Contains("HubException: You are timed out in this room until ", refused.Message);
        // The caller is told the same refusal with its reason and what fills it in, for a client to translate.
        var error = await room.Viewer.WaitForAsync("error", e => e.GetProperty("reason").GetString() == "timedOut");
        Assert.Equal("refused", error.GetProperty("code").GetString());
        Assert.EndsWith(error.GetProperty("message").GetString()!, refused.Message, StringComparison.Ordinal);
        Assert.InRange(error.GetProperty("args").GetProperty("until").GetDateTime(), DateTime.UtcNow.AddSeconds(30), DateTime.UtcNow.AddSeconds(90));
        await room.Other.SendAsync(room.StreamId, "others still talk");
        await room.Viewer.WaitForAsync("message", m => m.GetProperty("text").GetString() == "others still talk");
        var told = await room.Viewer.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "moderation" && e.GetProperty("text").GetString()!.Contains("timed out"));
        Assert.Equal(("timedOut", 60), (told.GetProperty("code").GetString(), told.GetProperty("args").GetProperty("seconds").GetInt32()));

        Assert.Contains("1 to", (await Assert.ThrowsAsync<HubException>(() => room.Streamer.Connection.InvokeAsync("TimeoutUser", room.StreamId.ToString(), target, 0))).Message);
        await room.Streamer.Connection.InvokeAsync("UnbanUser", room.StreamId.ToString(), target);
        await room.Viewer.SendAsync(room.StreamId, "back");
        Assert.Equal(1, await AuditCountAsync("chat.user.timeout", target));
        await room.DisposeAsync();
    }

    [Fact]
    public async Task A_banned_viewer_can_neither_send_nor_join_again_in_the_streamers_rooms()
    {
        var room = await RoomAsync();
        var target = room.ViewerId.ToString();

        await Assert.ThrowsAsync<HubException>(() => room.Other.Connection.InvokeAsync("BanUser", room.StreamId.ToString(), target));
        await room.Streamer.Connection.InvokeAsync("BanUser", room.StreamId.ToString(), target);

        await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "let me in"));
        Assert.Contains("banned", (await Assert.ThrowsAsync<HubException>(() => room.Viewer.JoinAsync(room.StreamId))).Message);
        await using var again = await api.ConnectAsync(room.ViewerToken);
        await Assert.ThrowsAsync<HubException>(() => again.JoinAsync(room.StreamId));
        // The streamer cannot be banned in their own room, nor can anyone ban themselves.
        Assert.Contains("streamer", (await Assert.ThrowsAsync<HubException>(() =>
            room.Streamer.Connection.InvokeAsync("BanUser", room.StreamId.ToString(), room.StreamerId.ToString()))).Message);

        await room.Streamer.Connection.InvokeAsync("UnbanUser", room.StreamId.ToString(), target);
        await again.JoinAsync(room.StreamId);
        await again.SendAsync(room.StreamId, "thanks");
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Moderators_are_appointed_by_the_streamer_only_and_can_moderate_but_not_sanction_the_streamer()
    {
        var room = await RoomAsync();
        var moderatorId = room.OtherId.ToString();

        Assert.Contains("Only the streamer", (await Assert.ThrowsAsync<HubException>(() =>
            room.Viewer.Connection.InvokeAsync("AddModerator", room.StreamId.ToString(), room.ViewerId.ToString()))).Message);
        await room.Streamer.Connection.InvokeAsync("AddModerator", room.StreamId.ToString(), moderatorId);
        Assert.Contains("Only the streamer", (await Assert.ThrowsAsync<HubException>(() =>
            room.Other.Connection.InvokeAsync("AddModerator", room.StreamId.ToString(), room.ViewerId.ToString()))).Message);

        var sent = await room.Viewer.SendAsync(room.StreamId, "spam");
        await room.Other.Connection.InvokeAsync("DeleteMessage", room.StreamId.ToString(), sent.GetProperty("id").GetInt64());
        await room.Other.Connection.InvokeAsync("TimeoutUser", room.StreamId.ToString(), room.ViewerId.ToString(), 30);
        await Assert.ThrowsAsync<HubException>(() => room.Other.Connection.InvokeAsync("BanUser", room.StreamId.ToString(), room.StreamerId.ToString()));
        var settings = await room.Other.Connection.InvokeAsync<JsonElement>("GetRoomSettings", room.StreamId.ToString());
        Assert.Equal([room.OtherId], settings.GetProperty("moderators").EnumerateArray().Select(m => m.GetGuid()));

        await room.Streamer.Connection.InvokeAsync("RemoveModerator", room.StreamId.ToString(), moderatorId);
        await Assert.ThrowsAsync<HubException>(() => room.Other.Connection.InvokeAsync("UnbanUser", room.StreamId.ToString(), room.ViewerId.ToString()));
        await Assert.ThrowsAsync<HubException>(() => room.Viewer.Connection.InvokeAsync<JsonElement>("GetRoomSettings", room.StreamId.ToString()));
        await room.DisposeAsync();
    }

    [Fact]
    public async Task A_platform_admin_moderates_any_room()
    {
        var room = await RoomAsync();
        var admin = await api.LoginAdminAsync();
        await using var adminClient = await api.ConnectAsync(admin.AccessToken);
        await adminClient.JoinAsync(room.StreamId);

        var sent = await room.Viewer.SendAsync(room.StreamId, "report me");
        await adminClient.Connection.InvokeAsync("DeleteMessage", room.StreamId.ToString(), sent.GetProperty("id").GetInt64());
        await adminClient.Connection.InvokeAsync("BanUser", room.StreamId.ToString(), room.ViewerId.ToString());
        await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "hello"));
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Slow_mode_holds_back_viewers_but_not_moderators()
    {
        var room = await RoomAsync();
        await Assert.ThrowsAsync<HubException>(() => room.Viewer.Connection.InvokeAsync("SetSlowMode", room.StreamId.ToString(), 30));
        await room.Streamer.Connection.InvokeAsync("SetSlowMode", room.StreamId.ToString(), 30);

        await room.Viewer.SendAsync(room.StreamId, "one");
        Assert.Contains("Slow mode", (await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "two"))).Message);
        await room.Streamer.SendAsync(room.StreamId, "streamer one");
        await room.Streamer.SendAsync(room.StreamId, "streamer two");
        Assert.Contains("3600", (await Assert.ThrowsAsync<HubException>(() => room.Streamer.Connection.InvokeAsync("SetSlowMode", room.StreamId.ToString(), 3601))).Message);

        await room.Streamer.Connection.InvokeAsync("SetSlowMode", room.StreamId.ToString(), 0);
        await room.Viewer.SendAsync(room.StreamId, "two");
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Blocked_words_refuse_whole_words_in_any_case()
    {
        var room = await RoomAsync();
        await Assert.ThrowsAsync<HubException>(() => room.Viewer.Connection.InvokeAsync<string[]>("SetBlockedWords", room.StreamId.ToString(), new[] { "x" }));
        var kept = await room.Streamer.Connection.InvokeAsync<string[]>("SetBlockedWords", room.StreamId.ToString(), new[] { " darn ", "DARN", "", "very bad" });
        Assert.Equal(["darn", "very bad"], kept);

        Assert.Contains("does not allow", (await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "oh DARN!"))).Message);
        await Assert.ThrowsAsync<HubException>(() => room.Viewer.SendAsync(room.StreamId, "that is Very Bad"));
        await room.Viewer.SendAsync(room.StreamId, "darned good, undarnable darnation");

        var tooMany = Enumerable.Range(0, 201).Select(i => $"w{i}").ToArray();
        Assert.Contains("200", (await Assert.ThrowsAsync<HubException>(() =>
            room.Streamer.Connection.InvokeAsync<string[]>("SetBlockedWords", room.StreamId.ToString(), tooMany))).Message);
        await room.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_bans_a_user_from_the_platform_and_lifts_it()
    {
        var room = await RoomAsync();
        var (streamer, stream) = (room.StreamerSession, room.StreamId);
        var admin = await api.LoginAdminAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(room.ViewerToken).PostAsJsonAsync($"/api/admin/users/{room.StreamerId}/ban", new { })).StatusCode);
        var ban = await api.ClientWithToken(admin.AccessToken).PostAsJsonAsync($"/api/admin/users/{room.StreamerId}/ban", new { reason = "fraud" });
        Assert.Equal(HttpStatusCode.NoContent, ban.StatusCode);

        // Sessions and tokens stop working, and the banned user's stream ended.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(streamer.AccessToken).GetAsync("/api/auth/me")).StatusCode);
        var login = await api.ClientWithToken(null).PostAsJsonAsync("/api/auth/refresh", new { refreshToken = streamer.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("banned", (await Assert.ThrowsAsync<HubException>(() => room.Streamer.SendAsync(stream, "still here?"))).Message);
        var view = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream}");
        Assert.Equal("ended", view.GetProperty("status").GetString());
        Assert.Equal(1, await AuditCountAsync("user.ban", room.StreamerId.ToString()));

        Assert.Equal(HttpStatusCode.NotFound, (await api.ClientWithToken(admin.AccessToken).PostAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}/ban", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.ClientWithToken(admin.AccessToken).DeleteAsync($"/api/admin/users/{room.StreamerId}/ban")).StatusCode);
        var fresh = await api.ClientWithToken(room.ViewerToken).GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Joining_tells_each_caller_whether_they_may_moderate_and_appoint()
    {
        var room = await RoomAsync();
        var admin = await api.LoginAdminAsync();
        await room.Streamer.Connection.InvokeAsync("AddModerator", room.StreamId.ToString(), room.ViewerId.ToString());
        await using var adminClient = await api.ConnectAsync(admin.AccessToken);
        await using var anonymous = await api.ConnectAsync();
        await using var moderator = await api.ConnectAsync(room.ViewerToken);

        (bool, bool) Rights(JsonElement joined) => (joined.GetProperty("canModerate").GetBoolean(), joined.GetProperty("canAppoint").GetBoolean());

        Assert.Equal((true, true), Rights(await room.Streamer.JoinAsync(room.StreamId)));
        Assert.Equal((true, false), Rights(await moderator.JoinAsync(room.StreamId)));
        Assert.Equal((true, true), Rights(await adminClient.JoinAsync(room.StreamId)));
        Assert.Equal((false, false), Rights(await room.Other.JoinAsync(room.StreamId)));
        Assert.Equal((false, false), Rights(await anonymous.JoinAsync(room.StreamId)));

        await room.Streamer.Connection.InvokeAsync("RemoveModerator", room.StreamId.ToString(), room.ViewerId.ToString());
        Assert.Equal((false, false), Rights(await moderator.JoinAsync(room.StreamId)));
        await room.DisposeAsync();
    }

    /// <summary>A streamer's room with the streamer and two signed-in viewers in it.</summary>
    private async Task<Room> RoomAsync()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        var viewer = await api.RegisterAsync("Viewer");
        var other = await api.RegisterAsync("Other");
        var room = new Room(stream.Id, streamer, await api.ConnectAsync(streamer.AccessToken), viewer, await api.ConnectAsync(viewer.AccessToken),
            other, await api.ConnectAsync(other.AccessToken));
        foreach (var client in new[] { room.Streamer, room.Viewer, room.Other })
        {
            await client.JoinAsync(stream.Id);
        }

        return room;
    }

    private async Task<IReadOnlyList<JsonElement>> HistoryAsync(Guid streamId) =>
        [.. (await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{streamId}/chat")).GetProperty("items").EnumerateArray()
            .Where(m => m.GetProperty("kind").GetString() == "message")];

    private async Task<long> AuditCountAsync(string action, string targetId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = @action AND target_id = @targetId", new { action, targetId });
    }

    private async Task<long> SanctionCountAsync(Guid userId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM room_sanctions WHERE user_id = @userId", new { userId });
    }

    private sealed record Room(
        Guid StreamId, AuthResponse StreamerSession, RoomClient Streamer, AuthResponse ViewerSession, RoomClient Viewer, AuthResponse OtherSession, RoomClient Other)
        : IAsyncDisposable
    {
        public Guid StreamerId => StreamerSession.User.Id;
        public Guid ViewerId => ViewerSession.User.Id;
        public Guid OtherId => OtherSession.User.Id;
        public string ViewerToken => ViewerSession.AccessToken;

        public async ValueTask DisposeAsync()
        {
            await Streamer.DisposeAsync();
            await Viewer.DisposeAsync();
            await Other.DisposeAsync();
        }
    }
}

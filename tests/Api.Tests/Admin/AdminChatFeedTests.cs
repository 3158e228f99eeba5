using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.TestSupport;

namespace Nio.Api.Tests.Admin;

/// <summary>Operators moderating chat over HTTP, seen live by the room and by the operators' feed.</summary>
public sealed class AdminChatFeedTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task An_operator_sees_new_messages_live_and_a_deletion_reaches_the_room()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var viewer = await api.RegisterAsync("Chatty");
        await using var room = await api.ConnectAsync(viewer.AccessToken);
        await room.JoinAsync(stream.Id);
        var admin = await api.LoginAdminAsync();
        var fed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var deletedInFeed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var feed = new HubConnectionBuilder()
            .WithUrl($"{api.BaseUrl}/hubs/admin", o => o.AccessTokenProvider = () => Task.FromResult<string?>(admin.AccessToken))
            .Build();
        feed.On<JsonElement>("ChatMessage", m => fed.TrySetResult(m));
        feed.On<JsonElement>("ChatMessageDeleted", m => deletedInFeed.TrySetResult(m));
        await feed.StartAsync();

        var sent = await room.SendAsync(stream.Id, "buy cheap followers");
        var id = sent.GetProperty("id").GetInt64();
        var seen = await fed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, seen.GetProperty("id").GetInt64());
        Assert.Equal(stream.Title, seen.GetProperty("streamTitle").GetString());

        var found = await api.ClientWithToken(admin.AccessToken).GetFromJsonAsync<JsonElement>($"/api/admin/chat/messages?word=CHEAP&streamId={stream.Id}");
        Assert.Equal(id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var delete = await api.ClientWithToken(admin.AccessToken).DeleteAsync($"/api/admin/chat/messages/{id}?reason=spam");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        Assert.Equal(id, (await room.WaitForAsync("messageDeleted")).GetProperty("id").GetInt64());
        Assert.Equal(id, (await deletedInFeed.Task.WaitAsync(TimeSpan.FromSeconds(10))).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await api.ClientWithToken(admin.AccessToken).DeleteAsync($"/api/admin/chat/messages/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_user_without_a_staff_role_cannot_open_the_feed()
    {
        var user = await api.RegisterAsync();
        await using var feed = new HubConnectionBuilder()
            .WithUrl($"{api.BaseUrl}/hubs/admin", o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.AccessToken))
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => feed.StartAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_platform_wide_blocked_word_is_refused_in_every_room()
    {
        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        (await admin.PutAsJsonAsync("/api/admin/chat/blocked-words", new { words = new[] { "scamcoin" }, reason = "fraud wave" })).EnsureSuccessStatusCode();
        try
        {
            var (_, stream) = await api.CreateStreamAsync();
            await api.GoLiveAsync(stream);
            await using var room = await api.ConnectAsync((await api.RegisterAsync()).AccessToken);
            await room.JoinAsync(stream.Id);

            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => room.SendAsync(stream.Id, "try ScamCoin now"));
            Assert.Contains("does not allow", refused.Message);
        }
        finally
        {
            (await admin.PutAsJsonAsync("/api/admin/chat/blocked-words", new { words = Array.Empty<string>() })).EnsureSuccessStatusCode();
        }
    }
}

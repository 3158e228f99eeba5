using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.TestSupport;

namespace Nio.Api.Tests.Chat;

/// <summary>Rooms over real SignalR connections (WebSockets on a loopback port) against the real Api and PostgreSQL.</summary>
public sealed class ChatTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task Two_viewers_chat_and_a_late_joiner_gets_the_history()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var ann = await api.RegisterAsync("Ann");
        var bo = await api.RegisterAsync("Bo");
        await using var annClient = await api.ConnectAsync(ann.AccessToken);
        await using var boClient = await api.ConnectAsync(bo.AccessToken);
        await annClient.JoinAsync(stream.Id);
        await boClient.JoinAsync(stream.Id);

        var sent = await annClient.SendAsync(stream.Id, "  hello 👋 room  ");

        Assert.Equal("hello 👋 room", sent.GetProperty("text").GetString());
        foreach (var client in new[] { annClient, boClient })
        {
            var message = await client.WaitForAsync("message", m => m.GetProperty("id").GetInt64() == sent.GetProperty("id").GetInt64());
            Assert.Equal(stream.Id, message.GetProperty("streamId").GetGuid());
            Assert.Equal(ann.User.Id, message.GetProperty("userId").GetGuid());
            Assert.Equal("Ann", message.GetProperty("displayName").GetString());
            Assert.Equal("hello 👋 room", message.GetProperty("text").GetString());
            Assert.True(message.GetProperty("sentAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-1));
        }

        await annClient.SendAsync(stream.Id, "second");
        await using var late = await api.ConnectAsync();
        var joined = await late.JoinAsync(stream.Id);
        Assert.Equal(["hello 👋 room", "second"], joined.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.True(joined.GetProperty("viewerCount").GetInt32() >= 2);
    }

    [Fact]
    public async Task Anonymous_viewers_read_but_cannot_send_or_react()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var ann = await api.RegisterAsync("Ann");
        await using var annClient = await api.ConnectAsync(ann.AccessToken);
        await using var anonymous = await api.ConnectAsync();
        await annClient.JoinAsync(stream.Id);
        await anonymous.JoinAsync(stream.Id);

        await annClient.SendAsync(stream.Id, "for everyone");
        await anonymous.WaitForAsync("message", m => m.GetProperty("text").GetString() == "for everyone");

        var refused = await Assert.ThrowsAsync<HubException>(() => anonymous.SendAsync(stream.Id, "me too"));
        Assert.Contains("Sign in", refused.Message);
        await Assert.ThrowsAsync<HubException>(() => anonymous.Connection.InvokeAsync("React", stream.Id.ToString(), "❤️"));
        Assert.Equal(1, await MessageCountAsync(stream.Id));
    }

    private async Task<long> MessageCountAsync(Guid streamId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE stream_id = @streamId AND kind = 'message'", new { streamId });
    }
}

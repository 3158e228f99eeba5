using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Nio.Api.Auth;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Chat;

/// <summary>Two Api processes on one PostgreSQL database, joined by one real Redis: a room spans both.</summary>
public sealed class ScaleOutTests
{
    [Fact]
    public async Task A_message_sent_through_one_instance_reaches_a_client_of_the_other()
    {
        using var redis = new RedisServer();
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["NIO_DATABASE_URL"] = database, ["NIO_REDIS_URL"] = redis.Url };
        await using var first = await ApiProcess.StartAsync(environment);
        await using var second = await ApiProcess.StartAsync(environment);

        using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
        var streamer = await RegisterAsync(http, "Streamer");
        var viewer = await RegisterAsync(http, "Viewer");
        var created = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/streams")
        {
            Headers = { Authorization = new("Bearer", streamer.AccessToken) },
            Content = JsonContent.Create(new { title = "Across instances" }),
        });
        var stream = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<StreamCredentials>())!;

        await using var onFirst = await RoomClient.ConnectAsync(first.BaseUrl, streamer.AccessToken);
        await using var onSecond = await RoomClient.ConnectAsync(second.BaseUrl, viewer.AccessToken);
        await onFirst.JoinAsync(stream.Id);
        await onSecond.JoinAsync(stream.Id);

        var sent = await onSecond.SendAsync(stream.Id, "hello from the second instance");
        var received = await onFirst.WaitForAsync("message", m => m.GetProperty("text").GetString() == "hello from the second instance");
        Assert.Equal(viewer.User.Id, received.GetProperty("userId").GetGuid());

        // Moderation and viewer counts span the instances too.
        await onFirst.Connection.InvokeAsync("DeleteMessage", stream.Id.ToString(), sent.GetProperty("id").GetInt64());
        await onSecond.WaitForAsync("messageDeleted");
        await onFirst.WaitForLatestAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 2);
        await onSecond.WaitForLatestAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 2);
    }

    private static async Task<AuthResponse> RegisterAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/api/auth/register",
            new { email = $"{Guid.NewGuid():N}@example.com", password = "password-123", displayName = name });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<AuthResponse>())!;
    }
}

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

    [Fact]
    public async Task Hostile_text_is_stored_as_typed_or_refused_with_a_reason()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var ann = await api.RegisterAsync("Ann");
        await using var client = await api.ConnectAsync(ann.AccessToken);
        await client.JoinAsync(stream.Id);

        const string script = "<script>alert('x')</script> '; DROP TABLE chat_messages; --";
        Assert.Equal(script, (await client.SendAsync(stream.Id, script)).GetProperty("text").GetString());
        Assert.Equal("a b c", (await client.SendAsync(stream.Id, "a\u0000\u0007\u202E b\nc")).GetProperty("text").GetString());
        // 500 emoji (each with its modifier) are 500 characters.
        var emoji = string.Concat(Enumerable.Repeat("👍🏽", 500));
        Assert.Equal(emoji, (await client.SendAsync(stream.Id, emoji)).GetProperty("text").GetString());

        var history = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat");
        Assert.Equal(script, history.GetProperty("items")[0].GetProperty("text").GetString());

        var refusals = new[]
        {
            await Assert.ThrowsAsync<HubException>(() => client.SendAsync(stream.Id, "   \u0000\t ")),
            await Assert.ThrowsAsync<HubException>(() => client.SendAsync(stream.Id, new string('x', 501))),
            await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<JsonElement>("SendMessage", stream.Id.ToString(), null)),
        };
        Assert.Contains("empty", refusals[0].Message);
        Assert.Contains("500", refusals[1].Message);
        Assert.Contains("empty", refusals[2].Message);

        Assert.Contains("UUID", (await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<JsonElement>("JoinStream", "../../etc"))).Message);
        Assert.Contains("no such stream", (await Assert.ThrowsAsync<HubException>(() => client.JoinAsync(Guid.NewGuid()))).Message);
        var notJoined = (await api.CreateStreamAsync()).Stream.Id;
        Assert.Contains("Join", (await Assert.ThrowsAsync<HubException>(() => client.SendAsync(notJoined, "hi"))).Message);
        Assert.Equal(3, await MessageCountAsync(stream.Id));
    }

    [Fact]
    public async Task Reactions_are_summed_up_per_room_not_forwarded_one_by_one()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await using var watcher = await api.ConnectAsync();
        await watcher.JoinAsync(stream.Id);
        var tappers = new List<RoomClient>();
        for (var i = 0; i < 3; i++)
        {
            var tapper = await api.ConnectAsync((await api.RegisterAsync($"Tapper {i}")).AccessToken);
            await tapper.JoinAsync(stream.Id);
            tappers.Add(tapper);
        }

        await Task.WhenAll(tappers.Select(async t =>
        {
            for (var i = 0; i < 15; i++)
            {
                await t.Connection.InvokeAsync("React", stream.Id.ToString(), i % 3 == 0 ? "\u2764" : "🔥");
            }
        }));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Taps(watcher) < 45 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var reactions = watcher.Events("reaction");
        Assert.Equal(45, Taps(watcher));
        Assert.Equal(15, reactions.Where(r => r.GetProperty("emoji").GetString() == "❤️").Sum(r => r.GetProperty("count").GetInt32()));
        Assert.True(reactions.Count < 45, $"{reactions.Count} reaction events for 45 taps");
        Assert.All(reactions, r => Assert.Equal(stream.Id, r.GetProperty("streamId").GetGuid()));

        Assert.Contains("Reactions are", (await Assert.ThrowsAsync<HubException>(() => tappers[0].Connection.InvokeAsync("React", stream.Id.ToString(), "<b>"))).Message);
        foreach (var tapper in tappers)
        {
            await tapper.DisposeAsync();
        }

        static int Taps(RoomClient client) => client.Events("reaction").Sum(r => r.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task One_connection_cannot_flood_reactions()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await using var tapper = await api.ConnectAsync((await api.RegisterAsync()).AccessToken);
        await tapper.JoinAsync(stream.Id);

        var refused = 0;
        for (var i = 0; i < 60; i++)
        {
            try
            {
                await tapper.Connection.InvokeAsync("React", stream.Id.ToString(), "👏");
            }
            catch (HubException exception) when (exception.Message.Contains("Too many reactions"))
            {
                refused++;
            }
        }

        Assert.True(refused > 0, "60 reactions in a burst were all accepted");
    }

    [Fact]
    public async Task Viewer_counts_follow_joins_and_leaves_and_signed_in_joins_are_announced()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        await using var first = await api.ConnectAsync();
        await first.JoinAsync(stream.Id);
        await first.WaitForAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 1);

        var cleo = await api.RegisterAsync("Cleo");
        var second = await api.ConnectAsync(cleo.AccessToken);
        await second.JoinAsync(stream.Id);
        await first.WaitForAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 2 && c.GetProperty("streamId").GetGuid() == stream.Id);
        var joined = await first.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "joined");
        Assert.Equal("Cleo joined", joined.GetProperty("text").GetString());
        Assert.Equal("joined", joined.GetProperty("code").GetString());
        Assert.Equal(["Cleo"], joined.GetProperty("args").GetProperty("names").EnumerateArray().Select(n => n.GetString()));

        var listed = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}");
        Assert.Equal(2, listed.GetProperty("viewerCount").GetInt32());

        await second.Connection.InvokeAsync("LeaveStream", stream.Id.ToString());
        await first.WaitForLatestAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 1);
        await second.Connection.InvokeAsync<JsonElement>("JoinStream", stream.Id.ToString());
        await first.WaitForLatestAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 2);
        await second.DisposeAsync();
        await first.WaitForLatestAsync("viewerCount", c => c.GetProperty("count").GetInt32() == 1);
    }

    [Fact]
    public async Task Stream_start_and_end_are_system_messages_kept_in_the_history()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await using var viewer = await api.ConnectAsync();
        await viewer.JoinAsync(stream.Id);

        await api.GoLiveAsync(stream);
        await viewer.WaitForAsync("system", e => e.GetProperty("kind").GetString() == "streamStarted");
        await api.GoLiveAsync(stream); // a heartbeat announces nothing
        (await api.IngestClient().PostAsync($"/api/ingest/streams/{stream.Id}/offline", null)).EnsureSuccessStatusCode();
        await viewer.WaitForAsync("system", e => e.GetProperty("code").GetString() == "streamOffline" && e.GetProperty("text").GetString()!.Contains("offline"));
        (await api.ClientWithToken(streamer.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        await viewer.WaitForAsync("system", e => e.GetProperty("text").GetString() == "The stream has ended.");

        var history = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat");
        Assert.Equal(["streamStarted", "streamEnded", "streamEnded"], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(["streamStarted", "streamOffline", "streamEnded"], history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()));
        Assert.Single(viewer.Events("system"), e => e.GetProperty("kind").GetString() == "streamStarted");

        var chatter = await api.ConnectAsync((await api.RegisterAsync()).AccessToken);
        await chatter.JoinAsync(stream.Id);
        Assert.Contains("ended", (await Assert.ThrowsAsync<HubException>(() => chatter.SendAsync(stream.Id, "anyone?"))).Message);
        await chatter.DisposeAsync();
    }

    [Fact]
    public async Task The_history_pages_backwards()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var client = api.ClientWithToken(null);
        await using var chatters = new AsyncDisposables();
        for (var i = 1; i <= 7; i++)
        {
            // One sender per message keeps the rate limit out of the way.
            var chatter = await chatters.Add(await api.ConnectAsync((await api.RegisterAsync()).AccessToken));
            await chatter.JoinAsync(stream.Id);
            await chatter.SendAsync(stream.Id, $"m{i}");
        }

        var newest = await client.GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat?limit=3");
        Assert.Equal(["m5", "m6", "m7"], Texts(newest));
        var before = newest.GetProperty("nextBefore").GetInt64();
        var older = await client.GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat?limit=3&before={before}");
        Assert.Equal(["m2", "m3", "m4"], Texts(older));
        var oldest = await client.GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat?limit=3&before={older.GetProperty("nextBefore").GetInt64()}");
        Assert.Equal(["m1"], Texts(oldest));
        Assert.Equal(JsonValueKind.Null, oldest.GetProperty("nextBefore").ValueKind);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/streams/{Guid.NewGuid()}/chat")).StatusCode);
        await (await client.GetAsync($"/api/streams/{stream.Id}/chat?limit=0")).AssertFieldErrorAsync("limit");
        await (await client.GetAsync($"/api/streams/{stream.Id}/chat?limit=51")).AssertFieldErrorAsync("limit");
        await (await client.GetAsync($"/api/streams/{stream.Id}/chat?before=-1")).AssertFieldErrorAsync("before");

        static IEnumerable<string?> Texts(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_rate_limit_holds_even_across_connections_of_one_user()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var flooder = await api.RegisterAsync("Flooder");
        var other = await api.RegisterAsync("Other");
        await using var a = await api.ConnectAsync(flooder.AccessToken);
        await using var b = await api.ConnectAsync(flooder.AccessToken);
        await using var bystander = await api.ConnectAsync(other.AccessToken);
        foreach (var client in new[] { a, b, bystander })
        {
            await client.JoinAsync(stream.Id);
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? a : b).SendAsync(stream.Id, $"flood {i}");
                return true;
            }
            catch (HubException exception)
            {
                Assert.Contains("too fast", exception.Message);
                return false;
            }
        }));

        Assert.Equal(5, attempts.Count(ok => ok));
        Assert.Equal(5, await MessageCountAsync(stream.Id));
        var error = await a.WaitForAsync("error");
        Assert.Equal("rateLimited", error.GetProperty("code").GetString());
        Assert.Contains("too fast", error.GetProperty("message").GetString());
        Assert.Equal("tooFast", error.GetProperty("reason").GetString());
        Assert.Equal(5, error.GetProperty("args").GetProperty("messages").GetInt32());
        // The room stays usable for everyone else.
        await bystander.SendAsync(stream.Id, "still here");
    }

    private async Task<long> MessageCountAsync(Guid streamId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE stream_id = @streamId AND kind = 'message'", new { streamId });
    }
}

/// <summary>Room clients a test opens in a loop, closed together.</summary>
internal sealed class AsyncDisposables : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> items = [];

    public Task<T> Add<T>(T item) where T : IAsyncDisposable
    {
        items.Add(item);
        return Task.FromResult(item);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in items)
        {
            await item.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

/// <summary>What the web app's pages ask of streams: following, my stream and its key, editing, a channel's streams.</summary>
public sealed class StreamPagesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Following_lists_the_live_streams_of_people_i_follow_and_nothing_else()
    {
        var viewer = await api.RegisterAsync();
        var client = api.ClientWithToken(viewer.AccessToken);
        var (followedLive, liveStream) = await api.CreateStreamAsync("Followed and live");
        await api.GoLiveAsync(liveStream);
        var (followedOffline, _) = await api.CreateStreamAsync("Followed, offline");
        var (_, strangerStream) = await api.CreateStreamAsync("Not followed");
        await api.GoLiveAsync(strangerStream);
        (await client.PutAsync($"/api/users/{followedLive.User.Id}/follow", null)).EnsureSuccessStatusCode();
        (await client.PutAsync($"/api/users/{followedOffline.User.Id}/follow", null)).EnsureSuccessStatusCode();

        var page = await client.GetFromJsonAsync<Page<StreamView>>("/api/streams/following");

        Assert.Equal(liveStream.Id, Assert.Single(page!.Items).Id);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal(StreamStatus.Live, page.Items[0].Status);
        await (await client.GetAsync("/api/streams/following?pageSize=101")).AssertFieldErrorAsync("pageSize");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).GetAsync("/api/streams/following")).StatusCode);
    }

    [Fact]
    public async Task Mine_is_my_open_stream_with_where_to_publish_and_404_once_it_ended()
    {
        var (streamer, stream) = await api.CreateStreamAsync("My stream");
        var client = api.ClientWithToken(streamer.AccessToken);

        var response = await client.GetAsync("/api/streams/mine");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(stream.Id, mine.GetProperty("id").GetGuid());
        Assert.Equal("My stream", mine.GetProperty("title").GetString());
        Assert.Equal("rtmp://localhost:1935/live", mine.GetProperty("rtmpUrl").GetString());
        Assert.Equal("http://localhost:8081/whip", mine.GetProperty("whipUrl").GetString());
        Assert.Equal(stream.PlaybackUrl, mine.GetProperty("playbackUrl").GetString());
        Assert.Equal(streamer.User.Id, mine.GetProperty("streamer").GetProperty("id").GetGuid());
        Assert.False(mine.TryGetProperty("streamKey", out _));

        (await client.PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/streams/mine")).StatusCode);
    }

    [Fact]
    public async Task The_owner_reads_the_key_again_others_get_403_and_an_ended_stream_409()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        var owner = api.ClientWithToken(streamer.AccessToken);

        Assert.Equal(stream.StreamKey, (await owner.GetFromJsonAsync<StreamKeyView>($"/api/streams/{stream.Id}/key"))!.StreamKey);

        var rotated = (await (await owner.PostAsync($"/api/streams/{stream.Id}/key/rotate", null)).Content.ReadFromJsonAsync<StreamCredentials>())!;
        Assert.NotEqual(stream.StreamKey, rotated.StreamKey);
        Assert.Equal(rotated.StreamKey, (await owner.GetFromJsonAsync<StreamKeyView>($"/api/streams/{stream.Id}/key"))!.StreamKey);

        var other = await api.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(other.AccessToken).GetAsync($"/api/streams/{stream.Id}/key")).StatusCode);
        var admin = await api.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(admin.AccessToken).GetAsync($"/api/streams/{stream.Id}/key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).GetAsync($"/api/streams/{stream.Id}/key")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/api/streams/{Guid.NewGuid()}/key")).StatusCode);

        (await owner.PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        await (await owner.GetAsync($"/api/streams/{stream.Id}/key")).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_key_is_stored_sealed_never_readable_and_cleared_when_the_stream_ends()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await using var connection = await api.Database.OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<byte[]>("SELECT key_sealed FROM streams WHERE id = @Id", new { stream.Id });

        Assert.NotNull(stored);
        Assert.DoesNotContain(stream.StreamKey, Encoding.UTF8.GetString(stored!));
        Assert.DoesNotContain(stream.StreamKey, Convert.ToBase64String(stored!));

        (await api.ClientWithToken(streamer.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        Assert.Null(await connection.ExecuteScalarAsync<byte[]>("SELECT key_sealed FROM streams WHERE id = @Id", new { stream.Id }));
    }

    [Fact]
    public void A_sealed_key_opens_only_for_its_stream_under_its_secret_and_untampered()
    {
        var seal = new StreamKeySeal("secret-one");
        var id = Guid.NewGuid();
        var key = StreamKeys.NewKey();
        var sealedKey = seal.Seal(id, key);

        Assert.Equal(key, seal.Open(id, sealedKey));
        Assert.NotEqual(sealedKey, seal.Seal(id, key));
        Assert.Null(seal.Open(Guid.NewGuid(), sealedKey));
        Assert.Null(new StreamKeySeal("secret-two").Open(id, sealedKey));
        var tampered = sealedKey.ToArray();
        tampered[^1] ^= 1;
        Assert.Null(seal.Open(id, tampered));
        Assert.Null(seal.Open(id, sealedKey[..20]));
    }

    [Fact]
    public async Task Patch_changes_title_and_record_for_the_owner_and_an_admin_only()
    {
        var (streamer, stream) = await api.CreateStreamAsync("Before");
        var owner = api.ClientWithToken(streamer.AccessToken);

        var response = await owner.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "  After  ", record = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = (await response.Content.ReadFromJsonAsync<StreamView>())!;
        Assert.Equal("After", updated.Title);
        Assert.True(updated.Record);

        var onlyRecord = (await (await owner.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { record = false })).Content.ReadFromJsonAsync<StreamView>())!;
        Assert.Equal("After", onlyRecord.Title);
        Assert.False(onlyRecord.Record);

        await (await owner.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "  " })).AssertFieldErrorAsync("title");
        await (await owner.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = new string('x', 141) })).AssertFieldErrorAsync("title");

        var other = await api.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(other.AccessToken).PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "Mine now" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PatchAsJsonAsync($"/api/streams/{Guid.NewGuid()}", new { title = "x" })).StatusCode);

        var admin = await api.LoginAdminAsync();
        var byAdmin = await api.ClientWithToken(admin.AccessToken).PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "Cleaned up" });
        Assert.Equal("Cleaned up", (await byAdmin.Content.ReadFromJsonAsync<StreamView>())!.Title);
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'stream.update' AND target_id = @id", new { id = stream.Id.ToString() }));

        (await owner.PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        await (await owner.PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "Too late" })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_live_title_change_is_told_to_the_room()
    {
        var (streamer, stream) = await api.CreateStreamAsync("Old title");
        await api.GoLiveAsync(stream);

        (await api.ClientWithToken(streamer.AccessToken).PatchAsJsonAsync($"/api/streams/{stream.Id}", new { title = "New title" })).EnsureSuccessStatusCode();

        var history = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/chat");
        var told = Assert.Single(history.GetProperty("items").EnumerateArray(), m => m.GetProperty("kind").GetString() == "titleChanged");
        Assert.Contains("New title", told.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_channel_lists_its_open_stream_first_then_recorded_broadcasts_newest_first()
    {
        var (streamer, first) = await api.CreateStreamAsync("First", record: true);
        var owner = api.ClientWithToken(streamer.AccessToken);
        await EndRecordedAsync(owner, first.Id);
        var second = (await (await owner.PostAsJsonAsync("/api/streams", new { title = "Second", record = true })).Content.ReadFromJsonAsync<StreamCredentials>())!;
        await EndRecordedAsync(owner, second.Id);
        var unrecorded = (await (await owner.PostAsJsonAsync("/api/streams", new { title = "Not kept" })).Content.ReadFromJsonAsync<StreamCredentials>())!;
        (await owner.PostAsync($"/api/streams/{unrecorded.Id}/end", null)).EnsureSuccessStatusCode();
        var open = (await (await owner.PostAsJsonAsync("/api/streams", new { title = "Open" })).Content.ReadFromJsonAsync<StreamCredentials>())!;

        var channel = await api.ClientWithToken(null).GetFromJsonAsync<Page<StreamView>>($"/api/users/{streamer.User.Id}/streams");

        Assert.Equal([open.Id, second.Id, first.Id], channel!.Items.Select(s => s.Id));
        Assert.Equal(3, channel.TotalCount);
        Assert.NotNull(channel.Items[1].RecordingUrl);
        var secondPage = await api.ClientWithToken(null).GetFromJsonAsync<Page<StreamView>>($"/api/users/{streamer.User.Id}/streams?page=2&pageSize=2");
        Assert.Equal([first.Id], secondPage!.Items.Select(s => s.Id));
        await (await api.ClientWithToken(null).GetAsync($"/api/users/{streamer.User.Id}/streams?page=0")).AssertFieldErrorAsync("page");
        Assert.Empty((await api.ClientWithToken(null).GetFromJsonAsync<Page<StreamView>>($"/api/users/{Guid.NewGuid()}/streams"))!.Items);
    }

    private async Task EndRecordedAsync(HttpClient owner, Guid streamId)
    {
        (await api.TranscoderClient().PostAsync($"/api/transcoder/streams/{streamId}/recording", null)).EnsureSuccessStatusCode();
        (await owner.PostAsync($"/api/streams/{streamId}/end", null)).EnsureSuccessStatusCode();
    }
}

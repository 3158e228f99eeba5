using System.Net;
using System.Net.Http.Json;
using Dapper;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

public sealed class StreamsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Creating_a_stream_gives_its_key_and_the_urls_to_publish_and_play()
    {
        var streamer = await api.RegisterAsync();
        var response = await api.ClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/streams", new { title = "  First stream 🎮  ", record = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var stream = (await response.Content.ReadFromJsonAsync<StreamCredentials>())!;
        Assert.Equal($"/api/streams/{stream.Id}", response.Headers.Location?.ToString());
        Assert.Equal("First stream 🎮", stream.Title);
        Assert.Equal(StreamStatus.Offline, stream.Status);
        Assert.True(stream.Record);
        Assert.StartsWith("nio_", stream.StreamKey);
        Assert.True(stream.StreamKey.Length >= 40);
        // OBS asks for the server URL and the key separately: the key is not part of the URL.
        Assert.Equal("rtmp://localhost:1935/live", stream.RtmpUrl);
        Assert.Equal("http://localhost:8081/whip", stream.WhipUrl);
        Assert.Equal($"http://localhost:8080/live/{stream.Id}/master.m3u8", stream.PlaybackUrl);
    }

    [Fact]
    public async Task The_key_is_kept_only_as_a_hash()
    {
        var (_, stream) = await api.CreateStreamAsync();
        await using var connection = await api.Database.OpenConnectionAsync();
        var stored = await connection.ExecuteScalarAsync<byte[]>("SELECT key_hash FROM streams WHERE id = @Id", new { stream.Id });
        Assert.Equal(StreamKeys.Hash(stream.StreamKey), stored);
    }

    [Fact]
    public async Task Creating_needs_a_token_and_a_valid_title()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PostAsJsonAsync("/api/streams", new { title = "x" })).StatusCode);

        var client = api.ClientWithToken((await api.RegisterAsync()).AccessToken);
        await (await client.PostAsJsonAsync("/api/streams", new { })).AssertFieldErrorAsync("title");
        await (await client.PostAsJsonAsync("/api/streams", new { title = new string('t', 141) })).AssertFieldErrorAsync("title");
        await (await client.PostAsJsonAsync("/api/streams", new { title = "tab\tinside" })).AssertFieldErrorAsync("title");
    }

    [Fact]
    public async Task A_second_open_stream_is_a_conflict_naming_the_first_until_it_ends()
    {
        var (streamer, first) = await api.CreateStreamAsync();
        var client = api.ClientWithToken(streamer.AccessToken);

        var second = await client.PostAsJsonAsync("/api/streams", new { title = "again" });
        var problem = await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(first.Id, problem.GetProperty("streamId").GetGuid());

        (await client.PostAsync($"/api/streams/{first.Id}/end", null)).EnsureSuccessStatusCode();
        var third = await client.PostAsJsonAsync("/api/streams", new { title = "after the end" });
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.NotEqual(first.StreamKey, (await third.Content.ReadFromJsonAsync<StreamCredentials>())!.StreamKey);
    }

    [Fact]
    public async Task Concurrent_creates_by_one_streamer_open_exactly_one_stream()
    {
        var streamer = await api.RegisterAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            api.ClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/streams", new { title = $"race {i}" })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task The_list_shows_live_streams_only_and_never_a_key()
    {
        var (_, live) = await api.CreateStreamAsync("Live one");
        var (_, idle) = await api.CreateStreamAsync("Not started");
        await api.GoLiveAsync(live);

        var response = await api.CreateClient().GetAsync("/api/streams?pageSize=100");
        var raw = await response.Content.ReadAsStringAsync();
        var page = (await response.Content.ReadFromJsonAsync<Page<StreamView>>())!;

        var listed = Assert.Single(page.Items, s => s.Id == live.Id);
        Assert.DoesNotContain(page.Items, s => s.Id == idle.Id);
        Assert.Equal(StreamStatus.Live, listed.Status);
        Assert.Equal("Streamer", listed.Streamer.DisplayName);
        Assert.NotNull(listed.StartedAt);
        Assert.Equal(live.PlaybackUrl, listed.PlaybackUrl);
        Assert.DoesNotContain(live.StreamKey, raw);
        Assert.DoesNotContain("streamKey", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Getting_one_stream_shows_no_key_and_unknown_is_404()
    {
        var (_, stream) = await api.CreateStreamAsync();

        var raw = await (await api.CreateClient().GetAsync($"/api/streams/{stream.Id}")).Content.ReadAsStringAsync();
        Assert.Contains(stream.Id.ToString(), raw);
        Assert.DoesNotContain(stream.StreamKey, raw);
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().GetAsync($"/api/streams/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_ends_a_stream_and_admins_are_audited()
    {
        var (owner, stream) = await api.CreateStreamAsync();
        var stranger = await api.RegisterAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(stranger.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CreateClient().PostAsync($"/api/streams/{stream.Id}/end", null)).StatusCode);
        var untouched = await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}");
        Assert.Equal(StreamStatus.Offline, untouched!.Status);

        var admin = await api.LoginAdminAsync();
        var ended = await api.ClientWithToken(admin.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(StreamStatus.Ended, (await ended.Content.ReadFromJsonAsync<StreamView>())!.Status);

        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'stream.end' AND target_id = @id AND actor_id = @actor",
            new { id = stream.Id.ToString(), actor = admin.User.Id }));

        // Ending again is harmless and answers the ended stream.
        var again = await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{Guid.NewGuid()}/end", null)).StatusCode);
    }

    [Fact]
    public async Task Rotating_the_key_retires_the_old_one_at_once()
    {
        var (owner, stream) = await api.CreateStreamAsync();
        var stranger = await api.RegisterAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(stranger.AccessToken).PostAsync($"/api/streams/{stream.Id}/key/rotate", null)).StatusCode);

        var response = await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/key/rotate", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = (await response.Content.ReadFromJsonAsync<StreamCredentials>())!;
        Assert.NotEqual(stream.StreamKey, rotated.StreamKey);
        Assert.Equal(stream.RtmpUrl, rotated.RtmpUrl);

        var ingest = api.IngestClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsJsonAsync("/api/ingest/authorize", new { streamKey = stream.StreamKey })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ingest.PostAsJsonAsync("/api/ingest/authorize", new { streamKey = rotated.StreamKey })).StatusCode);

        (await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();
        await (await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/key/rotate", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }
}

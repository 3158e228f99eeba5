using System.Net;
using System.Net.Http.Json;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

public sealed class IngestApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    [InlineData("test-ingest-secret-but-longer")]
    public async Task Every_ingest_call_needs_the_ingest_secret(string? secret)
    {
        var (_, stream) = await api.CreateStreamAsync();
        var client = api.InternalClientWithToken(secret);

        await (await client.PostAsJsonAsync("/api/ingest/authorize", new { streamKey = stream.StreamKey })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsync($"/api/ingest/streams/{stream.Id}/offline", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var unchanged = await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}");
        Assert.Equal(StreamStatus.Offline, unchanged!.Status);
    }

    [Fact]
    public async Task A_user_token_is_not_the_ingest_secret()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        var response = await api.InternalClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/ingest/authorize", new { streamKey = stream.StreamKey });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_valid_key_names_its_stream_and_owner()
    {
        var (streamer, stream) = await api.CreateStreamAsync("Keyed", record: true);

        var response = await api.IngestClient().PostAsJsonAsync("/api/ingest/authorize", new { streamKey = stream.StreamKey });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var owner = (await response.Content.ReadFromJsonAsync<KeyOwner>())!;
        Assert.Equal((stream.Id, streamer.User.Id, "Keyed", true), (owner.StreamId, owner.UserId, owner.Title, owner.Record));
    }

    [Theory]
    [InlineData("nio_unknownkeyunknownkeyunknownkeyunknownkey0")]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("' OR 1=1 --")]
    public async Task Unknown_and_malformed_keys_are_refused(string key)
    {
        var response = await api.IngestClient().PostAsJsonAsync("/api/ingest/authorize", new { streamKey = key });
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_overlong_key_is_refused_without_a_lookup()
    {
        var response = await api.IngestClient().PostAsJsonAsync("/api/ingest/authorize", new { streamKey = new string('k', 10_000) });
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_key_of_an_ended_stream_is_revoked()
    {
        var (owner, stream) = await api.CreateStreamAsync();
        (await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/end", null)).EnsureSuccessStatusCode();

        await (await api.IngestClient().PostAsJsonAsync("/api/ingest/authorize", new { streamKey = stream.StreamKey })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Live_heartbeats_keep_the_start_time_and_offline_takes_it_off_the_list()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var ingest = api.IngestClient();

        await api.GoLiveAsync(stream);
        var live = await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}");
        Assert.Equal(StreamStatus.Live, live!.Status);
        Assert.NotNull(live.StartedAt);

        await api.GoLiveAsync(stream);
        var heartbeat = await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}");
        Assert.Equal(live.StartedAt, heartbeat!.StartedAt);

        Assert.Equal(HttpStatusCode.NoContent, (await ingest.PostAsync($"/api/ingest/streams/{stream.Id}/offline", null)).StatusCode);
        var offline = await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}");
        Assert.Equal(StreamStatus.Offline, offline!.Status);
        var list = await api.CreateClient().GetStringAsync("/api/streams?pageSize=100");
        Assert.DoesNotContain(stream.Id.ToString(), list);
    }

    [Fact]
    public async Task A_heartbeat_with_a_rotated_key_tells_the_ingest_to_drop_the_publisher()
    {
        var (owner, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        (await api.ClientWithToken(owner.AccessToken).PostAsync($"/api/streams/{stream.Id}/key/rotate", null)).EnsureSuccessStatusCode();

        var response = await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Reports_about_unknown_streams_are_404()
    {
        var ingest = api.IngestClient();
        Assert.Equal(HttpStatusCode.NotFound, (await ingest.PostAsJsonAsync($"/api/ingest/streams/{Guid.NewGuid()}/live", new { streamKey = "nio_x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ingest.PostAsync($"/api/ingest/streams/{Guid.NewGuid()}/offline", null)).StatusCode);
    }
}

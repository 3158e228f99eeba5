using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

/// <summary>The Transcoder's reports (thumbnails, a re-encoded source) and what they change in what the Api shows.</summary>
public sealed class TranscoderApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    public async Task A_thumbnail_report_needs_the_internal_secret(string? secret)
    {
        var (_, stream) = await GoLiveAsync();

        await (await api.InternalClientWithToken(secret).PostAsync($"/api/transcoder/streams/{stream.Id}/thumbnail", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Null((await ViewAsync(stream.Id)).ThumbnailUrl);
    }

    [Fact]
    public async Task A_reported_thumbnail_is_listed_on_the_playback_host_while_live()
    {
        var (_, stream) = await GoLiveAsync();
        Assert.Null((await ViewAsync(stream.Id)).ThumbnailUrl);

        Assert.Equal(HttpStatusCode.NoContent, (await ReportThumbnailAsync(stream.Id)).StatusCode);

        var expected = $"http://localhost:8080/live/{stream.Id}/thumbnail.jpg";
        Assert.Equal(expected, (await ViewAsync(stream.Id)).ThumbnailUrl);
        var live = await api.CreateClient().GetFromJsonAsync<Page<StreamView>>("/api/streams?pageSize=100");
        Assert.Equal(expected, live!.Items.Single(s => s.Id == stream.Id).ThumbnailUrl);
    }

    [Fact]
    public async Task An_offline_stream_shows_no_thumbnail_and_a_new_broadcast_waits_for_its_own()
    {
        var (_, stream) = await GoLiveAsync();
        await ReportThumbnailAsync(stream.Id);

        await api.IngestClient().PostAsync($"/api/ingest/streams/{stream.Id}/offline", null);
        Assert.Null((await ViewAsync(stream.Id)).ThumbnailUrl);

        // Reported after it went offline (the last thumbnail of the broadcast): taken, shown nowhere.
        Assert.Equal(HttpStatusCode.NoContent, (await ReportThumbnailAsync(stream.Id)).StatusCode);
        await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey });
        Assert.Null((await ViewAsync(stream.Id)).ThumbnailUrl);

        await ReportThumbnailAsync(stream.Id);
        Assert.NotNull((await ViewAsync(stream.Id)).ThumbnailUrl);
    }

    [Fact]
    public async Task A_thumbnail_of_an_unknown_stream_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await ReportThumbnailAsync(Guid.NewGuid())).StatusCode);
    }

    [Fact]
    public async Task A_re_encoded_source_shows_in_the_health_until_the_next_broadcast()
    {
        var (streamer, stream) = await GoLiveAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await ReportSourceReencodedAsync(stream.Id, 8.25)).StatusCode);

        var health = await HealthAsync(streamer, stream.Id);
        Assert.Equal(8.25, health.GetProperty("sourceReencoded").GetProperty("secondsWithoutKeyframe").GetDouble());
        Assert.Contains(StreamHealth.SourceReencoded, health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));

        // Still what the broadcast was like once it is offline; a new broadcast starts without it.
        await api.IngestClient().PostAsync($"/api/ingest/streams/{stream.Id}/offline", null);
        Assert.Equal(JsonValueKind.Object, (await HealthAsync(streamer, stream.Id)).GetProperty("sourceReencoded").ValueKind);
        await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey });
        Assert.Equal(JsonValueKind.Null, (await HealthAsync(streamer, stream.Id)).GetProperty("sourceReencoded").ValueKind);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(ApiFactory.IngestSecret, HttpStatusCode.Unauthorized)]
    [InlineData(ApiFactory.TranscoderSecret, HttpStatusCode.BadRequest)]
    public async Task A_re_encoded_source_report_needs_the_transcoders_secret_and_a_sensible_duration(string? secret, HttpStatusCode expected)
    {
        var (streamer, stream) = await GoLiveAsync();

        var response = await api.InternalClientWithToken(secret).PostAsJsonAsync($"/api/transcoder/streams/{stream.Id}/source-reencoded", new { secondsWithoutKeyframe = -1 });

        await response.AssertProblemAsync(expected);
        Assert.Equal(JsonValueKind.Null, (await HealthAsync(streamer, stream.Id)).GetProperty("sourceReencoded").ValueKind);
    }

    [Fact]
    public async Task A_re_encoded_source_of_an_unknown_stream_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await ReportSourceReencodedAsync(Guid.NewGuid(), 3)).StatusCode);
    }

    private Task<HttpResponseMessage> ReportSourceReencodedAsync(Guid streamId, double seconds) =>
        api.TranscoderClient().PostAsJsonAsync($"/api/transcoder/streams/{streamId}/source-reencoded", new { secondsWithoutKeyframe = seconds });

    private async Task<JsonElement> HealthAsync(AuthResponse streamer, Guid streamId) =>
        await api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{streamId}/health");

    private async Task<(AuthResponse Streamer, StreamCredentials Stream)> GoLiveAsync()
    {
        var created = await api.CreateStreamAsync();
        var response = await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{created.Stream.Id}/live", new { streamKey = created.Stream.StreamKey });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return created;
    }

    private Task<HttpResponseMessage> ReportThumbnailAsync(Guid streamId) => api.TranscoderClient().PostAsync($"/api/transcoder/streams/{streamId}/thumbnail", null);

    private async Task<StreamView> ViewAsync(Guid streamId) => (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{streamId}"))!;
}

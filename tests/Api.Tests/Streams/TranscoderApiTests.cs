using System.Net;
using System.Net.Http.Json;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Streams;

/// <summary>The Transcoder's thumbnail reports and what they change in the streams a viewer sees.</summary>
public sealed class TranscoderApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    public async Task A_thumbnail_report_needs_the_internal_secret(string? secret)
    {
        var (_, stream) = await GoLiveAsync();

        await (await api.ClientWithToken(secret).PostAsync($"/api/transcoder/streams/{stream.Id}/thumbnail", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);

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

    private async Task<(AuthResponse Streamer, StreamCredentials Stream)> GoLiveAsync()
    {
        var created = await api.CreateStreamAsync();
        var response = await api.IngestClient().PostAsJsonAsync($"/api/ingest/streams/{created.Stream.Id}/live", new { streamKey = created.Stream.StreamKey });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return created;
    }

    private Task<HttpResponseMessage> ReportThumbnailAsync(Guid streamId) => api.IngestClient().PostAsync($"/api/transcoder/streams/{streamId}/thumbnail", null);

    private async Task<StreamView> ViewAsync(Guid streamId) => (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{streamId}"))!;
}

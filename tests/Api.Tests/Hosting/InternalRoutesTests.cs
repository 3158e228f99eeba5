using System.Net;
using System.Net.Http.Json;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Hosting;

/// <summary>
/// The Ingest's and the Transcoder's routes on the real Api over real sockets: each caller's secret opens its own
/// routes only, on the internal listener only, checked before the body is read, and bodies are capped.
/// </summary>
public sealed class InternalRoutesTests(LiveApiFactory api) : IClassFixture<LiveApiFactory>
{
    [Fact]
    public async Task Each_callers_secret_opens_its_own_routes_and_no_other()
    {
        var (_, stream) = await api.CreateStreamAsync();

        foreach (var (method, path) in IngestRoutes(stream))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(api.TranscoderClient(), method, path, stream)).StatusCode);
        }

        foreach (var (method, path) in TranscoderRoutes(stream))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(api.IngestClient(), method, path, stream)).StatusCode);
        }

        // The owners: a key check answers whose stream it is, the Transcoder learns whether the stream is recorded.
        Assert.Equal(stream.Id, (await (await SendAsync(api.IngestClient(), HttpMethod.Post, "/api/ingest/authorize", stream))
            .Content.ReadFromJsonAsync<KeyOwner>())!.StreamId);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.TranscoderClient(), HttpMethod.Get, $"/api/transcoder/streams/{stream.Id}", stream)).StatusCode);
    }

    [Fact]
    public async Task The_internal_routes_are_not_on_the_public_port_even_with_the_right_secret()
    {
        var (_, stream) = await api.CreateStreamAsync();
        using var ingest = new HttpClient { BaseAddress = new Uri(api.BaseUrl), DefaultRequestHeaders = { Authorization = new("Bearer", ApiFactory.IngestSecret) } };
        using var transcoder = new HttpClient { BaseAddress = new Uri(api.BaseUrl), DefaultRequestHeaders = { Authorization = new("Bearer", ApiFactory.TranscoderSecret) } };

        foreach (var (method, path) in IngestRoutes(stream))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(ingest, method, path, stream)).StatusCode);
        }

        foreach (var (method, path) in TranscoderRoutes(stream))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(transcoder, method, path, stream)).StatusCode);
        }

        Assert.Equal(StreamStatus.Offline, (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!.Status);
    }

    [Fact]
    public async Task A_call_without_the_secret_is_refused_before_its_body_arrives()
    {
        // Within the Api's own body limit, so only reading the body first would make the Api wait for it.
        var status = await RawHttp.PostWithoutBodyAsync(api.InternalPort, "/api/ingest/authorize", "not-the-secret", 10_000, TimeSpan.FromSeconds(10));

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Bodies_larger_than_a_routes_cap_are_refused_by_the_bytes_read_or_their_length()
    {
        var (_, stream) = await api.CreateStreamAsync();

        // Chunked, so no length is declared: under the Api's 1 MiB limit for every route, over the retention report's cap.
        Assert.Equal(413, await RawHttp.PostChunkedAsync(
            api.InternalPort, $"/api/transcoder/streams/{stream.Id}/expired-media", ApiFactory.TranscoderSecret, (int)TranscoderApi.MaxBodyBytes * 3));
        var oversizedKeyCheck = await api.IngestClient().PostAsJsonAsync("/api/ingest/authorize", new { streamKey = new string('k', (int)IngestApi.MaxBodyBytes) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversizedKeyCheck.StatusCode);
    }

    private static (HttpMethod Method, string Path)[] IngestRoutes(StreamCredentials stream) =>
    [
        (HttpMethod.Post, "/api/ingest/authorize"),
        (HttpMethod.Post, $"/api/ingest/streams/{stream.Id}/live"),
        (HttpMethod.Post, $"/api/ingest/streams/{stream.Id}/offline"),
    ];

    private static (HttpMethod Method, string Path)[] TranscoderRoutes(StreamCredentials stream) =>
    [
        (HttpMethod.Get, $"/api/transcoder/streams/{stream.Id}"),
        (HttpMethod.Post, $"/api/transcoder/streams/{stream.Id}/thumbnail"),
        (HttpMethod.Post, $"/api/transcoder/streams/{stream.Id}/source-reencoded"),
        (HttpMethod.Post, $"/api/transcoder/streams/{stream.Id}/expired-media"),
        (HttpMethod.Post, $"/api/transcoder/streams/{stream.Id}/recording"),
    ];

    /// <summary>Each route with a body it would take: the stream's key, one of its media paths, or a report.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, StreamCredentials stream) =>
        client.SendAsync(new HttpRequestMessage(method, path)
        {
            Content = method == HttpMethod.Get ? null
                : path.EndsWith("/expired-media", StringComparison.Ordinal) ? JsonContent.Create(new { paths = new[] { $"live/{stream.Id}/240p/x-seg0.m4s" } })
                : path.EndsWith("/source-reencoded", StringComparison.Ordinal) ? JsonContent.Create(new { secondsWithoutKeyframe = 8 })
                : JsonContent.Create(new { streamKey = stream.StreamKey }),
        });
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Nio.Api.Streams;
using Nio.Shared.Media;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Publishing;

/// <summary>Real publishers (FFmpeg, GStreamer) through the real Ingest, checked by the Api and by ffprobe.</summary>
[Collection(IngestCollection.Name)]
public sealed class PublishingTests(IngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ffmpeg_publishes_the_stream_goes_live_serves_h264_and_aac_and_goes_offline_when_it_stops()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 4);

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        Assert.Equal(["audio:aac", "video:h264"], await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ingest.TranscoderSecret));
        using var transcoder = new HttpClient { DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ingest.TranscoderSecret) } };
        Assert.Contains(stream.Id, (await transcoder.GetFromJsonAsync<LiveSources>($"{ingest.InternalUrl}/live"))!.Streams.Select(s => s.StreamId));

        Assert.True(await publisher.WaitForExitAsync(Soon), publisher.Output);
        Assert.True(publisher.ExitCode == 0, publisher.Output);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon);
    }

    [Fact]
    public async Task Gstreamer_rtmp2sink_publishes()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.GStreamer(ingest.RtmpUrl(stream.StreamKey), seconds: 4);

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        Assert.Equal(["audio:aac", "video:h264"], await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ingest.TranscoderSecret));

        Assert.True(await publisher.WaitForExitAsync(Soon), publisher.Output);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon);
    }

    [Fact]
    public async Task A_query_string_after_the_key_is_ignored()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey + "?bandwidth=6000"), seconds: 3);

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_before_any_media()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl("nio_" + new string('x', 43)), seconds: 3);

        Assert.True(await publisher.WaitForExitAsync(Soon), "ffmpeg kept publishing with a wrong key");
        Assert.NotEqual(0, publisher.ExitCode);
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    [Fact]
    public async Task Rotating_the_key_drops_the_live_publisher_at_the_next_heartbeat()
    {
        var (streamer, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        (await ingest.Api.ClientWithToken(streamer.AccessToken).PostAsync($"/api/streams/{stream.Id}/key/rotate", null)).EnsureSuccessStatusCode();

        Assert.True(await publisher.WaitForExitAsync(Soon), "the publisher with the old key was not dropped");
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon);
    }

    [Fact]
    public async Task A_second_publisher_with_the_key_takes_over_and_the_stream_stays_live()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var first = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        using var second = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);

        Assert.True(await first.WaitForExitAsync(Soon), "the first publisher was not replaced");
        Assert.False(second.HasExited, second.Output);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
            await Task.Delay(100);
        }

        Assert.Contains("video:h264", await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ingest.TranscoderSecret));
    }

    [Fact]
    public async Task The_flv_output_needs_the_transcoders_secret_and_a_live_stream()
    {
        using var http = new HttpClient();
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(ingest.FlvUrl(stream.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{ingest.InternalUrl}/live")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ingest.TranscoderSecret);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(ingest.FlvUrl(stream.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{ingest.HttpPort}/healthz")).StatusCode);
    }

    [Fact]
    public async Task The_transcoders_routes_answer_only_on_the_internal_port_and_only_to_the_transcoders_secret()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        string[] routes = ["live", "live/watch", $"live/{stream.Id}.flv"];

        // The public port (health; WHIP later) does not have them, whatever secret comes.
        foreach (var secret in new[] { null, ingest.TranscoderSecret })
        {
            foreach (var route in routes)
            {
                Assert.Equal(HttpStatusCode.NotFound, await StatusAsync($"http://127.0.0.1:{ingest.HttpPort}/{route}", secret));
            }
        }

        // The internal port wants the Transcoder's own secret: not the Ingest's (for the Api), nor the Transcoder's for the Api.
        foreach (var secret in new[] { null, ApiFactory.IngestSecret, ApiFactory.TranscoderSecret })
        {
            foreach (var route in routes)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync($"{ingest.InternalUrl}/{route}", secret));
            }
        }

        foreach (var route in routes)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync($"{ingest.InternalUrl}/{route}", ingest.TranscoderSecret));
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(string url, string? secret)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        // Headers only: the HTTP-FLV body goes on while the stream is live.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }
}

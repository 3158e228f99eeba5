using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Nio.Api.Streams;
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
        Assert.Equal(["audio:aac", "video:h264"], await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ApiFactory.IngestSecret));
        using var transcoder = new HttpClient { DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.IngestSecret) } };
        Assert.Contains(stream.Id, (await transcoder.GetFromJsonAsync<Guid[]>($"http://127.0.0.1:{ingest.HttpPort}/live"))!);

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
        Assert.Equal(["audio:aac", "video:h264"], await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ApiFactory.IngestSecret));

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

        Assert.Contains("video:h264", await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ApiFactory.IngestSecret));
    }

    [Fact]
    public async Task The_flv_output_needs_the_ingest_secret_and_a_live_stream()
    {
        using var http = new HttpClient();
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(ingest.FlvUrl(stream.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"http://127.0.0.1:{ingest.HttpPort}/live")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFactory.IngestSecret);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(ingest.FlvUrl(stream.Id))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{ingest.HttpPort}/healthz")).StatusCode);
    }
}

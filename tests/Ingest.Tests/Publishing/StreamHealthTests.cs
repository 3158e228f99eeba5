using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Api.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;
using Xunit.Abstractions;

namespace Nio.Ingest.Tests.Publishing;

/// <summary>FFmpeg publishes with known settings; the Api's health answer, measured by the Ingest, matches them.</summary>
[Collection(IngestCollection.Name)]
public sealed class StreamHealthTests(IngestFixture ingest, ITestOutputHelper output)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_640x360_25_fps_800_kbps_stream_with_2_second_keyframes_and_48_kHz_stereo_aac_is_reported_as_such()
    {
        var (streamer, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.FfmpegMeasured(ingest.RtmpUrl(stream.StreamKey), seconds: 30, keyframeInterval: 50);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        // Rates are over the last 5 s: wait until the window is full.
        var health = await WaitForHealthAsync(streamer.AccessToken, stream.Id, h => Video(h, "keyframeIntervalSeconds") is not null, publisher);
        await Task.Delay(TimeSpan.FromSeconds(6));
        health = await WaitForHealthAsync(streamer.AccessToken, stream.Id, _ => true, publisher);

        output.WriteLine(health.ToString());
        Assert.True(health.GetProperty("live").GetBoolean());
        Assert.InRange(health.GetProperty("secondsSinceLastMedia").GetDouble(), 0, 2);
        var video = health.GetProperty("video");
        Assert.Equal("H.264", video.GetProperty("codec").GetString());
        Assert.Equal("High", video.GetProperty("profile").GetString());
        Assert.Equal("3.0", video.GetProperty("level").GetString());
        Assert.Equal(640, video.GetProperty("width").GetInt32());
        Assert.Equal(360, video.GetProperty("height").GetInt32());
        Assert.InRange(video.GetProperty("frameRate").GetDouble(), 24, 26);
        Assert.InRange(video.GetProperty("bitrateKbps").GetDouble(), 600, 1000);
        Assert.InRange(video.GetProperty("keyframeIntervalSeconds").GetDouble(), 1.9, 2.1);
        var audio = health.GetProperty("audio");
        Assert.Equal("AAC-LC", audio.GetProperty("codec").GetString());
        Assert.Equal(48000, audio.GetProperty("sampleRate").GetInt32());
        Assert.Equal(2, audio.GetProperty("channels").GetInt32());
        Assert.InRange(audio.GetProperty("bitrateKbps").GetDouble(), 100, 160);
        // PART-HOLD-BACK 3 × 0.2 s (6 frames at 30 fps) + half of the 2 s keyframe interval.
        Assert.InRange(health.GetProperty("glassToGlassEstimateSeconds").GetDouble(), 1.55, 1.65);
        Assert.Equal(0, health.GetProperty("warnings").GetArrayLength());

        var stranger = await ingest.Api.RegisterAsync("Stranger");
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.Api.ClientWithToken(stranger.AccessToken).GetAsync($"/api/streams/{stream.Id}/health")).StatusCode);
    }

    [Fact]
    public async Task Keyframes_five_seconds_apart_are_warned_about()
    {
        var (streamer, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.FfmpegMeasured(ingest.RtmpUrl(stream.StreamKey), seconds: 30, keyframeInterval: 125);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        // The second keyframe comes 5 s after the first.
        var health = await WaitForHealthAsync(streamer.AccessToken, stream.Id,
            h => Video(h, "keyframeIntervalSeconds") is { ValueKind: JsonValueKind.Number } interval && interval.GetDouble() >= 4.5, publisher);

        output.WriteLine(health.ToString());
        Assert.InRange(Video(health, "keyframeIntervalSeconds")!.Value.GetDouble(), 4.9, 5.1);
        Assert.Equal([KeyframeIntervalTooLong], health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    private const string KeyframeIntervalTooLong = "keyframeIntervalTooLong";

    private static JsonElement? Video(JsonElement health, string name) =>
        health.GetProperty("video") is { ValueKind: JsonValueKind.Object } video && video.GetProperty(name) is { ValueKind: not JsonValueKind.Null } value
            ? value
            : null;

    private async Task<JsonElement> WaitForHealthAsync(string accessToken, Guid streamId, Func<JsonElement, bool> condition, Publisher publisher)
    {
        var client = ingest.Api.ClientWithToken(accessToken);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var health = await client.GetFromJsonAsync<JsonElement>($"/api/streams/{streamId}/health");
            if (condition(health))
            {
                return health;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"health stayed {health}; publisher: {publisher.Output}");
            await Task.Delay(250);
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Faults;

/// <summary>
/// The real Transcoder watching the real Ingest through a proxy that a test makes stop answering, longer than every
/// timeout of the requests that go through it (the Ingest's API and FFmpeg's HTTP-FLV input alike).
/// </summary>
public sealed partial class IngestFaultTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task An_ingest_that_stops_answering_neither_stops_the_transcoder_nor_leaves_the_broadcast_unended_and_packaging_resumes_after()
    {
        await using var proxy = new StallingProxy(ingest.InternalPort);
        var dataDir = Directory.CreateTempSubdirectory("nio-ingest-fault-").FullName;
        var transcoder = await TranscoderService.StartAsync(ingest, new()
        {
            ["Ingest:Url"] = $"http://127.0.0.1:{proxy.Port}",
            ["Ingest:RequestTimeoutSeconds"] = "1",
            ["Transcoder:InputTimeoutSeconds"] = "2",
            ["Transcoder:ReturnGraceSeconds"] = "3",
            ["Storage:Directory"] = Path.Combine(dataDir, "media"),
        }, output, builder =>
            // What HttpClient's own timeout (100 s by default) does, sooner: the request throws out of whatever awaits it.
            builder.Services.AddHttpClient(nameof(IngestClient)).ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(2)));
        try
        {
            var store = transcoder.Services.GetRequiredService<IMediaStore>();
            var (_, stream) = await ingest.Api.CreateStreamAsync();
            using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
            var playlistPath = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";
            await Wait.UntilAsync(async () => SegmentCount(await ReadAsync(store, playlistPath)) >= 2, TimeSpan.FromSeconds(60), "timed out waiting for two segments");
            var firstBroadcast = Broadcast(await ReadAsync(store, playlistPath));

            proxy.Stall();
            var stalled = Stopwatch.StartNew();
            await Wait.UntilAsync(async () => Check(await transcoder.HealthAsync(), "ingest") == "Unhealthy", TimeSpan.FromSeconds(10), "timed out waiting for the health to say the Ingest does not answer");
            // Without media FFmpeg gives up its input, and without an answer the stream counts as gone after its grace period.
            await Wait.UntilAsync(async () => (await ReadAsync(store, playlistPath)).EndsWith("#EXT-X-ENDLIST\n", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "timed out waiting for the broadcast's playlists to end");
            if (TimeSpan.FromSeconds(12) - stalled.Elapsed is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest);
            }

            Assert.False(transcoder.Stopping, "the Transcoder stopped");

            proxy.Resume();
            await Wait.UntilAsync(async () =>
            {
                var playlist = await ReadAsync(store, playlistPath);
                return Broadcast(playlist) is { } broadcast && broadcast != firstBroadcast && SegmentCount(playlist) >= 2 && !playlist.Contains("#EXT-X-ENDLIST", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(20), "timed out waiting for the stream to be packaged again");
            Assert.Equal("Healthy", Check(await transcoder.HealthAsync(), "ingest"));
            Assert.False(publisher.HasExited);
            Assert.False(transcoder.Stopping, "the Transcoder stopped");
        }
        finally
        {
            // The Transcoder first: it goes on packaging into the folder until it stops.
            await transcoder.DisposeAsync();
        }

        Directory.Delete(dataDir, recursive: true);
    }

    private static string? Check(JsonElement health, string name) =>
        health.GetProperty("checks").TryGetProperty(name, out var check) ? check.GetProperty("status").GetString() : null;

    private static async Task<string> ReadAsync(IMediaStore store, string path) =>
        await store.ReadAsync(path, default) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";

    private static int SegmentCount(string playlist) => Regex.Count(playlist, "#EXTINF:");

    /// <summary>The broadcast tag of the playlist's segments (each broadcast has its own).</summary>
    private static string? Broadcast(string playlist) => SegmentName().Match(playlist) is { Success: true } match ? match.Groups[1].Value : null;


    [GeneratedRegex(@"^([0-9a-f]+)-seg\d+\.m4s$", RegexOptions.Multiline)]
    private static partial Regex SegmentName();
}

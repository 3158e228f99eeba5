using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;
using Nio.TestSupport;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// A live stream through the real Ingest: when the FFmpeg ladder is killed, or the publisher reconnects within the
/// grace period, the playlists go on after a discontinuity; when the publisher leaves for good they end.
/// </summary>
public sealed class LiveRestartTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-restart-").FullName;
    private Publisher? publisher;

    public void Dispose()
    {
        publisher?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_killed_ffmpeg_or_a_reconnecting_publisher_continue_the_playlist_after_a_discontinuity()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        await ingest.WaitForStatusAsync(stream.Id, Nio.Api.Streams.StreamStatus.Live, TimeSpan.FromSeconds(10));

        var store = new LocalDiskMediaStore(root);
        var packager = new LivePackager(store, Options.Create(new LadderOptions { ReturnGraceSeconds = 5 }), new TestOutputLogger<LivePackager>(output));
        var client = ServiceClients.Ingest(ingest);
        await using var sources = new LiveSourcesWatch(client);
        var running = packager.RunAsync(stream.Id, async token => await client.OpenMediaAsync(stream.Id, await sources.CodecsAsync(stream.Id, token), token), token => sources.CodecsAsync(stream.Id, token), CancellationToken.None);
        var playlistPath = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";

        await WaitUntilAsync(async () => Count(await ReadAsync(store, playlistPath), "#EXTINF:") >= 2, "two segments before the kill");
        KillLadderFfmpeg(stream.Id);
        await WaitUntilAsync(async () => SegmentsAfterDiscontinuity(await ReadAsync(store, playlistPath), 1) >= 2, "two segments after the restart");

        // The new run's media follows its own init, named right after the discontinuity: a player that kept the first
        // run's would decode the new media with settings that may no longer hold.
        var afterRestart = await ReadAsync(store, playlistPath);
        var init = Regex.Match(afterRestart.Split("#EXT-X-DISCONTINUITY\n")[^1], "^#EXT-X-MAP:URI=\"([^\"]+)\"\n").Groups[1].Value;
        Assert.True(init.EndsWith("-init1.mp4", StringComparison.Ordinal), afterRestart);
        Assert.NotNull(await store.ReadAsync($"{LivePackager.Prefix(stream.Id)}/240p/{init}", default));

        // The publisher drops and comes back at once, as an encoder does after a network glitch.
        publisher.Dispose();
        publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        await WaitUntilAsync(async () => SegmentsAfterDiscontinuity(await ReadAsync(store, playlistPath), 2) >= 2, "two segments after the reconnect");
        Assert.DoesNotContain("#EXT-X-ENDLIST", await ReadAsync(store, playlistPath));

        publisher.Dispose();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("#EXT-X-ENDLIST\n", await ReadAsync(store, playlistPath));
        Assert.NotNull(await store.ReadAsync($"{LivePackager.Prefix(stream.Id)}/master.m3u8", default));
    }

    /// <summary>Segments after the n-th discontinuity (counting those the window dropped), 0 when there is none yet.</summary>
    private static int SegmentsAfterDiscontinuity(string playlist, int n)
    {
        var dropped = playlist.Split("#EXT-X-DISCONTINUITY-SEQUENCE:") is [_, var rest, ..] ? int.Parse(rest[..rest.IndexOf('\n')], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var blocks = playlist.Split("#EXT-X-DISCONTINUITY\n");
        var index = n - dropped;
        return index >= 1 && index < blocks.Length ? Count(string.Concat(blocks[index..]), "#EXTINF:") : 0;
    }

    private static async Task<string> ReadAsync(IMediaStore store, string path) =>
        await store.ReadAsync(path, default) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";

    private static int Count(string text, string tag) => text.Split(tag).Length - 1;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            // Generous: the suite runs FFmpeg encoders side by side on small machines.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>This stream's ladder FFmpeg: the one writing into NIO's named pipes whose input names the stream.</summary>
    private static void KillLadderFfmpeg(Guid streamId)
    {
        var ladder = Process.GetProcessesByName("ffmpeg").Where(p =>
        {
            var commandLine = File.ReadAllText($"/proc/{p.Id}/cmdline");
            return commandLine.Contains("nio-ladder-", StringComparison.Ordinal) && commandLine.Contains(streamId.ToString(), StringComparison.Ordinal);
        }).ToList();
        Assert.Single(ladder).Kill();
    }
}

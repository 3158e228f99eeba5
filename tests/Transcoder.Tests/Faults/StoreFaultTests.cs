using System.Diagnostics;
using System.Globalization;
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
/// The real Transcoder packaging a real publisher through the real Ingest while its media store fails: a disk store on
/// a filesystem that fills up, an S3 server that goes away. The stream must say so, not freeze, and come back by
/// itself once the store does.
/// </summary>
public sealed partial class StoreFaultTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IAsyncLifetime
{
    // Once the store works again: FFmpeg restarts, its first keyframe arrives, the first segment closes.
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(10);

    private readonly string root = Directory.CreateTempSubdirectory("nio-store-fault-").FullName;
    private readonly List<IAsyncDisposable> cleanup = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = cleanup.Count - 1; i >= 0; i--)
        {
            await cleanup[i].DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_disk_store_that_fills_up_says_so_and_the_stream_recovers_once_space_is_freed()
    {
        var media = await MountTmpfsAsync(Path.Combine(root, "media"), megabytes: 30);
        var transcoder = await StartTranscoderAsync(new() { ["Storage:Backend"] = "disk", ["Storage:Directory"] = media });
        var store = transcoder.Services.GetRequiredService<IMediaStore>();
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        var playlist = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";
        await Wait.UntilAsync(async () => Edge(await ReadAsync(store, playlist)) >= 2, TimeSpan.FromSeconds(60), "timed out waiting for two segments");

        var ballast = Path.Combine(media, "ballast");
        FillUp(ballast);
        await Wait.UntilAsync(async () => StreamState(await transcoder.HealthAsync(), stream.Id)?.Contains("store", StringComparison.OrdinalIgnoreCase) == true,
            TimeSpan.FromSeconds(20), "timed out waiting for the Transcoder's health to report the failing store");

        var stalledAt = Edge(await ReadAsync(store, playlist));

        // The publisher reconnects meanwhile, as an encoder does when its viewers' stream stopped: its new broadcast is
        // packaged once the store is back.
        publisher.Dispose();
        using var returning = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        await ingest.WaitForStatusAsync(stream.Id, Nio.Api.Streams.StreamStatus.Live, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(returning.HasExited);
        Assert.Contains("store", StreamState(await transcoder.HealthAsync(), stream.Id), StringComparison.Ordinal);

        File.Delete(ballast);
        await AssertRecoversAsync(store, playlist, stalledAt, transcoder, stream.Id);
    }

    [Fact]
    public async Task An_s3_store_that_goes_away_for_twenty_seconds_says_so_and_the_stream_recovers_once_it_is_back()
    {
        var s3 = new S3rver();
        cleanup.Add(new Disposing(s3));
        var bucket = s3.NewBucket();
        var transcoder = await StartTranscoderAsync(new()
        {
            ["Storage:Backend"] = "s3",
            ["Storage:S3:Endpoint"] = bucket.Endpoint,
            ["Storage:S3:AccessKey"] = bucket.AccessKey,
            ["Storage:S3:SecretKey"] = bucket.SecretKey,
            ["Storage:S3:Bucket"] = bucket.Bucket,
        });
        var store = transcoder.Services.GetRequiredService<IMediaStore>();
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        var playlist = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";
        await Wait.UntilAsync(async () => Edge(await ReadAsync(store, playlist)) >= 2, TimeSpan.FromSeconds(60), "timed out waiting for two segments");

        var stalledAt = Edge(await ReadAsync(store, playlist));
        s3.Stop();
        var outage = Stopwatch.StartNew();
        await Wait.UntilAsync(async () => StreamState(await transcoder.HealthAsync(), stream.Id)?.Contains("store", StringComparison.OrdinalIgnoreCase) == true,
            TimeSpan.FromSeconds(15), "timed out waiting for the Transcoder's health to report the failing store");
        await Task.Delay(TimeSpan.FromSeconds(20) - outage.Elapsed);
        Assert.False(publisher.HasExited);
        Assert.Contains("store", StreamState(await transcoder.HealthAsync(), stream.Id), StringComparison.Ordinal);

        s3.Start();
        await AssertRecoversAsync(store, playlist, stalledAt, transcoder, stream.Id);
    }

    private async Task AssertRecoversAsync(IMediaStore store, string playlistPath, long stalledAt, TranscoderService transcoder, Guid streamId)
    {
        var since = Stopwatch.StartNew();
        await Wait.UntilAsync(async () => Edge(await ReadAsync(store, playlistPath)) >= stalledAt + 2, Recovery, "timed out waiting for the playlist to advance again");
        output.WriteLine($"recovered after {since.Elapsed.TotalSeconds:F1} s");

        // Viewers resume: the newest parts the playlist names are there to fetch.
        var playlist = await ReadAsync(store, playlistPath);
        Assert.DoesNotContain("#EXT-X-ENDLIST", playlist);
        var folder = playlistPath[..playlistPath.LastIndexOf('/')];
        foreach (var part in PartUri().Matches(playlist).TakeLast(3).Select(m => m.Groups[1].Value))
        {
            Assert.True(await store.ReadAsync($"{folder}/{part}", default) is { Length: > 0 }, $"{part} is named but not stored");
        }

        await Wait.UntilAsync(async () => StreamState(await transcoder.HealthAsync(), streamId) is "packaging", TimeSpan.FromSeconds(5), "timed out waiting for the stream's state to say it packages again");
    }

    private async Task<TranscoderService> StartTranscoderAsync(Dictionary<string, string?> settings)
    {
        var transcoder = await TranscoderService.StartAsync(ingest, settings, output);
        cleanup.Add(transcoder);
        return transcoder;
    }

    /// <summary>A tmpfs of the given size at <paramref name="path"/>, unmounted when the test ends.</summary>
    private async Task<string> MountTmpfsAsync(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var (exitCode, _, error) = await TestHost.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path]);
        Assert.True(exitCode == 0, $"mount failed (the test needs root): {error}");
        cleanup.Add(new Unmount(path));
        return path;
    }

    private sealed class Disposing(IDisposable disposable) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposable.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Unmount(string path) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await TestHost.RunAsync("umount", ["-l", path]);
    }

    /// <summary>Writes <paramref name="path"/> until the filesystem has no space left.</summary>
    private static void FillUp(string path)
    {
        var chunk = new byte[256 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }
    }

    /// <summary>The stream's state as the Transcoder's health reports it, or null when it reports none.</summary>
    private static string? StreamState(JsonElement health, Guid streamId) =>
        health.GetProperty("checks").TryGetProperty("streams", out var check)
        && check.GetProperty("data").TryGetProperty(streamId.ToString(), out var state) ? state.GetString() : null;

    private static async Task<string> ReadAsync(IMediaStore store, string path)
    {
        try
        {
            return await store.ReadAsync(path, default) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store is the thing failing.
            return "";
        }
    }

    /// <summary>The sequence number after the playlist's last complete segment; 0 before any.</summary>
    private static long Edge(string playlist) =>
        Regex.Match(playlist, @"#EXT-X-MEDIA-SEQUENCE:(\d+)") is { Success: true } sequence
            ? long.Parse(sequence.Groups[1].Value, CultureInfo.InvariantCulture) + Regex.Count(playlist, "#EXTINF:")
            : 0;


    [GeneratedRegex(@"#EXT-X-PART:[^\n]*URI=""([^""]+)""")]
    private static partial Regex PartUri();
}

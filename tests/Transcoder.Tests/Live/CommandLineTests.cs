using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Nio.Api.Streams;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// Every local user can read every process's command line (<c>/proc/PID/cmdline</c>): while the real Ingest's stream
/// is packaged, the Transcoder's credential for the Ingest is on none of them, FFmpeg's included.
/// </summary>
public sealed class CommandLineTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-command-line-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task No_process_shows_the_secret_on_its_command_line_while_a_stream_is_packaged()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 120);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, TimeSpan.FromSeconds(20));
        var store = new LocalDiskMediaStore(root);
        var packager = new LivePackager(store, Options.Create(new LadderOptions { ReturnGraceSeconds = 2 }), new TestOutputLogger<LivePackager>(output));
        var client = ServiceClients.Ingest(ingest);
        await using var sources = new LiveSourcesWatch(client);
        using var stop = new CancellationTokenSource();
        var running = packager.RunAsync(stream.Id, async token => await client.OpenMediaAsync(stream.Id, await sources.CodecsAsync(stream.Id, token), token), token => sources.CodecsAsync(stream.Id, token), stop.Token);

        // Its FFmpeg is running and reading the stream: the playlist has segments.
        var playlistPath = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";
        var watch = Stopwatch.StartNew();
        while (!(await store.ReadAsync(playlistPath, default) is { } playlist && Encoding.UTF8.GetString(playlist).Contains("#EXTINF:", StringComparison.Ordinal)))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), "no segment was packaged");
            await Task.Delay(200);
        }

        var commandLines = CommandLines();
        Assert.Contains(commandLines, line => line.Contains("nio-ladder-" + stream.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(commandLines, line => line.Contains(ingest.TranscoderSecret, StringComparison.Ordinal));

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Every process's command line, its arguments joined by spaces (those that exit meanwhile left out).</summary>
    private static List<string> CommandLines()
    {
        var lines = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _))
            {
                continue;
            }

            try
            {
                lines.Add(File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' '));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process exited.
            }
        }

        return lines;
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Shared.LlHls;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// The real ladder (FFmpeg, three renditions) pushing its playlists through the real <see cref="OriginNotifier"/> to
/// a local HTTP listener in the Origin's place, which answers the source rendition's pushes late.
/// </summary>
public sealed class OriginPushTests : IAsyncLifetime
{
    private const string Slow = "source";

    // Below the notifier's own 2 s timeout, so every held push is still answered and counted.
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);
    private const int HeldPushes = 4;

    private readonly string root = Directory.CreateTempSubdirectory("nio-push-").FullName;
    private readonly Guid streamId = Guid.NewGuid();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Arrival>> arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> missingWhenNamed = [];
    private WebApplication origin = null!;
    private LocalDiskMediaStore store = null!;
    private int held;
    private int holding;

    private sealed record Arrival((long SequenceNumber, int Index, bool Ended) Position, bool WhileSlowHeld);

    public async Task InitializeAsync()
    {
        store = new LocalDiskMediaStore(Path.Combine(root, "media"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        origin = builder.Build();
        origin.MapPost("/internal/playlists", ReceiveAsync);
        origin.MapGet("/input.flv", ServeInputAsync);
        await origin.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await origin.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_slow_answer_for_one_rendition_holds_back_no_other_rendition_and_each_keeps_its_order()
    {
        await PackageAsync();

        var renditions = new[] { "source", "480p", "240p" };
        Assert.Equal(renditions.Order(), arrivals.Keys.Select(path => path.Split('/')[^2]).Order());
        Assert.True(held > 0, $"no push of the {Slow} rendition was held");
        foreach (var (path, queue) in arrivals)
        {
            var positions = queue.Select(arrival => arrival.Position).ToList();
            // In order: never a part before one already pushed, never the same state twice.
            Assert.All(positions.Zip(positions.Skip(1)), pair => Assert.True(pair.First.CompareTo(pair.Second) < 0, $"{path}: {pair.First} then {pair.Second}"));
            Assert.True(positions[^1].Ended, $"{path}: the ended playlist was not pushed last");
            if (!path.Contains($"/{Slow}/", StringComparison.Ordinal))
            {
                // While the source's pushes waited for their answers, the other renditions' went on.
                var duringHold = queue.Count(arrival => arrival.WhileSlowHeld);
                Assert.True(duringHold >= 3, $"{path}: {duringHold} pushes arrived while the {Slow} rendition's were held ({queue.Count} in all)");
            }
        }

        Assert.Empty(missingWhenNamed);
    }

    private async Task PackageAsync()
    {
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "6",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", Path.Combine(root, "input.flv"),
        ]);
        Assert.True(exitCode == 0, error);

        var address = origin.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var notifier = new OriginNotifier(
            new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new OriginOptions { Url = address, Secret = "push-test" }), NullLogger<OriginNotifier>.Instance);
        var packager = new LivePackager(store, Options.Create(new LadderOptions { ReturnGraceSeconds = 0.2 }), NullLogger<LivePackager>.Instance, notifier);
        using var input = new HttpClient();
        await packager.RunAsync(streamId, token => input.GetStreamAsync($"{address}/input.flv", token), Codecs.Once(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Aac)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(3));
    }

    /// <summary>The input at about one and a half times real time, as a live source: FFmpeg would read a file at once.</summary>
    private async Task ServeInputAsync(HttpContext context)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(root, "input.flv"));
        context.Response.ContentType = "video/x-flv";
        const int Steps = 40;
        for (var step = 0; step < Steps; step++)
        {
            var (from, to) = (bytes.Length * step / Steps, bytes.Length * (step + 1) / Steps);
            await context.Response.Body.WriteAsync(bytes.AsMemory(from, to - from), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(100, context.RequestAborted);
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var update = (await context.Request.ReadFromJsonAsync<PlaylistUpdate>(context.RequestAborted))!;
        var playlist = update.Playlist;
        var folder = update.Path[..update.Path.LastIndexOf('/')];
        // Everything a pushed playlist names is already in the store.
        var named = playlist.Segments.SelectMany(segment => segment.Parts.Select(part => part.Uri).Append(segment.Uri))
            .Concat(playlist.Open?.Parts.Select(part => part.Uri) ?? []);
        foreach (var uri in named)
        {
            if (await store.ReadAsync($"{folder}/{uri}", context.RequestAborted) is null)
            {
                missingWhenNamed.Add($"{folder}/{uri}");
            }
        }

        var (sequenceNumber, index) = playlist.LastPart!.Value;
        var slow = update.Path.Contains($"/{Slow}/", StringComparison.Ordinal);
        arrivals.GetOrAdd(update.Path, _ => new()).Enqueue(new Arrival((sequenceNumber, index, playlist.Ended), !slow && Volatile.Read(ref holding) > 0));
        if (slow && Interlocked.Increment(ref held) <= HeldPushes)
        {
            Interlocked.Increment(ref holding);
            try
            {
                await Task.Delay(Hold);
            }
            finally
            {
                Interlocked.Decrement(ref holding);
            }
        }
        else if (slow)
        {
            Interlocked.Decrement(ref held);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}

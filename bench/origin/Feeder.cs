using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Nio.Shared.LlHls;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;

namespace Nio.Bench.Origin;

/// <summary>
/// Plays the Transcoder for one rendition: NIO's segmenter cuts a synthetic 30 fps stream with a keyframe every
/// second into parts and 1 s segments; each part is stored, then its segment, then the playlist, and the update goes
/// to the Origin through the Transcoder's own <see cref="OriginNotifier"/>, at the moment the part would exist live.
/// </summary>
public static class Feeder
{
    public const string Rendition = "source";

    private const int FramesPerSecond = 30;

    // FFmpeg cuts the Transcoder's fragments after 7 frames (≈ 233 ms, under PART-TARGET 0.25 s) and at every
    // keyframe, so each second has four full parts and a short one.
    private static readonly int[] FramesPerPart = [7, 7, 7, 7, 2];

    /// <param name="announcementsPath">Receives one line per part: its number and the UTC ticks when it was announced.</param>
    public static async Task RunAsync(Uri origin, string mediaDirectory, Guid streamId, TimeSpan duration, string announcementsPath, string secret)
    {
        var store = new LocalDiskMediaStore(mediaDirectory);
        using var http = new HttpClient();
        // The notifier logs an update the Origin did not take, and goes on, as it does in the Transcoder.
        using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole());
        var notifier = new OriginNotifier(
            new SingleClientFactory(http),
            Options.Create(new OriginOptions { Url = origin.ToString(), Secret = secret }),
            logging.CreateLogger<OriginNotifier>());
        var folder = $"live/{streamId}/{Rendition}";
        var segmenter = new Segmenter(new SegmenterOptions(), FramesPerSecond, DateTimeOffset.UtcNow);
        var random = new Random(3);
        await store.WriteAsync($"{folder}/{MediaUris.Init}", Payload(random, 800), "video/mp4", CancellationToken.None);
        await using var announcements = new StreamWriter(announcementsPath) { AutoFlush = true };

        var clock = Stopwatch.StartNew();
        long frame = 0;
        for (var part = 0L; clock.Elapsed < duration; part++)
        {
            var frames = FramesPerPart[part % FramesPerPart.Length];
            var independent = part % FramesPerPart.Length == 0;

            // A part exists once its last frame is encoded: wait for that moment of the live timeline.
            var due = TimeSpan.FromSeconds((double)(frame + frames) / FramesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var update = segmenter.Append(frame, frames, independent, Payload(random, PartBytes(random, frames, independent)));
            frame += frames;
            await PublishAsync(store, notifier, folder, update, part, announcements);
        }
    }

    /// <summary>As the Transcoder publishes: part, then segment, then playlist, then the announcement; old segments go last.</summary>
    private static async Task PublishAsync(IMediaStore store, OriginNotifier notifier, string folder, SegmenterUpdate update, long part, StreamWriter announcements)
    {
        var completed = update.CompletedPart!;
        await store.WriteAsync($"{folder}/{completed.Part.Uri}", completed.Bytes, "video/mp4", CancellationToken.None);
        if (update.CompletedSegment is { } segment)
        {
            var bytes = segment.Parts.SelectMany(p => p.ToArray()).ToArray();
            await store.WriteAsync($"{folder}/{segment.Segment.Uri}", bytes, "video/mp4", CancellationToken.None);
        }

        var path = $"{folder}/index.m3u8";
        var text = MediaPlaylistWriter.Write(update.Playlist, []);
        await store.WriteAsync(path, System.Text.Encoding.UTF8.GetBytes(text), "application/vnd.apple.mpegurl", CancellationToken.None);
        await announcements.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{part} {DateTime.UtcNow.Ticks}"));
        await notifier.PlaylistChangedAsync(new PlaylistUpdate(path, update.Playlist, text), CancellationToken.None);

        foreach (var removed in update.Removed)
        {
            await store.DeleteAsync($"{folder}/{removed.Uri}", CancellationToken.None);
            foreach (var removedPart in removed.Parts)
            {
                await store.DeleteAsync($"{folder}/{removedPart.Uri}", CancellationToken.None);
            }
        }
    }

    // About 1.6 Mb/s: 5–8 KB per frame, and a keyframe of about 20 KB at the head of each segment.
    private static int PartBytes(Random random, int frames, bool independent) =>
        frames * random.Next(5_000, 8_000) + (independent ? 20_000 : 0);

    // Random bytes: nothing on the way can compress them.
    private static byte[] Payload(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class SingleClientFactory(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}

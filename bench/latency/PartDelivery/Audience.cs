using System.Collections.Concurrent;
using System.Globalization;
using Nio.Bench.Clients;

namespace Nio.Bench.PartDelivery;

/// <summary>
/// LL-HLS viewers spread over every rendition of a live stream, each at the live edge as a low-latency player is
/// (<see cref="LlHlsViewer"/>: a blocking playlist request for the next part, then a GET of that part). For every
/// part it notes when the Transcoder wrote it (the file's modification time in the local-disk media store, read once
/// a viewer has it), when the first blocking playlist naming it was answered (the Origin had the push: the earliest
/// moment any viewer could learn of the part) and when the first viewer held its bytes.
/// </summary>
public static class Audience
{
    public static async Task RunAsync(Uri origin, Guid streamId, string mediaDirectory, int count, TimeSpan warmup, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = new Uri(origin, $"live/{streamId}/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        var renditions = LlHlsPlaylist.Renditions(await http.GetStringAsync("master.m3u8"));
        var parts = new ConcurrentDictionary<(string Rendition, string Uri), PartTimes>();
        using var stop = new CancellationTokenSource(warmup + duration);
        var measureFrom = DateTime.UtcNow + warmup;
        // Parts written in the last second may still be on their way when the viewers stop: they are not counted.
        var measureUntil = measureFrom + duration - TimeSpan.FromSeconds(1);

        // Joining over one second, as an audience does, rather than in one burst.
        var streamFolder = Path.Combine(mediaDirectory, "live", streamId.ToString());
        var viewers = Enumerable.Range(0, count).Select(i =>
        {
            var rendition = renditions[i % renditions.Count];
            return new LlHlsViewer(http, $"{rendition}/index.m3u8", (part, announced, received) =>
                parts.GetOrAdd((rendition, part.Uri), key => new PartTimes(File.GetLastWriteTimeUtc(Path.Combine(streamFolder, key.Rendition, key.Uri))))
                    .Seen(announced, received));
        }).ToList();
        await Task.WhenAll(viewers.Select((viewer, i) => viewer.WatchAsync(TimeSpan.FromSeconds((double)i / count), stop.Token)));

        var measured = parts.Where(p => p.Value.Written >= measureFrom && p.Value.Written < measureUntil).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"viewers: {count} over {renditions.Count} renditions ({string.Join(", ", renditions)}), measured {duration.TotalSeconds:0} s after {warmup.TotalSeconds:0} s warm-up; errors {viewers.Sum(v => v.Errors)}"));
        Report("all renditions", measured.Select(p => p.Value).ToList());
        foreach (var rendition in renditions)
        {
            Report(rendition, measured.Where(p => p.Key.Rendition == rendition).Select(p => p.Value).ToList());
        }
    }

    private static void Report(string what, List<PartTimes> parts)
    {
        if (parts.Count == 0)
        {
            Console.WriteLine($"{what}: no part measured");
            return;
        }

        var origin = parts.Select(p => (p.Announced - p.Written).TotalMilliseconds).Order().ToList();
        var viewer = parts.Select(p => (p.FirstBytes - p.Written).TotalMilliseconds).Order().ToList();
        var late = viewer.Count(ms => ms > 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {parts.Count} parts; written -> Origin had it (first blocking playlist answer) ms p50 {P(origin, 0.5):0.0} p90 {P(origin, 0.9):0.0} p99 {P(origin, 0.99):0.0} max {origin[^1]:0.0}; " +
            $"written -> first viewer had its bytes ms p50 {P(viewer, 0.5):0.0} p90 {P(viewer, 0.9):0.0} p99 {P(viewer, 0.99):0.0} max {viewer[^1]:0.0}; over 50 ms {late} ({100.0 * late / parts.Count:0.0} %)"));
    }

    // Nearest rank: the smallest value that at least that share of values did not exceed.
    private static double P(List<double> sorted, double share) => sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>When a part was written, first named in an answer, first received; updated by every viewer of its rendition.</summary>
    private sealed class PartTimes(DateTime written)
    {
        private long announced = long.MaxValue;
        private long firstBytes = long.MaxValue;

        public DateTime Written { get; } = written;

        public DateTime Announced => new(Interlocked.Read(ref announced), DateTimeKind.Utc);

        public DateTime FirstBytes => new(Interlocked.Read(ref firstBytes), DateTimeKind.Utc);

        public void Seen(long announcedTicks, long bytesTicks)
        {
            Min(ref announced, announcedTicks);
            Min(ref firstBytes, bytesTicks);
        }

        private static void Min(ref long field, long value)
        {
            for (var current = Interlocked.Read(ref field); value < current; current = Interlocked.Read(ref field))
            {
                if (Interlocked.CompareExchange(ref field, value, current) == current)
                {
                    return;
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Nio.Bench.PartDelivery;

/// <summary>
/// LL-HLS viewers spread over every rendition of a live stream, each at the live edge as a low-latency player is: a
/// blocking playlist request for the next part (<c>_HLS_msn</c>/<c>_HLS_part</c>), then a GET of that part. For every
/// part it notes when the Transcoder wrote it (the file's modification time in the local-disk media store, read once
/// a viewer has it), when the first blocking playlist naming it was answered (the Origin had the push: the earliest
/// moment any viewer could learn of the part) and when the first viewer held its bytes.
/// </summary>
public static partial class Audience
{
    public static async Task RunAsync(Uri origin, Guid streamId, string mediaDirectory, int count, TimeSpan warmup, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = new Uri(origin, $"live/{streamId}/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        var renditions = Renditions(await http.GetStringAsync("master.m3u8"));
        var parts = new ConcurrentDictionary<(string Rendition, string Uri), PartTimes>();
        using var stop = new CancellationTokenSource(warmup + duration);
        var measureFrom = DateTime.UtcNow + warmup;
        // Parts written in the last second may still be on their way when the viewers stop: they are not counted.
        var measureUntil = measureFrom + duration - TimeSpan.FromSeconds(1);

        // Joining over one second, as an audience does, rather than in one burst.
        var viewers = Enumerable.Range(0, count)
            .Select(i => new Viewer(http, renditions[i % renditions.Count], Path.Combine(mediaDirectory, "live", streamId.ToString()), parts))
            .ToList();
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

    private static List<string> Renditions(string master) =>
        [.. master.Split('\n').Where(line => line.EndsWith("/index.m3u8", StringComparison.Ordinal)).Select(line => line[..line.IndexOf('/')])];

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

    private sealed class Viewer(HttpClient http, string rendition, string streamFolder, ConcurrentDictionary<(string, string), PartTimes> parts)
    {
        private readonly byte[] buffer = new byte[64 * 1024];

        public int Errors { get; private set; }

        public async Task WatchAsync(TimeSpan joinAfter, CancellationToken stop)
        {
            try
            {
                await Task.Delay(joinAfter, stop);
                var last = LastPart(await http.GetStringAsync($"{rendition}/index.m3u8", stop));
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        last = await NextPartAsync(last, stop);
                    }
                    catch (Exception exception) when (exception is HttpRequestException or InvalidDataException
                        || exception is TaskCanceledException && !stop.IsCancellationRequested)
                    {
                        // Start again from the live edge, as a player does after a failed request.
                        Errors++;
                        await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
                        last = LastPart(await http.GetStringAsync($"{rendition}/index.m3u8", stop));
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The run is over.
            }
        }

        private async Task<PartPosition> NextPartAsync(PartPosition last, CancellationToken stop)
        {
            // A part index past the segment's last part means part 0 of the next segment (RFC 8216bis §6.2.5.2).
            var playlist = await http.GetStringAsync(
                string.Create(CultureInfo.InvariantCulture, $"{rendition}/index.m3u8?_HLS_msn={last.SequenceNumber}&_HLS_part={last.Index + 1}"), stop);
            var announced = DateTime.UtcNow.Ticks;
            var next = Parts(playlist).FirstOrDefault(part => part.Number == last.Number + 1)
                ?? throw new InvalidDataException($"the blocking playlist lacks part {last.Number + 1}");

            using var response = await http.GetAsync($"{rendition}/{next.Uri}", HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            while (await body.ReadAsync(buffer, stop) > 0)
            {
            }

            var received = DateTime.UtcNow.Ticks;
            parts.GetOrAdd((rendition, next.Uri), key => new PartTimes(File.GetLastWriteTimeUtc(Path.Combine(streamFolder, key.Item1, key.Item2))))
                .Seen(announced, received);
            return next;
        }

        private static PartPosition LastPart(string playlist) =>
            Parts(playlist).LastOrDefault() ?? throw new InvalidDataException("the playlist has no parts");
    }

    /// <summary>Where a part sits: its segment's media sequence number, its index there, its number across the stream, its URI.</summary>
    private sealed record PartPosition(long SequenceNumber, int Index, long Number, string Uri);

    /// <summary>Every EXT-X-PART of a media playlist, in order, with its position.</summary>
    private static IEnumerable<PartPosition> Parts(string playlist)
    {
        long sequenceNumber = 0;
        var index = 0;
        foreach (var line in playlist.Split('\n'))
        {
            if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
            {
                sequenceNumber = long.Parse(line["#EXT-X-MEDIA-SEQUENCE:".Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal) && PartUri().Match(line) is { Success: true } match)
            {
                yield return new PartPosition(sequenceNumber, index++, long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture), match.Groups["uri"].Value);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                // A segment's URI closes that segment.
                (sequenceNumber, index) = (sequenceNumber + 1, 0);
            }
        }
    }

    [GeneratedRegex(@"URI=""(?<uri>(?:[0-9a-f]+-)?part(?<number>\d+)\.m4s)""")]
    private static partial Regex PartUri();
}

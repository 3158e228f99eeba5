using System.Globalization;

namespace Nio.Bench.Origin;

/// <summary>
/// Many LL-HLS viewers of one rendition, each doing what a low-latency player does at the live edge: a blocking
/// playlist request for the part after the last one it has (<c>_HLS_msn</c>/<c>_HLS_part</c>), then a GET of that
/// part. Reports how long after the feeder's announcement each viewer had each part's bytes.
/// </summary>
public static class Viewers
{
    public static async Task RunAsync(Uri origin, Guid streamId, int count, TimeSpan warmup, TimeSpan duration, string announcementsPath)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = new Uri(origin, $"live/{streamId}/{Feeder.Rendition}/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        var partTarget = PartTarget(await http.GetStringAsync("index.m3u8"));
        using var stop = new CancellationTokenSource(warmup + duration);
        var measureFrom = DateTime.UtcNow + warmup;

        // Parts announced in the last second may still be on their way when the viewers stop: they are not counted.
        var measureUntil = measureFrom + duration - TimeSpan.FromSeconds(1);
        bool Measured(long announcedTicks) => announcedTicks >= measureFrom.Ticks && announcedTicks < measureUntil.Ticks;

        // Joining over one second, as an audience does, rather than in one burst.
        var viewers = Enumerable.Range(0, count).Select(_ => new Viewer(http)).ToList();
        await Task.WhenAll(viewers.Select((viewer, i) => viewer.WatchAsync(TimeSpan.FromSeconds((double)i / count), stop.Token)));

        var announced = File.ReadLines(announcementsPath)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length == 2)
            .ToDictionary(fields => long.Parse(fields[0], CultureInfo.InvariantCulture), fields => long.Parse(fields[1], CultureInfo.InvariantCulture));
        var measured = viewers.SelectMany(viewer => viewer.Deliveries)
            .Where(delivery => announced.TryGetValue(delivery.Part, out var at) && Measured(at))
            .Select(delivery => TimeSpan.FromTicks(delivery.ReceivedTicks - announced[delivery.Part]).TotalMilliseconds)
            .Order()
            .ToList();
        Report(count, warmup, duration, partTarget, measured, announced.Values.Count(Measured), viewers.Sum(v => v.Errors));
    }

    private static void Report(int count, TimeSpan warmup, TimeSpan duration, double partTarget, List<double> delays, int partsAnnounced, int errors)
    {
        var budget = partTarget * 1000 + 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"viewers: {count}, measured {duration.TotalSeconds:0} s after {warmup.TotalSeconds:0} s warm-up, PART-TARGET {partTarget} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parts delivered: {delays.Count} of {(long)partsAnnounced * count} ({partsAnnounced} announced x {count} viewers), errors: {errors}"));
        if (delays.Count == 0)
        {
            Console.WriteLine("no part was delivered: target NOT met");
            return;
        }

        var p99 = Percentile(delays, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"part delivery after announcement, ms: p50 {Percentile(delays, 0.50):0.0}  p90 {Percentile(delays, 0.90):0.0}  p99 {p99:0.0}  max {delays[^1]:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"target p99 <= PART-TARGET + 100 ms = {budget:0} ms: {(p99 <= budget ? "met" : "NOT met")}"));
    }

    // Nearest rank: the smallest delay that at least that share of deliveries did not exceed.
    private static double Percentile(List<double> sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double PartTarget(string playlist) =>
        playlist.Split('\n').Where(line => line.StartsWith("#EXT-X-PART-INF:PART-TARGET=", StringComparison.Ordinal))
            .Select(line => double.Parse(line["#EXT-X-PART-INF:PART-TARGET=".Length..], CultureInfo.InvariantCulture))
            .First();

    private sealed class Viewer(HttpClient http)
    {
        private readonly byte[] buffer = new byte[64 * 1024];

        public List<(long Part, long ReceivedTicks)> Deliveries { get; } = [];

        public int Errors { get; private set; }

        public async Task WatchAsync(TimeSpan joinAfter, CancellationToken stop)
        {
            try
            {
                await Task.Delay(joinAfter, stop);
                var last = LastPart(await http.GetStringAsync("index.m3u8", stop));
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
                        last = LastPart(await http.GetStringAsync("index.m3u8", stop));
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
                string.Create(CultureInfo.InvariantCulture, $"index.m3u8?_HLS_msn={last.SequenceNumber}&_HLS_part={last.Index + 1}"), stop);
            var next = Parts(playlist).FirstOrDefault(part => part.Number == last.Number + 1)
                ?? throw new InvalidDataException($"the blocking playlist lacks part {last.Number + 1}");

            using var response = await http.GetAsync(MediaUri(next.Number), HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            while (await body.ReadAsync(buffer, stop) > 0)
            {
            }

            Deliveries.Add((next.Number, DateTime.UtcNow.Ticks));
            return next;
        }

        private static string MediaUri(long partNumber) => string.Create(CultureInfo.InvariantCulture, $"part{partNumber}.m4s");

        private static PartPosition LastPart(string playlist) =>
            Parts(playlist).LastOrDefault() ?? throw new InvalidDataException("the playlist has no parts");
    }

    /// <summary>Where a part sits: its segment's media sequence number, its index there, and its number in the part names.</summary>
    private sealed record PartPosition(long SequenceNumber, int Index, long Number);

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
            else if (line.StartsWith("#EXT-X-PART:", StringComparison.Ordinal))
            {
                var uri = line[(line.IndexOf("URI=\"part", StringComparison.Ordinal) + "URI=\"part".Length)..];
                yield return new PartPosition(sequenceNumber, index++, long.Parse(uri[..uri.IndexOf('.')], CultureInfo.InvariantCulture));
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                // A segment's URI closes that segment.
                (sequenceNumber, index) = (sequenceNumber + 1, 0);
            }
        }
    }
}

using System.Globalization;
using Nio.Bench.Clients;

namespace Nio.Bench.Origin;

/// <summary>
/// Many LL-HLS viewers of one rendition (<see cref="LlHlsViewer"/>: a blocking playlist request for the next part, then
/// a GET of that part). Reports how long after the feeder's announcement each viewer had each part's bytes.
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
        var partTarget = LlHlsPlaylist.Number(await http.GetStringAsync("index.m3u8"), "#EXT-X-PART-INF", "PART-TARGET");
        using var stop = new CancellationTokenSource(warmup + duration);
        var measureFrom = DateTime.UtcNow + warmup;

        // Parts announced in the last second may still be on their way when the viewers stop: they are not counted.
        var measureUntil = measureFrom + duration - TimeSpan.FromSeconds(1);
        bool Measured(long announcedTicks) => announcedTicks >= measureFrom.Ticks && announcedTicks < measureUntil.Ticks;

        // Joining over one second, as an audience does, rather than in one burst. Each viewer's deliveries in a list
        // of its own: a viewer reports one part at a time.
        var deliveries = Enumerable.Range(0, count).Select(_ => new List<(long Part, long ReceivedTicks)>()).ToList();
        var viewers = deliveries
            .Select(list => new LlHlsViewer(http, "index.m3u8", (part, _, received) => list.Add((part.Number, received))))
            .ToList();
        await Task.WhenAll(viewers.Select((viewer, i) => viewer.WatchAsync(TimeSpan.FromSeconds((double)i / count), stop.Token)));

        var announced = File.ReadLines(announcementsPath)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length == 2)
            .ToDictionary(fields => long.Parse(fields[0], CultureInfo.InvariantCulture), fields => long.Parse(fields[1], CultureInfo.InvariantCulture));
        var measured = deliveries.SelectMany(list => list)
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
}

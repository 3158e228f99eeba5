using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Nio.Bench.Gifts;

/// <summary>What the load did: all gifts (warm-up included, for the ledger checks) and those of the measured window.</summary>
public sealed record Outcome(long OkTotal, long ErrorsTotal, long Ok, long Errors, double Seconds, double P50, double P99, double Max, CpuSample? Cpu)
{
    public string ToResultLine(Prepared prepared) => string.Create(CultureInfo.InvariantCulture,
        $"ok_total={OkTotal} errors_total={ErrorsTotal} ok={Ok} errors={Errors} seconds={Seconds:F3} rate={Ok / Seconds:F1} " +
        $"p50={P50:F1} p99={P99:F1} max={Max:F1} streamer={prepared.StreamerId} stream={prepared.StreamId} " +
        $"api_cpu={Cpu?.Api ?? 0:F2} pg_cpu={Cpu?.Postgres ?? 0:F2} client_cpu={Cpu?.Client ?? 0:F2}\n");
}

/// <summary>
/// Every sender sends one rose after another (a new idempotency key each) until the end of the run; a gift counts
/// in the measured window when its answer arrived in it. The stream's heartbeat is reported every 5 s meanwhile,
/// as the Ingest does for a live publisher.
/// </summary>
public static class GiftLoad
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public static async Task<Outcome> RunAsync(BenchClient client, Prepared prepared, TimeSpan warmup, TimeSpan measured, ServerProcesses? servers)
    {
        var clock = Stopwatch.StartNew();
        var (start, end) = (warmup, warmup + measured);
        using var stop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(client, prepared, stop.Token);
        var tallies = prepared.Senders.Select(_ => new Tally()).ToArray();
        var senders = Task.WhenAll(prepared.Senders.Select((sender, i) => Task.Run(() => SendAsync(client, prepared.StreamId, sender, tallies[i], clock, start, end))));

        await Task.Delay(start);
        var before = servers?.Sample();
        var measuredFrom = clock.Elapsed;
        await Task.Delay(end - clock.Elapsed);
        var after = servers?.Sample();
        var seconds = (clock.Elapsed - measuredFrom).TotalSeconds;
        await senders;
        await stop.CancelAsync();
        await heartbeat;

        var latencies = tallies.SelectMany(t => t.Latencies).Order().ToArray();
        foreach (var (kind, (count, example)) in tallies.SelectMany(t => t.Failures).GroupBy(f => f.Key)
                     .Select(g => (g.Key, (g.Sum(f => f.Value.Count), g.First().Value.Example))))
        {
            Console.WriteLine($"errors: {count} × {kind}: {example}");
        }

        CpuSample? cpu = before is null || after is null ? null : new CpuSample(after.Api - before.Api, after.Postgres - before.Postgres, after.Client - before.Client);
        return new Outcome(tallies.Sum(t => t.OkTotal), tallies.Sum(t => t.ErrorsTotal), tallies.Sum(t => t.Ok), tallies.Sum(t => t.Errors), seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length == 0 ? 0 : latencies[^1], cpu);
    }

    private static async Task SendAsync(BenchClient client, Guid streamId, Sender sender, Tally tally, Stopwatch clock, TimeSpan start, TimeSpan end)
    {
        var path = $"/api/streams/{streamId}/gifts";
        while (clock.Elapsed < end)
        {
            var sentAt = clock.Elapsed;
            string? failure;
            string example = "";
            try
            {
                using var response = await client.SendAsync(path, new { giftId = "rose", count = 1, idempotencyKey = Guid.NewGuid().ToString() }, sender.AccessToken);
                var body = await response.Content.ReadAsStringAsync();
                failure = response.StatusCode == HttpStatusCode.Created ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                example = body;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failure = exception.GetType().Name;
                example = exception.Message;
            }

            var answeredAt = clock.Elapsed;
            var inWindow = answeredAt >= start && answeredAt < end;
            if (failure is null)
            {
                tally.OkTotal++;
                if (inWindow)
                {
                    tally.Ok++;
                    tally.Latencies.Add((answeredAt - sentAt).TotalMilliseconds);
                }
            }
            else
            {
                tally.ErrorsTotal++;
                tally.Errors += inWindow ? 1 : 0;
                var (count, first) = tally.Failures.GetValueOrDefault(failure, (0, example[..Math.Min(example.Length, 300)]));
                tally.Failures[failure] = (count + 1, first);
            }
        }
    }

    private static async Task HeartbeatAsync(BenchClient client, Prepared prepared, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await Setup.ReportLiveAsync(client, prepared.Ingest, prepared.StreamId, prepared.StreamKey);
                }
                catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException)
                {
                    Console.WriteLine($"heartbeat failed: {exception.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    /// <summary>One sender's counts; only its own loop writes them.</summary>
    private sealed class Tally
    {
        public long OkTotal { get; set; }
        public long ErrorsTotal { get; set; }
        public long Ok { get; set; }
        public long Errors { get; set; }
        public List<double> Latencies { get; } = [];
        public Dictionary<string, (int Count, string Example)> Failures { get; } = [];
    }
}

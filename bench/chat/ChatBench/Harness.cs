using System.Diagnostics;
using System.Globalization;
using Nio.Bench.Clients;

namespace Nio.Bench.Chat;

public sealed record Settings(int Clients, int Rate, int WarmupSeconds, int Seconds, int Batch, int Senders, string ResultFile)
{
    public static bool TryParse(string[] args, out Settings settings)
    {
        settings = null!;
        if (args is not [var clients, var rate, var warmup, var seconds, var batch, var senders, var resultFile])
        {
            return false;
        }

        settings = new Settings(Int(clients), Int(rate), Int(warmup), Int(seconds), Int(batch), Int(senders), resultFile);
        return true;
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}

/// <summary>
/// Connects the viewers in batches, then the sender sends <see cref="Settings.Rate"/> messages a second: first for the
/// warm-up, then for the measurement. With <see cref="Settings.Senders"/> above 1 the messages take turns over that many
/// senders (NIO: as many users), as in a room where several people talk. Each text carries its number and the sender's clock (UTC ticks) when it was sent;
/// each viewer notes the clock when the text reached it — one machine, one clock. Every message the server took must
/// reach every viewer: what does not by the end of the drain is lost.
/// </summary>
public static class Harness
{
    public const string Prefix = "chat-bench ";

    /// <summary>About the length of a chat line: the texts are the same size on both servers.</summary>
    private const string Padding = "lorem ipsum dolor sit amet, consectetur adipiscing elit";

    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(15);

    private const int ConnectAttempts = 3;

    private static volatile bool running;

    public static async Task<int> RunAsync(IRoom room, Settings settings)
    {
        var measured = settings.Rate * settings.Seconds;
        var warmupMessages = settings.Rate * settings.WarmupSeconds;
        var viewers = Enumerable.Range(0, settings.Clients).Select(_ => new Viewer(measured)).ToArray();
        var failures = 0;
        string? firstFailure = null;

        var connecting = Stopwatch.StartNew();
        for (var start = 0; start < viewers.Length; start += settings.Batch)
        {
            await Task.WhenAll(viewers.Skip(start).Take(settings.Batch).Select(async viewer =>
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                        viewer.Connection = await room.JoinAsViewerAsync(viewer.Received, viewer.Closed, timeout.Token);
                        return;
                    }
                    catch (Exception exception) when (attempt < ConnectAttempts)
                    {
                        Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
                        Interlocked.Increment(ref failures);
                    }
                    catch (Exception exception)
                    {
                        Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
                        Interlocked.Increment(ref failures);
                        return;
                    }
                }
            }));
        }

        var connected = viewers.Where(v => v.Connection is not null).ToArray();
        Console.WriteLine(Invariant($"{room.Name}: {connected.Length} of {viewers.Length} viewers connected in {connecting.Elapsed.TotalSeconds:0.0} s (batches of {settings.Batch}), {failures} failed attempts{(firstFailure is null ? "" : $", first: {firstFailure}")}"));
        var senders = await Task.WhenAll(Enumerable.Range(0, settings.Senders).Select(i => room.JoinAsSenderAsync(i, CancellationToken.None)));
        running = true;

        var sends = new List<Task>(warmupMessages + measured);
        var accepted = new bool[measured];
        var acknowledged = new long[measured];
        var refusals = 0;
        string? firstRefusal = null;
        var clock = Stopwatch.StartNew();
        long measureStartedTicks = 0;
        var cpuAtStart = (Clients: TimeSpan.Zero, Server: TimeSpan.Zero);
        for (var i = 0; i < warmupMessages + measured; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / settings.Rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var seq = i - warmupMessages; // negative during the warm-up
            var sentTicks = DateTime.UtcNow.Ticks;
            if (seq == 0)
            {
                measureStartedTicks = sentTicks;
                cpuAtStart = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu());
            }

            var send = senders[i % senders.Length].SendAsync(Invariant($"{Prefix}{seq} {sentTicks} {Padding}"));
            sends.Add(seq < 0 ? WarmUp(send) : Track(send, seq, sentTicks));
        }

        var sendSeconds = TimeSpan.FromTicks(DateTime.UtcNow.Ticks - measureStartedTicks).TotalSeconds;
        var clientsCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart.Clients;
        var serverCpu = ServerCpu() - cpuAtStart.Server;
        await Task.WhenAll(sends);

        async Task WarmUp(Task send)
        {
            try
            {
                await send;
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref firstRefusal, $"warm-up: {exception.Message}", null);
            }
        }

        async Task Track(Task send, int seq, long sentTicks)
        {
            try
            {
                await send;
                acknowledged[seq] = DateTime.UtcNow.Ticks - sentTicks;
                accepted[seq] = true;
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref firstRefusal, exception.Message, null);
                Interlocked.Increment(ref refusals);
            }
        }

        var acceptedCount = accepted.Count(a => a);
        var expected = (long)acceptedCount * connected.Length;
        var draining = Stopwatch.StartNew();
        while (connected.Sum(v => v.Count) < expected && draining.Elapsed < Drain)
        {
            await Task.Delay(100);
        }

        running = false;
        var drained = draining.Elapsed;
        var received = connected.Sum(v => v.Count);
        var duplicates = connected.Sum(v => v.Duplicates);
        var disconnected = connected.Count(v => v.Disconnected);
        var latencies = connected.SelectMany(v => v.LatencyTicks).Select(t => t / (double)TimeSpan.TicksPerMillisecond).Order().ToList();
        await Task.WhenAll(connected.Select(v => v.Connection!.DisposeAsync().AsTask()).Concat(senders.Select(s => s.DisposeAsync().AsTask())));

        var lost = (long)measured * viewers.Length - received; // refused sends and unconnected viewers count as lost too
        Console.WriteLine(Invariant($"{room.Name}: measured {settings.Seconds} s at {settings.Rate} messages/s from {settings.Senders} sender(s) after {settings.WarmupSeconds} s warm-up: sent {measured} in {sendSeconds:0.0} s, accepted {acceptedCount}, refused {refusals}{(firstRefusal is null ? "" : $" (first: {firstRefusal})")}"));
        Console.WriteLine(Invariant($"{room.Name}: deliveries {received:N0} of {(long)measured * viewers.Length:N0}, lost {lost:N0}, duplicates {duplicates}, viewers disconnected during the run {disconnected}, drain {drained.TotalSeconds:0.0} s"));
        Console.WriteLine(Invariant($"{room.Name}: CPU while sending the measured messages: server {serverCpu.TotalSeconds:0.0} s, clients process {clientsCpu.TotalSeconds:0.0} s ({sendSeconds:0.0} s of 2 cores)"));
        var acks = acknowledged.Where((_, seq) => accepted[seq]).Select(t => t / (double)TimeSpan.TicksPerMillisecond).Order().ToList();
        if (acks.Count > 0)
        {
            Console.WriteLine(Invariant($"{room.Name}: send taken by the server after, ms: p50 {Percentile(acks, 0.50):0.0}  p99 {Percentile(acks, 0.99):0.0}  max {acks[^1]:0.0}"));
        }

        if (latencies.Count == 0)
        {
            Console.WriteLine($"{room.Name}: nothing was delivered");
            await File.WriteAllTextAsync(settings.ResultFile, Invariant($"p50=nan p99=nan max=nan lost={lost} connected={connected.Length}\n"));
            return 1;
        }

        var (p50, p90, p99, max) = (Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies[^1]);
        Console.WriteLine(Invariant($"{room.Name}: delivery latency, ms: p50 {p50:0.0}  p90 {p90:0.0}  p99 {p99:0.0}  max {max:0.0}"));
        await File.WriteAllTextAsync(settings.ResultFile, Invariant($"p50={p50:0.0} p90={p90:0.0} p99={p99:0.0} max={max:0.0} lost={lost} connected={connected.Length}\n"));
        return 0;
    }

    /// <summary>User + system CPU time of the server (its process id in <c>NIO_BENCH_SERVER_PID</c>), from /proc.</summary>
    private static TimeSpan ServerCpu()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("NIO_BENCH_SERVER_PID"), CultureInfo.InvariantCulture, out var pid))
        {
            return TimeSpan.Zero;
        }

        // The fields after the command name, which is in parentheses and may hold spaces; utime and stime are 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        const double ticksPerSecond = 100; // USER_HZ
        return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ticksPerSecond);
    }

    // Nearest rank: the smallest latency that at least that share of deliveries did not exceed.
    private static double Percentile(List<double> sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One viewer's record: which measured messages reached it, and how late.</summary>
    private sealed class Viewer(int measured)
    {
        private readonly Lock gate = new();
        private readonly bool[] seen = new bool[measured];
        private readonly List<long> latencyTicks = new(measured);
        private int count;
        private int duplicates;

        public IAsyncDisposable? Connection { get; set; }

        public bool Disconnected { get; private set; }

        public int Count => Volatile.Read(ref count);

        public int Duplicates => Volatile.Read(ref duplicates);

        public IReadOnlyList<long> LatencyTicks
        {
            get
            {
                lock (gate)
                {
                    return latencyTicks.ToArray();
                }
            }
        }

        public void Received(string text)
        {
            var receivedTicks = DateTime.UtcNow.Ticks;
            if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return;
            }

            var fields = text.AsSpan(Prefix.Length);
            var space = fields.IndexOf(' ');
            var seq = int.Parse(fields[..space], CultureInfo.InvariantCulture);
            fields = fields[(space + 1)..];
            space = fields.IndexOf(' ');
            var sentTicks = long.Parse(space < 0 ? fields : fields[..space], CultureInfo.InvariantCulture);
            if (seq < 0 || seq >= seen.Length)
            {
                return; // the warm-up
            }

            lock (gate)
            {
                if (seen[seq])
                {
                    duplicates++;
                    return;
                }

                seen[seq] = true;
                latencyTicks.Add(receivedTicks - sentTicks);
                count++;
            }
        }

        public void Closed()
        {
            if (running)
            {
                Disconnected = true;
            }
        }
    }
}

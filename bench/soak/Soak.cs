using System.Globalization;
using System.Text;

namespace Nio.Bench.Soak;

public sealed record SoakSettings(
    TimeSpan Duration, TimeSpan Warmup, TimeSpan SampleEvery, int Viewers, TimeSpan ViewerSession, int ChatViewers, int Chatters, TimeSpan ChatEvery);

/// <summary>A service process the soak watches, by name and process id.</summary>
public sealed record Service(string Name, int Pid);

/// <summary>
/// Runs the audience and the chatters for <see cref="SoakSettings.Duration"/>, samples every service's footprint (and
/// the Transcoder's FFmpeg) every <see cref="SoakSettings.SampleEvery"/> and prints a row per sample as it goes; then
/// how much each grew after the warm-up, the stalls, the chat, and the verdict.
/// </summary>
public static class Soak
{
    /// <summary>The target: no footprint grows by this much or more after the warm-up.</summary>
    private const double GrowthLimitPercent = 5;

    private const string FfmpegColumn = "FFmpeg";

    // The least a figure must rise, besides the percentage, to count as growth: a thread pool that keeps 19 threads
    // instead of 18 for a minute has not grown by 5.6 %, a leak rises by more.
    private static readonly (string Name, Func<Footprint, double> Value, double LeastRise)[] Metrics =
    [
        ("RSS MB", f => f.RssMegabytes, 0), ("fds", f => f.Descriptors, 3), ("threads", f => f.Threads, 3),
        ("in-memory files MB", f => f.InMemoryFilesMegabytes, 0),
    ];

    public static async Task<int> RunAsync(Audience audience, Chatters chatters, IReadOnlyList<Service> services, SoakSettings settings)
    {
        var transcoder = services.FirstOrDefault(s => s.Name == "Transcoder");
        var columns = services.Select(s => s.Name).Concat(transcoder is null ? [] : [FfmpegColumn]).ToList();
        var samples = new List<Sample>();
        var ffmpegPids = new List<int>();

        using var stop = new CancellationTokenSource();
        var watching = audience.RunAsync(stop.Token);
        var chatting = chatters.RunAsync(stop.Token);
        Console.WriteLine(Invariant($"soak: {settings.Duration.TotalMinutes:0.##} min, a sample every {settings.SampleEvery.TotalSeconds:0} s, growth measured after {settings.Warmup.TotalMinutes:0.##} min"));
        Console.WriteLine(Invariant($"audience: {settings.Viewers} LL-HLS viewers at a time ({Sessions(settings)}), {settings.ChatViewers} of them reading the chat; {settings.Chatters} chatters, a message each every {settings.ChatEvery.TotalSeconds:0.#} s"));
        PrintHeader(columns);

        var started = DateTime.UtcNow;
        for (var next = TimeSpan.Zero; next <= settings.Duration && !watching.IsFaulted && !chatting.IsFaulted; next += settings.SampleEvery)
        {
            var wait = started + next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var footprints = services.Select(s => Footprint.Read(s.Pid)).ToList();
            if (transcoder is not null)
            {
                var ffmpeg = Footprint.Children(transcoder.Pid, "ffmpeg").ToList();
                if (ffmpeg.Count == 1 && (ffmpegPids.Count == 0 || ffmpegPids[^1] != ffmpeg[0]))
                {
                    ffmpegPids.Add(ffmpeg[0]);
                }

                footprints.Add(ffmpeg.Count == 1 ? Footprint.Read(ffmpeg[0]) : null);
            }

            var sample = new Sample(DateTime.UtcNow - started, footprints, audience.ActiveSessions, audience.Stalls, audience.Errors, chatters.Sent, chatters.Refused, audience.ChatReceived);
            samples.Add(sample);
            PrintRow(sample);
        }

        await stop.CancelAsync();
        await Task.WhenAll(watching, chatting); // a failed start (no playlist, a chatter refused) surfaces here

        Console.WriteLine();
        var failures = new List<string>();
        ReportGrowth(columns, samples, settings, failures);
        ReportAudience(audience, settings, failures);
        ReportChat(audience, chatters, settings);

        foreach (var (column, index) in columns.Select((c, i) => (c, i)))
        {
            if (samples.Any(s => s.Footprints[index] is null))
            {
                failures.Add(column == FfmpegColumn ? "no FFmpeg (or more than one) under the Transcoder at some sample" : $"{column} was gone at some sample");
            }
        }

        if (ffmpegPids.Count > 1)
        {
            Console.WriteLine(Invariant($"the Transcoder's FFmpeg changed {ffmpegPids.Count - 1} time(s): pids {string.Join(", ", ffmpegPids)}"));
            failures.Add("FFmpeg was restarted");
        }

        Console.WriteLine(failures.Count == 0
            ? Invariant($"verdict: flat (every footprint grew under {GrowthLimitPercent:0} % after minute {settings.Warmup.TotalMinutes:0.##}) and 0 viewer stalls: target met")
            : $"verdict: target NOT met: {string.Join("; ", failures)}");
        return 0;
    }

    private static string Sessions(SoakSettings settings) => settings.ViewerSession > TimeSpan.Zero
        ? Invariant($"each staying {settings.ViewerSession.TotalMinutes * 0.5:0.#}-{settings.ViewerSession.TotalMinutes * 1.5:0.#} min, then replaced")
        : "each staying the whole run";

    /// <summary>
    /// Growth of each footprint: the mean over the window after the warm-up against the mean over the last window of
    /// the run (a minute each, or half the time after the warm-up if that is shorter), so one collection or one burst
    /// of connections does not decide it.
    /// </summary>
    private static void ReportGrowth(List<string> columns, List<Sample> samples, SoakSettings settings, List<string> failures)
    {
        var window = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, (settings.Duration - settings.Warmup).Ticks / 2));
        var first = samples.Where(s => s.At >= settings.Warmup && s.At < settings.Warmup + window).ToList();
        var last = samples.Where(s => s.At > settings.Duration - window).ToList();
        if (window <= TimeSpan.Zero || first.Count == 0 || last.Count == 0)
        {
            Console.WriteLine("growth: not enough samples after the warm-up");
            failures.Add("growth not measured");
            return;
        }

        Console.WriteLine(Invariant($"growth after the warm-up: the mean of minutes {settings.Warmup.TotalMinutes:0.##}-{(settings.Warmup + window).TotalMinutes:0.##} against the mean of minutes {(settings.Duration - window).TotalMinutes:0.##}-{settings.Duration.TotalMinutes:0.##} (target: under {GrowthLimitPercent:0} %)"));
        for (var column = 0; column < columns.Count; column++)
        {
            var line = new StringBuilder(Invariant($"  {columns[column],-11}"));
            foreach (var (name, value, leastRise) in Metrics)
            {
                var before = Mean(first, column, value);
                var after = Mean(last, column, value);
                if (before == 0 && after == 0)
                {
                    continue; // none of it (in-memory files, outside the Origin)
                }

                if (before is null || after is null)
                {
                    line.Append(Invariant($"  {name} -"));
                    continue;
                }

                var growth = 100 * (after.Value - before.Value) / before.Value;
                line.Append(Invariant($"  {name} {before:0.0} -> {after:0.0} ({growth:+0.0;-0.0} %)"));
                if (growth >= GrowthLimitPercent && after.Value - before.Value >= leastRise)
                {
                    failures.Add(Invariant($"{columns[column]} {name} {growth:+0.0} %"));
                }
            }

            Console.WriteLine(line);
        }
    }

    private static double? Mean(List<Sample> samples, int column, Func<Footprint, double> value)
    {
        var values = samples.Select(s => s.Footprints[column]).OfType<Footprint>().Select(value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    private static void ReportAudience(Audience audience, SoakSettings settings, List<string> failures)
    {
        Console.WriteLine(Invariant($"viewers: {settings.Viewers} at a time, {audience.Sessions:N0} sessions, {audience.Parts:N0} parts delivered, {audience.Errors:N0} failed requests"));
        Console.WriteLine(Invariant($"stalls: {audience.Stalls:N0} (parts more than PART-HOLD-BACK {audience.HoldBack.TotalSeconds:0.###} s after the one before: {audience.LateParts:N0}; parts skipped after a failed request: {audience.Skips:N0}; first part later than {audience.FirstPartLimit.TotalSeconds:0.#} s: {audience.SlowStarts:N0}), in {audience.StalledSessions:N0} sessions; longest gap between two parts {audience.LongestGap.TotalSeconds:0.00} s"));
        if (audience.Stalls > 0)
        {
            failures.Add(Invariant($"{audience.Stalls:N0} viewer stalls"));
        }

        if (audience.Parts == 0)
        {
            failures.Add("no part reached any viewer");
        }
    }

    private static void ReportChat(Audience audience, Chatters chatters, SoakSettings settings)
    {
        Console.WriteLine(Invariant($"chat: {settings.Chatters} chatters sent {chatters.Sent:N0} messages, {chatters.Refused:N0} refused{(chatters.FirstRefusal is { } refusal ? $" (first: {refusal})" : "")}; chat readers received {audience.ChatReceived:N0}, {audience.ChatJoinFailures:N0} joins failed, {audience.ChatDropped:N0} connections closed by the server"));
    }

    private static void PrintHeader(List<string> columns)
    {
        Console.WriteLine();
        Console.WriteLine("   min | " + string.Concat(columns.Select(c => $"{c,-17}| ")) + "viewers stalls errors | chat sent refused received");
        Console.WriteLine("       | " + string.Concat(columns.Select(_ => "    MB  fds  thr | ")) + "                      |");
    }

    private static void PrintRow(Sample sample)
    {
        var cells = sample.Footprints.Select(f => f is { } footprint
            ? Invariant($"{footprint.RssMegabytes,6:0.0} {footprint.Descriptors,4} {footprint.Threads,4} | ")
            : "     -    -    - | ");
        Console.WriteLine(Invariant($"{sample.At.TotalMinutes,6:0.0} | {string.Concat(cells)}{sample.Viewers,7} {sample.Stalls,6} {sample.Errors,6} | {sample.ChatSent,9} {sample.ChatRefused,7} {sample.ChatReceived,8}"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Sample(
        TimeSpan At, List<Footprint?> Footprints, long Viewers, long Stalls, long Errors, long ChatSent, long ChatRefused, long ChatReceived);
}

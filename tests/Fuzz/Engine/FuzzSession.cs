using System.Diagnostics;

namespace Nio.Fuzz.Engine;

/// <summary>What made an input a finding.</summary>
public enum FindingKind
{
    /// <summary>An exception other than the code's own rejection of malformed input.</summary>
    Crash,

    /// <summary>One execution ran past <see cref="FuzzOptions.HangTimeout"/>.</summary>
    Hang,

    /// <summary>One execution allocated more than <see cref="FuzzTarget.AllocationLimit"/> allows for its input.</summary>
    UnboundedAllocation,
}

public sealed record Finding(FindingKind Kind, byte[] Input, string Description)
{
    /// <summary>What tells two findings apart: the exception type and the frame that threw it (or the kind).</summary>
    public string Signature { get; init; } = Kind.ToString();

    public override string ToString() =>
        $"{Kind}: {Description}\ninput ({Input.Length} bytes, base64): {Convert.ToBase64String(Input)}";
}

public sealed record FuzzOptions
{
    public required TimeSpan Duration { get; init; }

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>A parser call that takes longer than this is a hang. Generous: the machine may be busy with other work.</summary>
    public TimeSpan HangTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop at the first finding (tests) or record it and go on (long runs).</summary>
    public bool StopAtFirstFinding { get; init; } = true;

    /// <summary>Called with each input that reached new coverage, and with each finding (long runs save them).</summary>
    public Action<byte[]>? OnNewInput { get; init; }

    public Action<Finding>? OnFinding { get; init; }

    /// <summary>Progress lines, about every <see cref="ReportEvery"/>.</summary>
    public TextWriter? Log { get; init; }

    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(10);
}

public sealed record FuzzResult(long Executions, TimeSpan Elapsed, int CorpusSize, int Edges, IReadOnlyList<Finding> Findings)
{
    public override string ToString() =>
        $"{Executions} executions in {Elapsed.TotalSeconds:F0} s ({Executions / Math.Max(Elapsed.TotalSeconds, 0.001):F0}/s), " +
        $"{Edges} edges, corpus {CorpusSize}, {Findings.Count} finding(s)";
}

/// <summary>
/// Coverage-guided fuzzing in process: runs the seeds, then mutates inputs of the corpus and keeps every mutant whose
/// execution reached an edge (or an edge's hit-count class) that no earlier execution did, as libFuzzer and AFL do.
/// Coverage comes from SharpFuzz's instrumentation of the assemblies under test (see <see cref="CoverageMap"/>).
/// Executions run one at a time on a thread of their own, watched for hangs.
/// </summary>
public sealed class FuzzSession(FuzzTarget target, FuzzOptions options)
{
    private readonly CoverageTracker coverage = new();
    private readonly List<byte[]> corpus = [];
    private readonly List<Finding> findings = [];
    private readonly HashSet<string> signatures = [];
    private long executions;
    private long runningSince = long.MaxValue;
    private byte[] running = [];
    private volatile bool abandoned;

    public FuzzResult Run(IReadOnlyList<byte[]> seeds)
    {
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() => Loop(seeds, clock)) { IsBackground = true, Name = $"fuzz {target.Name}" };
        worker.Start();
        while (!worker.Join(50))
        {
            var since = Interlocked.Read(ref runningSince);
            if (since != long.MaxValue && Stopwatch.GetElapsedTime(since) > options.HangTimeout)
            {
                // The stuck thread cannot be stopped; it is a background thread and the finding ends the session.
                lock (findings)
                {
                    findings.Add(new Finding(FindingKind.Hang, Volatile.Read(ref running), $"one execution ran longer than {options.HangTimeout.TotalSeconds} s"));
                }

                abandoned = true;
                options.OnFinding?.Invoke(findings[^1]);
                break;
            }
        }

        lock (findings)
        {
            return new FuzzResult(Interlocked.Read(ref executions), clock.Elapsed, corpus.Count, coverage.Edges, [.. findings]);
        }
    }

    private void Loop(IReadOnlyList<byte[]> seeds, Stopwatch clock)
    {
        var random = new Random(options.Seed);
        var mutator = new Mutator(random, target.Dictionary, target.MaxInputLength);
        var nextReport = options.ReportEvery;
        foreach (var seed in seeds.Append([]))
        {
            if (!Try(seed.Length > target.MaxInputLength ? seed[..target.MaxInputLength] : seed))
            {
                return;
            }
        }

        options.Log?.WriteLine($"{target.Name}: seeds run, {coverage.Edges} edges, corpus {corpus.Count}");
        while (clock.Elapsed < options.Duration && !abandoned)
        {
            // Half the picks favour the newest quarter of the corpus: the inputs that just opened new paths.
            var index = random.Next(2) == 0 || corpus.Count < 4 ? random.Next(corpus.Count) : corpus.Count - 1 - random.Next(corpus.Count / 4);
            if (!Try(mutator.Mutate(corpus[index], corpus)))
            {
                return;
            }

            if (clock.Elapsed > nextReport)
            {
                nextReport += options.ReportEvery;
                options.Log?.WriteLine($"{target.Name}: {clock.Elapsed.TotalSeconds:F0} s, {executions} executions, {coverage.Edges} edges, corpus {corpus.Count}");
            }
        }
    }

    /// <summary>Runs one input; false when the session must stop (a finding, with <see cref="FuzzOptions.StopAtFirstFinding"/>).</summary>
    private bool Try(byte[] input)
    {
        var finding = Execute(input);
        Interlocked.Increment(ref executions);
        if (abandoned)
        {
            // A hang was reported and the session is over: the execution that finally returned changes nothing.
            return false;
        }

        if (finding is not null)
        {
            finding = Minimize(finding);
            lock (findings)
            {
                if (!signatures.Add(finding.Signature))
                {
                    return true;
                }

                findings.Add(finding);
            }

            options.OnFinding?.Invoke(finding);
            return !options.StopAtFirstFinding;
        }

        if (coverage.Merge() || corpus.Count == 0)
        {
            corpus.Add(input);
            options.OnNewInput?.Invoke(input);
        }

        return true;
    }

    /// <summary>One execution of the target on a clean map; the finding it makes, if any.</summary>
    private Finding? Execute(byte[] input)
    {
        CoverageMap.Reset();
        Volatile.Write(ref running, input);
        Interlocked.Exchange(ref runningSince, Stopwatch.GetTimestamp());
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            target.Run(input);
        }
        catch (Exception exception) when (!target.IsRejection(exception))
        {
            return new Finding(FindingKind.Crash, input, exception.ToString()) { Signature = SignatureOf(exception) };
        }
        catch (Exception)
        {
            // The parser refused the input, as it should.
        }
        finally
        {
            Interlocked.Exchange(ref runningSince, long.MaxValue);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var limit = target.AllocationLimit(input.Length);
        return allocated > limit
            ? new Finding(FindingKind.UnboundedAllocation, input, $"{allocated} bytes allocated for {input.Length} bytes of input (limit {limit})")
            : null;
    }

    /// <summary>Removes blocks of the input while it still makes the same finding, so the report shows what matters.</summary>
    private Finding Minimize(Finding finding)
    {
        var smallest = finding;
        var attempts = 0;
        for (var block = Math.Max(1, smallest.Input.Length / 2); block >= 1 && attempts < 4000; block /= 2)
        {
            for (var at = 0; at + block <= smallest.Input.Length && attempts < 4000; attempts++)
            {
                var candidate = smallest.Input[..at].Concat(smallest.Input[(at + block)..]).ToArray();
                if (Execute(candidate) is { } again && again.Kind == finding.Kind && again.Signature == finding.Signature)
                {
                    smallest = again;
                }
                else
                {
                    at += block;
                }
            }
        }

        return smallest;
    }

    private static string SignatureOf(Exception exception)
    {
        var frame = new StackTrace(exception, false).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("Nio.", StringComparison.Ordinal) == true)
            ?? new StackTrace(exception, false).GetFrame(0);
        var method = frame?.GetMethod();
        return $"{exception.GetType().FullName} at {method?.DeclaringType?.FullName}.{method?.Name}";
    }
}

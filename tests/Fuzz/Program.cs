using System.Globalization;
using Nio.Fuzz.Engine;

namespace Nio.Fuzz;

/// <summary>
/// The fuzzer's command line (tests/Fuzz/README.md): long in-process runs of one target, replaying inputs, shrinking a
/// corpus, AFL's fork server, and the build's instrumentation step.
/// </summary>
public static class FuzzProgram
{
    private const string Usage = """
        usage: dotnet Nio.Fuzz.dll COMMAND
          list                                   the targets
          run TARGET [--seconds N] [--work DIR] [--seed N]
                                                 fuzz one target (default one hour), keeping new inputs in DIR/corpus and
                                                 findings in DIR/findings (DIR defaults to fuzz-work/TARGET)
          replay TARGET FILE...                  run the target once on each file and tell what happened
          shrink TARGET FROM_DIR TO_DIR          copy the smallest inputs of FROM_DIR that together reach all its coverage
          afl TARGET                             SharpFuzz's fork server for afl-fuzz (AFL++ from Debian)
          instrument ASSEMBLY...                 add SharpFuzz's instrumentation (the build does this)
        """;

    public static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["list"] => List(),
                ["run", var name, .. var options] => RunLong(name, options),
                ["replay", var name, .. var files] when files.Length > 0 => Replay(name, files),
                ["shrink", var name, var from, var to] => Shrink(name, from, to),
                ["afl", var name] => Afl(name),
                ["instrument", .. var paths] => Instrumentation.Run(paths),
                _ => Fail(Usage),
            };
        }
        catch (ArgumentException exception)
        {
            return Fail(exception.Message);
        }
    }

    private static int List()
    {
        foreach (var name in FuzzTargets.Names)
        {
            Console.WriteLine(name);
        }

        return 0;
    }

    private static int RunLong(string name, string[] options)
    {
        string? Option(string flag) => options.SkipWhile(o => o != flag).Skip(1).FirstOrDefault();
        var seconds = int.Parse(Option("--seconds") ?? "3600", CultureInfo.InvariantCulture);
        var work = Option("--work") ?? Path.Combine("fuzz-work", name);
        var corpusDir = Path.Combine(work, "corpus");
        var findingsDir = Path.Combine(work, "findings");
        using var target = new Owned(FuzzTargets.Create(name));
        var seeds = Corpus.Load(Corpus.DirectoryOf(name)).Concat(Corpus.Load(corpusDir)).ToList();
        var result = new FuzzSession(target.Value, new FuzzOptions
        {
            Duration = TimeSpan.FromSeconds(seconds),
            Seed = Option("--seed") is { } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : Environment.TickCount,
            StopAtFirstFinding = false,
            OnNewInput = input => Corpus.Save(corpusDir, input),
            OnFinding = finding => Console.WriteLine($"{finding}\nsaved as {Corpus.Save(findingsDir, finding.Input, $"{finding.Kind}-")}\n"),
            Log = Console.Out,
        }).Run(seeds);
        Console.WriteLine($"{name}: {result}");
        return result.Findings.Count == 0 ? 0 : 1;
    }

    private static int Replay(string name, string[] files)
    {
        using var target = new Owned(FuzzTargets.Create(name));
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Value.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: accepted");
            }
            catch (Exception exception) when (target.Value.IsRejection(exception))
            {
                Console.WriteLine($"{file}: refused ({exception.Message})");
            }
            catch (Exception exception)
            {
                failed++;
                Console.WriteLine($"{file}: CRASH {exception}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static int Shrink(string name, string from, string to)
    {
        using var target = new Owned(FuzzTargets.Create(name));
        var coverage = new CoverageTracker();
        var kept = 0;
        foreach (var input in Corpus.Load(from).OrderBy(input => input.Length))
        {
            CoverageMap.Reset();
            try
            {
                target.Value.Run(input);
            }
            catch (Exception exception) when (target.Value.IsRejection(exception))
            {
                // Refused inputs still reach coverage.
            }

            if (coverage.Merge())
            {
                Corpus.Save(to, input);
                kept++;
            }
        }

        Console.WriteLine($"{name}: kept {kept} inputs reaching {coverage.Edges} edges");
        return 0;
    }

    private static int Afl(string name)
    {
        var target = FuzzTargets.Create(name);
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            try
            {
                target.Run(memory.ToArray());
            }
            catch (Exception exception) when (target.IsRejection(exception))
            {
                // The parser refused the input: not a crash.
            }
        });
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    /// <summary>Disposes a target that holds resources (the RTMP target's Ingest host).</summary>
    private sealed class Owned(FuzzTarget value) : IDisposable
    {
        public FuzzTarget Value { get; } = value;

        public void Dispose() => (Value as IDisposable)?.Dispose();
    }
}

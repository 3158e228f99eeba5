using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nio.Fuzz.Engine;

/// <summary>
/// The edge map SharpFuzz's instrumentation writes, AFL's scheme: on entering each basic block an instrumented method
/// does <c>map[block ^ previous]++; previous = block &gt;&gt; 1</c>, so a byte counts how often one edge between two blocks
/// was taken. The map lives for the whole process; <see cref="Reset"/> clears it before each execution.
/// </summary>
public static unsafe class CoverageMap
{
    public const int Size = 65536;

    private static readonly byte* Edges = (byte*)NativeMemory.AllocZeroed(Size);

    /// <summary>
    /// Instrumented code writes through <c>SharpFuzz.Common.Trace.SharedMem</c> unconditionally, so the map must be in place
    /// before anything in this assembly calls into it: a module initializer runs before any of this assembly's code.
    /// </summary>
#pragma warning disable CA2255 // This is an application's test assembly, not a library: it owns the process-wide map.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Attach()
    {
        if (SharpFuzz.Common.Trace.SharedMem is null)
        {
            SharpFuzz.Common.Trace.SharedMem = Edges;
        }
    }

    /// <summary>The edge counts of the executions since the last <see cref="Reset"/>.</summary>
    public static ReadOnlySpan<byte> Counts => new(Edges, Size);

    public static void Reset()
    {
        NativeMemory.Clear(Edges, Size);
        SharpFuzz.Common.Trace.PrevLocation = 0;
    }
}

/// <summary>
/// Which edges, and which hit-count classes of each edge (1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+, AFL's buckets), any
/// execution so far has reached. An input is worth keeping when its execution adds to that.
/// </summary>
public sealed class CoverageTracker
{
    private static readonly byte[] Buckets = BuildBuckets();
    private readonly byte[] seen = new byte[CoverageMap.Size];

    /// <summary>How many distinct edges have been reached.</summary>
    public int Edges { get; private set; }

    /// <summary>Folds the map of the last execution in; true when it reached an edge or hit-count class not seen before.</summary>
    public bool Merge()
    {
        var counts = CoverageMap.Counts;
        var words = MemoryMarshal.Cast<byte, ulong>(counts);
        var found = false;
        for (var w = 0; w < words.Length; w++)
        {
            if (words[w] == 0)
            {
                continue;
            }

            for (var i = w * 8; i < w * 8 + 8; i++)
            {
                var bucket = Buckets[counts[i]];
                if ((bucket & ~seen[i]) != 0)
                {
                    Edges += seen[i] == 0 ? 1 : 0;
                    seen[i] |= bucket;
                    found = true;
                }
            }
        }

        return found;
    }

    private static byte[] BuildBuckets()
    {
        var buckets = new byte[256];
        for (var count = 1; count < 256; count++)
        {
            buckets[count] = count switch
            {
                1 => 1,
                2 => 2,
                3 => 4,
                <= 7 => 8,
                <= 15 => 16,
                <= 31 => 32,
                <= 127 => 64,
                _ => 128,
            };
        }

        return buckets;
    }
}

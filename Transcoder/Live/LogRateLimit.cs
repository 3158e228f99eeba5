using System.Diagnostics;

namespace Nio.Transcoder.Live;

/// <summary>
/// Lets at most <paramref name="linesPerWindow"/> lines through per <paramref name="window"/> and counts the rest: a
/// broken input makes FFmpeg print a line per packet, which would otherwise flood the log (and the disk under it).
/// Thread-safe.
/// </summary>
internal sealed class LogRateLimit(int linesPerWindow, TimeSpan window)
{
    private readonly Lock gate = new();
    private long windowStart = Stopwatch.GetTimestamp();
    private int passed;
    private long skipped;

    /// <summary>
    /// Whether this line may be logged; <paramref name="skippedBefore"/> is how many were left out since the last line
    /// that was, to be said first.
    /// </summary>
    public bool TryAdmit(out long skippedBefore)
    {
        lock (gate)
        {
            if (Stopwatch.GetElapsedTime(windowStart) >= window)
            {
                windowStart = Stopwatch.GetTimestamp();
                passed = 0;
            }

            if (passed < linesPerWindow)
            {
                passed++;
                skippedBefore = skipped;
                skipped = 0;
                return true;
            }

            skipped++;
            skippedBefore = 0;
            return false;
        }
    }

    /// <summary>How many lines were left out since the last one let through (and forgets them).</summary>
    public long TakeSkipped()
    {
        lock (gate)
        {
            var count = skipped;
            skipped = 0;
            return count;
        }
    }
}

namespace Nio.Shared.Hosting;

/// <summary>
/// How long to wait before trying a failed call to another service again: doubling from a first wait up to a ceiling,
/// less a random part of up to a quarter, so that the many callers one outage failed together do not all come back
/// at the same moment.
/// </summary>
public static class Backoff
{
    /// <param name="failures">The failed attempts so far, from 1.</param>
    public static TimeSpan Delay(int failures, TimeSpan first, TimeSpan ceiling)
    {
        var milliseconds = Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Max(failures - 1, 0)), ceiling.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(milliseconds * (1 - Random.Shared.NextDouble() / 4));
    }
}

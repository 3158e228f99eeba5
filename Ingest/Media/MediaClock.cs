namespace Nio.Ingest.Media;

/// <summary>
/// The one clock of every live stream's timestamps: 90 kHz ticks in 64 bits, counted from whatever origin the publisher
/// chose, never wrapping. 90 kHz because it is RTP's video clock and MPEG-TS's, and both other sources fit it exactly:
/// an RTMP millisecond is 90 ticks (so FLV timestamps go in and out unchanged), and every Opus frame duration (2.5 to
/// 60 ms) is a whole number of ticks. Microseconds would not hold a 90 kHz RTP timestamp exactly.
/// </summary>
public static class MediaClock
{
    public const int TicksPerSecond = 90_000;

    public const int TicksPerMillisecond = TicksPerSecond / 1000;

    public static long FromMilliseconds(long milliseconds) => milliseconds * TicksPerMillisecond;

    /// <summary>Whole milliseconds, rounded down (also below zero).</summary>
    public static long ToMilliseconds(long ticks)
    {
        var quotient = ticks / TicksPerMillisecond;
        return ticks % TicksPerMillisecond < 0 ? quotient - 1 : quotient;
    }
}

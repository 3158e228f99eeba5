namespace Nio.Ingest.Streams;

/// <summary>
/// The messages of one track over the last <see cref="WindowMilliseconds"/> of its timestamps, kept as a ring of
/// (timestamp, size) in arrays allocated once: adding one costs a few stores and no allocation. Rates are over the
/// span between the oldest and newest timestamp kept, so they need no clock and give the same answer for the same
/// input. Timestamps are FLV's 32-bit milliseconds and may wrap; one that goes backwards starts the window afresh.
/// </summary>
public sealed class TimestampWindow
{
    public const uint WindowMilliseconds = 5000;

    /// <summary>Enough for 200 messages a second over the window; beyond that the window simply covers less time.</summary>
    public const int Capacity = 1024;

    private readonly uint[] timestamps = new uint[Capacity];
    private readonly int[] sizes = new int[Capacity];
    private int oldest;
    private int count;
    private long bytes;

    public int Count => count;

    /// <summary>The newest timestamp added; 0 before any.</summary>
    public uint Newest => count == 0 ? 0 : timestamps[(oldest + count - 1) % Capacity];

    public void Add(uint timestamp, int size)
    {
        while (count > 0 && (count == Capacity || unchecked(timestamp - timestamps[oldest]) > WindowMilliseconds))
        {
            bytes -= sizes[oldest];
            oldest = (oldest + 1) % Capacity;
            count--;
        }

        var slot = (oldest + count) % Capacity;
        timestamps[slot] = timestamp;
        sizes[slot] = size;
        bytes += size;
        count++;
    }

    /// <summary>Milliseconds from the oldest timestamp kept to the newest; 0 with fewer than two.</summary>
    public uint SpanMilliseconds => count < 2 ? 0 : unchecked(Newest - timestamps[oldest]);

    /// <summary>Messages per second: the intervals between the kept timestamps over their span; null until there is a span.</summary>
    public double? PerSecond => SpanMilliseconds == 0 ? null : (count - 1) * 1000.0 / SpanMilliseconds;

    /// <summary>
    /// Kilobits per second: every kept message but the oldest arrived within the span (the oldest marks its start);
    /// null until there is a span.
    /// </summary>
    public double? KilobitsPerSecond => SpanMilliseconds == 0 ? null : (bytes - sizes[oldest]) * 8.0 / SpanMilliseconds;
}

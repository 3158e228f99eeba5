using Nio.Ingest.Streams;

namespace Nio.Ingest.Tests.Streams;

public sealed class TimestampWindowTests
{
    [Fact]
    public void Twenty_five_frames_a_second_of_4000_bytes_are_25_fps_and_800_kbps()
    {
        var window = new TimestampWindow();
        for (uint frame = 0; frame < 250; frame++)
        {
            window.Add(frame * 40, 4000);
        }

        Assert.Equal(25, window.PerSecond!.Value, precision: 6);
        Assert.Equal(800, window.KilobitsPerSecond!.Value, precision: 6);
        Assert.Equal(TimestampWindow.WindowMilliseconds, window.SpanMilliseconds);
    }

    [Fact]
    public void Only_the_last_five_seconds_count()
    {
        var window = new TimestampWindow();
        // 10 s at 2000 bytes a frame, then 5 s at 1000 bytes: only the second part is in the window.
        uint timestamp = 0;
        for (var frame = 0; frame < 300; frame++, timestamp += 33)
        {
            window.Add(timestamp, 2000);
        }

        for (var frame = 0; frame < 200; frame++, timestamp += 33)
        {
            window.Add(timestamp, 1000);
        }

        Assert.Equal(1000 * 8 / 33.0, window.KilobitsPerSecond!.Value, precision: 6);
        Assert.Equal(1000 / 33.0, window.PerSecond!.Value, precision: 6);
    }

    [Fact]
    public void Nothing_is_measured_before_two_messages()
    {
        var window = new TimestampWindow();
        Assert.Null(window.PerSecond);
        window.Add(1000, 500);
        Assert.Null(window.KilobitsPerSecond);
        window.Add(1000, 500);
        Assert.Null(window.PerSecond);
    }

    [Fact]
    public void More_messages_than_the_ring_holds_shorten_the_window_but_not_the_rate()
    {
        var window = new TimestampWindow();
        // 500 messages a second (every 2 ms) of 100 bytes: 400 kbps.
        for (uint i = 0; i < 5000; i++)
        {
            window.Add(i * 2, 100);
        }

        Assert.Equal(TimestampWindow.Capacity, window.Count);
        Assert.Equal(500, window.PerSecond!.Value, precision: 6);
        Assert.Equal(400, window.KilobitsPerSecond!.Value, precision: 6);
    }

    [Fact]
    public void Timestamps_that_wrap_around_32_bits_keep_measuring()
    {
        var window = new TimestampWindow();
        var timestamp = uint.MaxValue - 2000;
        for (var frame = 0; frame < 250; frame++)
        {
            window.Add(timestamp, 4000);
            timestamp = unchecked(timestamp + 40);
        }

        Assert.Equal(25, window.PerSecond!.Value, precision: 6);
        Assert.Equal(800, window.KilobitsPerSecond!.Value, precision: 6);
    }

    [Fact]
    public void A_timestamp_that_goes_back_starts_the_window_afresh()
    {
        var window = new TimestampWindow();
        for (uint frame = 0; frame < 100; frame++)
        {
            window.Add(100_000 + frame * 40, 4000);
        }

        window.Add(0, 4000);
        Assert.Equal(1, window.Count);
        window.Add(20, 1000);
        Assert.Equal(50, window.PerSecond!.Value, precision: 6);
    }
}

namespace Nio.WebRtc.Tests.Ice;

/// <summary>A clock the test moves by hand; its timestamps tick in TimeSpan ticks.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks = TimeSpan.FromHours(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

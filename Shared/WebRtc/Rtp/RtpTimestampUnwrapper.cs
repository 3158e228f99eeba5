namespace Nio.WebRtc.Rtp;

/// <summary>Extends 32-bit RTP timestamps to 64 bits across their wrap round, taking each as the nearest to the previous.</summary>
public sealed class RtpTimestampUnwrapper
{
    private long? _last;

    public long Unwrap(uint timestamp)
    {
        var extended = _last is { } last ? last + (int)(timestamp - (uint)last) : timestamp;
        _last = extended;
        return extended;
    }
}

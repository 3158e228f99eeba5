using Nio.WebRtc.Rtp.Rtcp;

namespace Nio.WebRtc.Rtp;

/// <summary>
/// What a receiver reports about one source (RFC 3550 §6.4.1): extended highest sequence number and loss computed as
/// in Appendix A.1 and A.3, interarrival jitter as in A.8, and the LSR/DLSR pair from the last sender report. Time is
/// passed in, as a monotonic <see cref="TimeSpan"/>.
/// </summary>
public sealed class RtpReceiveStatistics
{
    // Appendix A.1: "MAX_DROPOUT = 3000; MAX_MISORDER = 100;" and "RTP_SEQ_MOD (1<<16)".
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const uint SequenceModulus = 1 << 16;

    private readonly int _clockRate;
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _badSequence = SequenceModulus + 1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit;
    private bool _hasTransit;
    private double _jitter;
    private uint _lastSenderReport;
    private TimeSpan? _lastSenderReportArrival;

    public RtpReceiveStatistics(uint ssrc, int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1);
        Ssrc = ssrc;
        _clockRate = clockRate;
    }

    public uint Ssrc { get; }

    public long PacketsReceived => _received;

    /// <summary>The highest sequence number seen, with the count of its wraps in the high 16 bits.</summary>
    public uint ExtendedHighestSequenceNumber => _cycles + _maxSequence;

    /// <summary>Interarrival jitter in timestamp units.</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>Counts a packet as it arrives (before any reordering), as Appendix A.1's <c>update_seq</c> does.</summary>
    public void OnPacket(ushort sequenceNumber, uint rtpTimestamp, TimeSpan arrival)
    {
        if (!_started)
        {
            Restart(sequenceNumber);
            _started = true;
        }
        else
        {
            var delta = (ushort)(sequenceNumber - _maxSequence);
            if (delta < MaxDropout)
            {
                // In order, with a permissible gap.
                if (sequenceNumber < _maxSequence)
                {
                    _cycles += SequenceModulus;
                }

                _maxSequence = sequenceNumber;
            }
            else if (delta <= SequenceModulus - MaxMisorder)
            {
                // "the sequence number made a very large jump": two such packets in a row mean the source restarted.
                if (sequenceNumber != _badSequence)
                {
                    _badSequence = (uint)(sequenceNumber + 1) & (SequenceModulus - 1);
                    return;
                }

                Restart(sequenceNumber);
            }

            // Otherwise a duplicate or a reordered packet: counted, the maximum unchanged.
        }

        _received++;
        UpdateJitter(rtpTimestamp, arrival);
    }

    /// <summary>Notes a sender report of this source: its NTP timestamp becomes LSR, its arrival the start of DLSR.</summary>
    public void OnSenderReport(ulong ntpTimestamp, TimeSpan arrival)
    {
        // "LSR: The middle 32 bits out of 64 in the NTP timestamp".
        _lastSenderReport = (uint)(ntpTimestamp >> 16);
        _lastSenderReportArrival = arrival;
    }

    /// <summary>
    /// The report block for the next RR, computed as in Appendix A.3; the fraction lost covers the interval since the
    /// previous call. Null before the first packet.
    /// </summary>
    public RtcpReportBlock? CreateReportBlock(TimeSpan now)
    {
        if (!_started)
        {
            return null;
        }

        long extendedMax = _cycles + _maxSequence;
        var expected = extendedMax - _baseSequence + 1;
        var lost = Math.Clamp(expected - _received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = (byte)(expectedInterval == 0 || lostInterval <= 0 ? 0 : Math.Min(255, (lostInterval << 8) / expectedInterval));

        // "DLSR: The delay, expressed in units of 1/65536 seconds, between receiving the last SR packet from source
        // SSRC_n and sending this reception report block ... If no SR packet has been received yet ... zero."
        uint delay = 0;
        if (_lastSenderReportArrival is { } arrival && now >= arrival)
        {
            delay = (uint)Math.Min(uint.MaxValue, (now - arrival).Ticks * 65536 / TimeSpan.TicksPerSecond);
        }

        return new RtcpReportBlock(Ssrc, fraction, (int)lost, (uint)extendedMax, Jitter,
            _lastSenderReportArrival is null ? 0 : _lastSenderReport, delay);
    }

    private void Restart(ushort sequenceNumber)
    {
        // Appendix A.1 init_seq.
        _baseSequence = sequenceNumber;
        _maxSequence = sequenceNumber;
        _badSequence = SequenceModulus + 1;
        _cycles = 0;
        _received = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
    }

    /// <summary>
    /// Appendix A.8: "int transit = arrival - r->ts; int d = transit - s->transit; s->transit = transit; if (d &lt; 0)
    /// d = -d; s->jitter += (1./16.) * ((double)d - s->jitter);" with the arrival in timestamp units.
    /// </summary>
    private void UpdateJitter(uint rtpTimestamp, TimeSpan arrival)
    {
        // Whole seconds and the rest apart, so that the product cannot overflow however long the process runs.
        var arrivalUnits = arrival.Ticks / TimeSpan.TicksPerSecond * _clockRate + arrival.Ticks % TimeSpan.TicksPerSecond * _clockRate / TimeSpan.TicksPerSecond;
        var transit = (long)(uint)(arrivalUnits - rtpTimestamp);
        if (_hasTransit)
        {
            // Differences of 32-bit quantities, so the timestamp's wrap round is no jump.
            var d = Math.Abs((long)(int)(uint)(transit - _lastTransit));
            _jitter += (d - _jitter) / 16;
        }

        _lastTransit = transit;
        _hasTransit = true;
    }
}

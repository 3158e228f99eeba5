using Nio.Ingest.Buffers;
using Nio.Ingest.Media;
using Nio.WebRtc.Rtp;
using Nio.WebRtc.Rtp.Rtcp;

namespace Nio.Ingest.WebRtc;

/// <summary>
/// One received RTP track of a WHIP publisher (one SSRC at a time): puts its packets back in order, keeps the reception
/// statistics its receiver reports carry, and hands the packets in order to the codec's depacketiser, whose frames go
/// to the publication on the <see cref="MediaClock"/>. Used only by the WebRTC receive thread.
/// </summary>
internal abstract class RtpTrackReceiver(IMediaSink sink, int clockRate) : IDisposable
{
    private readonly RtpReceiveBuffer buffer = new();
    private RtpReceiveStatistics? statistics;
    private long firstTimestamp;
    private long firstTicks = long.MinValue;

    protected IMediaSink Sink { get; } = sink;

    /// <summary>The SSRC received now; null before the first packet.</summary>
    public uint? Ssrc => statistics?.Ssrc;

    public long PacketsLost => buffer.PacketsLost;

    /// <summary>Takes one unprotected RTP packet of this track and passes on what is now in order.</summary>
    public void Receive(ReadOnlySpan<byte> packet, in RtpHeader header, TimeSpan now)
    {
        if (statistics is null || statistics.Ssrc != header.Ssrc)
        {
            // A new source (the browser replaced the track): its sequence numbers start afresh.
            statistics = new RtpReceiveStatistics(header.Ssrc, clockRate);
        }

        statistics.OnPacket(header.SequenceNumber, header.Timestamp, now);
        buffer.Insert(packet, now);
        Drain(now);
    }

    /// <summary>Hands out what the buffer releases without a new packet (a gap given up); call at the peer's ticks.</summary>
    public void Drain(TimeSpan now)
    {
        while (buffer.TryRead(now, out var ordered))
        {
            if (RtpHeader.TryParse(ordered.Packet, out var header))
            {
                Depacketize(header.Payload(ordered.Packet), header, now);
            }
        }
    }

    /// <summary>The sequence numbers to NACK now.</summary>
    public int CollectNacks(TimeSpan now, Span<ushort> destination) => buffer.CollectNacks(now, destination);

    /// <summary>Whether a frame was lost for good since last asked: a keyframe must be requested (video).</summary>
    public virtual bool TakeKeyframeRequest() => buffer.TakeKeyframeRequest();

    public void OnSenderReport(uint ssrc, ulong ntpTimestamp, TimeSpan now)
    {
        if (statistics?.Ssrc == ssrc)
        {
            statistics.OnSenderReport(ntpTimestamp, now);
        }
    }

    public RtcpReportBlock? CreateReportBlock(TimeSpan now) => statistics?.CreateReportBlock(now);

    public virtual void Dispose()
    {
    }

    protected abstract void Depacketize(ReadOnlySpan<byte> payload, in RtpHeader header, TimeSpan now);

    /// <summary>
    /// A frame's time on the media clock: the track's first frame is placed at its arrival (time since the session
    /// began, the same origin for audio and video, so the two line up within the network's jitter), the frames after it
    /// keep the spacing of their RTP timestamps.
    /// </summary>
    protected long ToMediaClock(long extendedRtpTimestamp, TimeSpan now)
    {
        if (firstTicks == long.MinValue)
        {
            firstTicks = now.Ticks * MediaClock.TicksPerSecond / TimeSpan.TicksPerSecond;
            firstTimestamp = extendedRtpTimestamp;
        }

        return firstTicks + (extendedRtpTimestamp - firstTimestamp) * MediaClock.TicksPerSecond / clockRate;
    }

    /// <summary>Relays one frame to the publication (the pooled copy is released once the hub has taken its references).</summary>
    protected void Write(TrackFormat format, long timestamp, bool keyframe, ReadOnlySpan<byte> data)
    {
        var unit = new AccessUnit(format, timestamp, 0, keyframe, PooledBuffer.CopyOf(data), 0);
        try
        {
            Sink.Write(unit);
        }
        finally
        {
            unit.Release();
        }
    }
}

using Nio.Ingest.Media;
using Nio.WebRtc.Rtp;
using Nio.WebRtc.Rtp.Opus;

namespace Nio.Ingest.WebRtc;

/// <summary>Opus over RTP (RFC 7587): one Opus packet per payload, each an access unit of the track's Opus format.</summary>
internal sealed class AudioTrackReceiver(IMediaSink sink, TrackFormat format) : RtpTrackReceiver(sink, OpusDepacketizer.ClockRate)
{
    private readonly OpusDepacketizer depacketizer = new();

    /// <summary>Audio has no keyframes: a lost packet is concealed by the decoder, never a reason for a PLI.</summary>
    public override bool TakeKeyframeRequest()
    {
        base.TakeKeyframeRequest();
        return false;
    }

    protected override void Depacketize(ReadOnlySpan<byte> payload, in RtpHeader header, TimeSpan now)
    {
        if (depacketizer.TryRead(payload, header.Timestamp, out var frame))
        {
            Write(format, ToMediaClock(frame.Timestamp, now), keyframe: true, frame.Data);
        }
    }
}

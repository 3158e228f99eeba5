using Nio.Ingest.Codecs;
using Nio.Ingest.Media;
using Nio.WebRtc.Rtp;
using Nio.WebRtc.Rtp.H264;

namespace Nio.Ingest.WebRtc;

/// <summary>
/// H.264 over RTP (RFC 6184) into access units of length-prefixed NAL units, with the track's format made from the SPS
/// and PPS the browser sends in band (a new format whenever they change). Nothing goes out before the first IDR picture
/// with its parameter sets; a lost or broken picture drops what follows until the next IDR and asks for one.
/// </summary>
internal sealed class VideoTrackReceiver : RtpTrackReceiver
{
    public const int ClockRate = 90_000;

    private readonly H264Depacketizer depacketizer;
    private readonly RtpTimestampUnwrapper timestamps = new();
    private TrackFormat? format;
    private byte[] formatSps = [];
    private byte[] formatPps = [];
    private TimeSpan now;
    private bool needsKeyframe;

    public VideoTrackReceiver(IMediaSink sink)
        : base(sink, ClockRate) =>
        depacketizer = new H264Depacketizer(OnAccessUnit, new H264DepacketizerOptions { Format = H264NalFormat.LengthPrefixed });

    /// <summary>When the last keyframe went to the publication; null before the first.</summary>
    public TimeSpan? LastKeyframe { get; private set; }

    public override bool TakeKeyframeRequest()
    {
        // Every source is asked: the buffer (a gap given up), the depacketiser (a broken picture), unusable parameter sets.
        var requested = base.TakeKeyframeRequest() | depacketizer.TakeKeyframeRequest() | needsKeyframe;
        needsKeyframe = false;
        return requested;
    }

    public override void Dispose() => depacketizer.Dispose();

    protected override void Depacketize(ReadOnlySpan<byte> payload, in RtpHeader header, TimeSpan arrival)
    {
        now = arrival;
        depacketizer.Push(payload, header.SequenceNumber, header.Timestamp, header.Marker);
    }

    private void OnAccessUnit(in H264AccessUnit unit)
    {
        if (!TryUpdateFormat(unit.Sps, unit.Pps))
        {
            needsKeyframe = true;
            return;
        }

        var timestamp = ToMediaClock(timestamps.Unwrap(unit.RtpTimestamp), now);
        if (unit.IsKeyframe)
        {
            LastKeyframe = now;
        }

        Write(format!, timestamp, unit.IsKeyframe, unit.Data);
    }

    /// <summary>Keeps the format in step with the latest SPS and PPS; false while there are none usable.</summary>
    private bool TryUpdateFormat(ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        if (format is not null && sps.SequenceEqual(formatSps) && pps.SequenceEqual(formatPps))
        {
            return true;
        }

        if (sps.IsEmpty || pps.IsEmpty)
        {
            return false;
        }

        try
        {
            format = TrackFormat.Avc(sps, pps);
        }
        catch (CodecConfigException)
        {
            return false;
        }

        formatSps = sps.ToArray();
        formatPps = pps.ToArray();
        // WebRTC has no onMetaData: the picture size comes from the SPS (the Transcoder's ladder never scales up).
        if (format.Sps is { } parsed)
        {
            Sink.Declare(new PublisherMetadata(parsed.Width, parsed.Height, null));
        }

        Sink.SetFormat(format);
        return true;
    }
}

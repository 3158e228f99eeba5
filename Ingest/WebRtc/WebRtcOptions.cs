using System.ComponentModel.DataAnnotations;

namespace Nio.Ingest.WebRtc;

/// <summary>
/// The WebRTC media port of WHIP publishers (section <c>WebRtc</c>; <c>NIO_WEBRTC_UDP_PORT</c>,
/// <c>NIO_WEBRTC_PUBLIC_IP</c>, <c>NIO_WEBRTC_MAX_BITRATE_KBPS</c>).
/// </summary>
public sealed class WebRtcOptions
{
    /// <summary>The one UDP port every WHIP session's ICE, DTLS and SRTP share; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int UdpPort { get; set; } = 8189;

    /// <summary>
    /// The addresses the SDP answer offers as host candidates, comma-separated, in order of preference (the address
    /// publishers reach the port at behind NAT or a load balancer). Empty: the bound address, or every address of the
    /// machine's interfaces (loopback last) when bound to all.
    /// </summary>
    public string PublicIp { get; set; } = "";

    /// <summary>The bitrate a publisher is asked to stay under (RTCP REMB), in kbit/s, audio and video together.</summary>
    [Range(100, 1_000_000)]
    public int MaxBitrateKbps { get; set; } = 4500;

    /// <summary>
    /// A keyframe is asked for (PLI) when none came for this long: browsers send few unasked, and the Transcoder can
    /// only start a segment at one. About the LL-HLS segment target.
    /// </summary>
    [Range(0.2, 60)]
    public double KeyframeIntervalSeconds { get; set; } = 1;

    /// <summary>A publisher whose ICE consent checks and media both stop for this long is gone (RFC 7675 says 30 s): its broadcast ends.</summary>
    [Range(1, 300)]
    public double ConsentTimeoutSeconds { get; set; } = 30;

    /// <summary>WHIP sessions at once on this Ingest; more are answered 503.</summary>
    [Range(1, 100_000)]
    public int MaxSessions { get; set; } = 500;

    public TimeSpan KeyframeInterval => TimeSpan.FromSeconds(KeyframeIntervalSeconds);

    public TimeSpan ConsentTimeout => TimeSpan.FromSeconds(ConsentTimeoutSeconds);
}

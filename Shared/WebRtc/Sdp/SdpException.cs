namespace Nio.WebRtc.Sdp;

/// <summary>Why an offer or a trickle fragment cannot be accepted.</summary>
public enum SdpError
{
    /// <summary>Not SDP NIO can read: bad line syntax, a missing or wrong <c>v=</c>, an unreadable attribute.</summary>
    Malformed,

    /// <summary>Longer than <see cref="SessionDescription.MaxLength"/> or with more than <see cref="SessionDescription.MaxMediaSections"/> media sections.</summary>
    TooLarge,

    /// <summary>No <c>a=fingerprint</c>: the DTLS peer could not be authenticated.</summary>
    NoFingerprint,

    /// <summary>No (or malformed) <c>a=ice-ufrag</c> / <c>a=ice-pwd</c>.</summary>
    NoIceCredentials,

    /// <summary>No media section NIO can receive: video needs H.264 with packetization-mode=1, audio needs Opus.</summary>
    NoAcceptableMedia,

    /// <summary>The accepted media sections are not all in one BUNDLE group: NIO receives everything on one port.</summary>
    NotBundled,

    /// <summary>An accepted media section lacks <c>a=rtcp-mux</c>: RTCP must share the RTP port.</summary>
    NoRtcpMux,

    /// <summary>The offer's <c>a=setup</c> leaves NIO no role: NIO is always the passive DTLS server.</summary>
    SetupConflict,
}

/// <summary>An offer or fragment NIO refuses, with a reason the WHIP endpoint turns into a 400 and a log line.</summary>
public sealed class SdpException(SdpError error, string message) : Exception(message)
{
    public SdpError Error { get; } = error;
}

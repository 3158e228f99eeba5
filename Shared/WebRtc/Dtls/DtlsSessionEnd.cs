namespace Nio.WebRtc.Dtls;

/// <summary>Why a DTLS session ended.</summary>
public enum DtlsEndReason
{
    /// <summary>The handshake did not finish within <see cref="DtlsServerOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimedOut,

    /// <summary>The client's certificate is not the one whose fingerprint the SDP offer gave.</summary>
    FingerprintMismatch,

    /// <summary>The handshake failed otherwise: no common cipher suite or SRTP profile, no extended master secret, a malformed message, a fatal alert.</summary>
    HandshakeFailed,

    /// <summary>The peer sent close_notify.</summary>
    ClosedByPeer,

    /// <summary>The peer sent a fatal alert after the handshake.</summary>
    AlertFromPeer,

    /// <summary>DTLS failed on this side after the handshake.</summary>
    Failed,

    /// <summary>The owner disposed of the session.</summary>
    ClosedLocally,
}

/// <summary>How a DTLS session ended, with a detail for the log.</summary>
public readonly record struct DtlsSessionEnd(DtlsEndReason Reason, string Detail);

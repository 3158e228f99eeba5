namespace Nio.WebRtc.Srtp;

/// <summary>The outcome of protecting or unprotecting one packet.</summary>
public enum SrtpStatus
{
    Ok,

    /// <summary>Too short for its header, not version 2, or a header longer than the packet.</summary>
    Malformed,

    /// <summary>The authentication tag did not verify: tampered, or not protected with this session's keys.</summary>
    AuthenticationFailed,

    /// <summary>Already received, or older than the replay window (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>A new SSRC would exceed the bounded number of streams this context tracks.</summary>
    TooManyStreams,

    /// <summary>The buffer has no room for the tag and trailer protecting adds.</summary>
    BufferTooSmall,

    /// <summary>The SRTCP index would pass 2^31 - 1: the keys must be renegotiated (RFC 3711 §9.2).</summary>
    KeyLifetimeExceeded,
}

namespace Nio.WebRtc;

/// <summary>What a datagram on the shared WebRTC UDP port is, by its first byte.</summary>
public enum DatagramKind
{
    /// <summary>Empty, or a first byte no protocol NIO speaks uses (ZRTP, TURN channels, QUIC, garbage): drop it.</summary>
    Drop,

    /// <summary>STUN: ICE connectivity checks and consent.</summary>
    Stun,

    /// <summary>A DTLS record.</summary>
    Dtls,

    /// <summary>SRTP or SRTCP (RTCP is multiplexed on the same port, RFC 5761).</summary>
    RtpOrRtcp,
}

/// <summary>Demultiplexing of STUN, DTLS and SRTP/SRTCP on one port (RFC 7983 §7).</summary>
public static class Demux
{
    //                  +----------------+
    //                  |        [0..3] -+--> forward to STUN
    //                  |                |
    //                  |      [16..19] -+--> forward to ZRTP
    //                  |                |
    //      packet -->  |      [20..63] -+--> forward to DTLS
    //                  |                |
    //                  |      [64..79] -+--> forward to TURN Channel
    //                  |                |
    //                  |    [128..191] -+--> forward to RTP/RTCP
    //                  +----------------+
    // "If the value of the first byte is in the range 0 to 3 (inclusive), then the packet is STUN. If the value is in
    // between 20 and 63 (inclusive), the packet is DTLS. If the value is between 128 and 191 (inclusive), then the
    // packet is RTP/RTCP ... Otherwise, the packet MUST be dropped" — ZRTP and TURN channels are not used by NIO.
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram) => datagram.IsEmpty
        ? DatagramKind.Drop
        : datagram[0] switch
        {
            <= 3 => DatagramKind.Stun,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 128 and <= 191 => DatagramKind.RtpOrRtcp,
            _ => DatagramKind.Drop,
        };
}

namespace Nio.WebRtc.Srtp;

/// <summary>Which end of the DTLS handshake this endpoint was: it picks which half of the exported keys is ours.</summary>
public enum DtlsSrtpRole
{
    Client,
    Server,
}

namespace Nio.WebRtc.Dtls;

/// <summary>Limits of the DTLS server; each handshake holds a thread while it runs.</summary>
public sealed class DtlsServerOptions
{
    /// <summary>Handshakes running at once; a peer beyond this is refused until one ends.</summary>
    public int MaxConcurrentHandshakes { get; set; } = 64;

    /// <summary>How long a handshake may take from its start; then it is abandoned and its thread freed.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

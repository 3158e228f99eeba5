using Nio.WebRtc.Srtp;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// What a DTLS-SRTP handshake yields: the SRTP profile this server chose and the keying material both sides exported
/// with the label "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2). <see cref="SrtpSession.FromKeyingMaterial"/> splits it.
/// </summary>
public sealed class DtlsSrtpKeyingMaterial
{
    private readonly byte[] _material;

    internal DtlsSrtpKeyingMaterial(SrtpProfile profile, byte[] material)
    {
        Profile = profile;
        _material = material;
    }

    public SrtpProfile Profile { get; }

    /// <summary><see cref="SrtpProfiles.KeyingMaterialLength"/> bytes: client key, server key, client salt, server salt.</summary>
    public ReadOnlySpan<byte> Material => _material;

    /// <summary>
    /// The SRTP session of this endpoint, the DTLS server: its <see cref="SrtpSession.Inbound"/> unprotects what the
    /// peer sends, its <see cref="SrtpSession.Outbound"/> protects what is sent to the peer. The caller disposes it.
    /// </summary>
    public SrtpSession CreateSrtpSession(int maxStreams = SrtpContext.DefaultMaxStreams) =>
        SrtpSession.FromKeyingMaterial(Profile, _material, DtlsSrtpRole.Server, maxStreams);
}

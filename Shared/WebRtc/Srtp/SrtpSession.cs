namespace Nio.WebRtc.Srtp;

/// <summary>
/// The two SRTP contexts of one DTLS-SRTP association: <see cref="Inbound"/> unprotects what the peer sends,
/// <see cref="Outbound"/> protects what this endpoint sends (RTCP feedback, and RTP for a sender).
/// </summary>
public sealed class SrtpSession : IDisposable
{
    private SrtpSession(SrtpProfile profile, SrtpContext inbound, SrtpContext outbound)
    {
        Profile = profile;
        Inbound = inbound;
        Outbound = outbound;
    }

    public SrtpProfile Profile { get; }

    public SrtpContext Inbound { get; }

    public SrtpContext Outbound { get; }

    /// <summary>
    /// Splits the keying material a DTLS handshake exported with the label "EXTRACTOR-dtls_srtp" and derives both
    /// contexts. RFC 5764 §4.2: "the shared secret is ... client_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
    /// server_write_SRTP_master_key[...]; client_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
    /// server_write_SRTP_master_salt[...]" — and each side protects with its own write key.
    /// </summary>
    /// <param name="keyingMaterial">Exactly <see cref="SrtpProfiles.KeyingMaterialLength"/> bytes.</param>
    /// <param name="localRole">The role this endpoint had in the DTLS handshake.</param>
    /// <param name="maxStreams">How many SSRCs each direction tracks at most.</param>
    public static SrtpSession FromKeyingMaterial(SrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, DtlsSrtpRole localRole,
        int maxStreams = SrtpContext.DefaultMaxStreams)
    {
        if (!SrtpProfiles.IsSupported(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP profile");
        }

        var keyLength = SrtpProfiles.KeyLength;
        var saltLength = SrtpProfiles.SaltLength(profile);
        if (keyingMaterial.Length != SrtpProfiles.KeyingMaterialLength(profile))
        {
            throw new ArgumentException(
                $"{profile} takes {SrtpProfiles.KeyingMaterialLength(profile)} bytes of keying material, not {keyingMaterial.Length}",
                nameof(keyingMaterial));
        }

        var clientKey = keyingMaterial[..keyLength];
        var serverKey = keyingMaterial.Slice(keyLength, keyLength);
        var clientSalt = keyingMaterial.Slice(2 * keyLength, saltLength);
        var serverSalt = keyingMaterial.Slice(2 * keyLength + saltLength, saltLength);

        var client = new SrtpContext(profile, clientKey, clientSalt, maxStreams);
        var server = new SrtpContext(profile, serverKey, serverSalt, maxStreams);
        return localRole == DtlsSrtpRole.Server
            ? new SrtpSession(profile, inbound: client, outbound: server)
            : new SrtpSession(profile, inbound: server, outbound: client);
    }

    public void Dispose()
    {
        Inbound.Dispose();
        Outbound.Dispose();
    }
}

using Nio.WebRtc.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's side of one DTLS-SRTP handshake: DTLS 1.2 only, ECDHE-ECDSA with AES-GCM, <c>use_srtp</c> and the
/// extended master secret required, a client certificate required and held to the SDP offer's fingerprint.
/// </summary>
internal sealed class DtlsSrtpTlsServer(
    BcTlsCrypto crypto, DtlsCertificate certificate, IReadOnlyCollection<DtlsFingerprint> clientFingerprints, TimeSpan handshakeTimeout)
    : DefaultTlsServer(crypto)
{
    // Every WebRTC browser offers ECDHE_ECDSA with AES-128-GCM (and Chromium, Firefox and Safari prefer it);
    // AES-256-GCM is there for peers configured for it. No CBC suite: none of the clients needs one.
    private static readonly int[] OurCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    // Our order of preference: GCM authenticates and encrypts in one pass, AES-CM with HMAC-SHA1 is the mandatory fallback.
    private static readonly SrtpProfile[] OurSrtpProfiles = [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80];

    private SrtpProfile _srtpProfile;

    /// <summary>The SRTP profile and keying material, once the handshake is complete.</summary>
    public DtlsSrtpKeyingMaterial? Keys { get; private set; }

    /// <summary>Set when the client's certificate did not match the offer's fingerprint.</summary>
    public bool FingerprintMismatch { get; private set; }

    /// <summary>Set when the peer sent close_notify.</summary>
    public bool CloseNotifyReceived { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, OurCipherSuites);

    protected override bool PreferLocalCipherSuites() => true;

    /// <summary>
    /// RFC 7627 §5.2: "If the server receives a ClientHello without the extension, it SHOULD abort the handshake if it
    /// does not wish to interoperate with legacy clients." Every WebRTC client sends it, so it is required.
    /// </summary>
    public override bool RequiresExtendedMasterSecret() => true;

    public override int GetHandshakeTimeoutMillis() => (int)handshakeTimeout.TotalMilliseconds;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        // RFC 5764 §4.1.1: "The server MUST NOT select a value that the client has not offered. If there is no shared
        // profile, the server SHOULD NOT return the use_srtp extension [...]. If that is not acceptable, the server
        // SHOULD return an appropriate DTLS alert." Without SRTP there is no media, so it is not acceptable.
        var offered = clientExtensions is null ? null : TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is null)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client did not offer use_srtp.");
        }

        var shared = Array.FindIndex(OurSrtpProfiles, profile => Array.IndexOf(offered.ProtectionProfiles, (int)profile) >= 0);
        if (shared < 0)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "No SRTP protection profile in common with the client.");
        }

        _srtpProfile = OurSrtpProfiles[shared];
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        // RFC 5764 §4.1.1: "The extension_data field MUST contain a UseSRTPData value with a single
        // SRTPProtectionProfile value that the server has chosen for use with this connection." An empty srtp_mki
        // says that this server does not use MKIs.
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_srtpProfile], []));
        return extensions;
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var signatureAlgorithm = TlsUtilities.ChooseSignatureAndHashAlgorithm(
            m_context, m_context.SecurityParameters.ClientSigAlgs, SignatureAlgorithm.ecdsa);
        var chain = new Certificate([crypto.CreateCertificate(certificate.Der.ToArray())]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, certificate.PrivateKey, chain, signatureAlgorithm);
    }

    /// <summary>
    /// RFC 5763 §5: "The certificate presented during the DTLS handshake MUST match the fingerprint exchanged via the
    /// signaling path in the SDP." The only way to see the client's certificate is to ask for one.
    /// </summary>
    public override CertificateRequest GetCertificateRequest() => new(
        [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
        TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context),
        certificateAuthorities: null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate.IsEmpty)
        {
            // RFC 5246 §7.4.6: without a client certificate the server MAY "respond with a fatal handshake_failure alert".
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client sent no certificate.");
        }

        // RFC 5763 §5: "If the fingerprint does not match the hashed certificate, then the endpoint MUST tear down the
        // media session immediately." Only the end-entity certificate is hashed; WebRTC certificates are self-signed,
        // so their validity dates and issuer mean nothing and are not checked. That the client holds
        // the certificate's key is proven by its CertificateVerify, which BouncyCastle checks.
        if (!DtlsFingerprint.MatchesAnyStrongest(clientFingerprints, clientCertificate.GetCertificateAt(0).GetEncoded()))
        {
            FingerprintMismatch = true;
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "The client's certificate does not match the offer's fingerprint.");
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();

        // RFC 5764 §4.2: the keys come from the TLS exporter (RFC 5705) with the label "EXTRACTOR-dtls_srtp" and no
        // context, 2 * (SRTPSecurityParams.master_key_len + SRTPSecurityParams.master_salt_len) bytes long.
        var material = m_context.ExportKeyingMaterial(
            ExporterLabel.dtls_srtp, context_value: null, SrtpProfiles.KeyingMaterialLength(_srtpProfile));
        Keys = new DtlsSrtpKeyingMaterial(_srtpProfile, material);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        CloseNotifyReceived |= alertDescription == AlertDescription.close_notify;
    }
}

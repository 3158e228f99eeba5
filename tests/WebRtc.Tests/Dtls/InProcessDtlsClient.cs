using System.Collections.Concurrent;
using Nio.WebRtc.Dtls;
using Nio.WebRtc.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Nio.WebRtc.Tests.Dtls;

/// <summary>
/// A DTLS-SRTP client built on BouncyCastle's own DtlsClientProtocol, wired to a <see cref="DtlsSession"/> in memory:
/// what the client sends goes into the session, what the session sends comes back to the client.
/// </summary>
internal sealed class InProcessDtlsClient : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _fromServer = new();
    private readonly ClientPeer _peer;
    private int _sent;

    public InProcessDtlsClient(
        DtlsCertificate certificate, int[]? srtpProfiles = null, bool offerExtendedMasterSecret = true, bool presentCertificate = true)
    {
        Certificate = certificate;
        _peer = new ClientPeer(
            new BcTlsCrypto(), certificate, srtpProfiles ?? [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80],
            offerExtendedMasterSecret, presentCertificate);
    }

    public DtlsCertificate Certificate { get; }

    /// <summary>Where the client's datagrams go; set before connecting.</summary>
    public DtlsSession? Server { get; set; }

    /// <summary>After this many datagrams the client keeps talking but nothing reaches the server (a peer gone mid-handshake).</summary>
    public int DeliverAtMost { get; set; } = int.MaxValue;

    /// <summary>The keying material the client exported, in RFC 5764 order.</summary>
    public byte[]? ExportedKeyingMaterial => _peer.Exported;

    public int? SelectedSrtpProfile => _peer.SelectedProfile;

    /// <summary>The alerts the server sent, in order.</summary>
    public IReadOnlyCollection<short> AlertsReceived => _peer.AlertsReceived;

    /// <summary>The DER of the certificate the server presented.</summary>
    public byte[]? ServerCertificate => _peer.ServerCertificate;

    /// <summary>The server's sends, in the shape <see cref="DtlsServer.TryAccept"/> takes.</summary>
    public void FromServer(ReadOnlySpan<byte> datagram) => _fromServer.Add(datagram.ToArray());

    /// <summary>Runs the client's handshake on a thread of its own (it blocks).</summary>
    public Task<DtlsTransport> ConnectAsync() => Task.Factory.StartNew(
        () => new DtlsClientProtocol().Connect(_peer, this), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public int GetReceiveLimit() => 1 << 16;

    public int GetSendLimit() => 1200;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_fromServer.TryTake(out var datagram, waitMillis == 0 ? Timeout.Infinite : waitMillis))
        {
            return -1;
        }

        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (Interlocked.Increment(ref _sent) <= DeliverAtMost)
        {
            Server!.Receive(buffer);
        }
    }

    public void Close()
    {
    }

    private sealed class ClientPeer(
        BcTlsCrypto crypto, DtlsCertificate certificate, int[] srtpProfiles, bool offerExtendedMasterSecret, bool presentCertificate)
        : DefaultTlsClient(crypto)
    {
        public byte[]? Exported { get; private set; }

        public int? SelectedProfile { get; private set; }

        public byte[]? ServerCertificate { get; private set; }

        public ConcurrentQueue<short> AlertsReceived { get; } = new();

        public override void NotifyAlertReceived(short alertLevel, short alertDescription)
        {
            base.NotifyAlertReceived(alertLevel, alertDescription);
            AlertsReceived.Enqueue(alertDescription);
        }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        public override bool ShouldUseExtendedMasterSecret() => offerExtendedMasterSecret;

        public override bool RequiresExtendedMasterSecret() => offerExtendedMasterSecret;

        public override IDictionary<int, byte[]> GetClientExtensions()
        {
            var extensions = base.GetClientExtensions();
            TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(srtpProfiles, []));
            return extensions;
        }

        public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            SelectedProfile = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)?.ProtectionProfiles.Single();
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            var profile = (SrtpProfile)SelectedProfile!.Value;
            Exported = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpProfiles.KeyingMaterialLength(profile));
        }

        public override TlsAuthentication GetAuthentication() => new ClientAuthentication(this);

        private TlsCredentials? Credentials(CertificateRequest request)
        {
            if (!presentCertificate)
            {
                return null;
            }

            var chain = new Certificate([crypto.CreateCertificate(certificate.Der.ToArray())]);
            var signatureAlgorithm = TlsUtilities.ChooseSignatureAndHashAlgorithm(m_context, request.SupportedSignatureAlgorithms, SignatureAlgorithm.ecdsa);
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, certificate.PrivateKey, chain, signatureAlgorithm);
        }

        private sealed class ClientAuthentication(ClientPeer peer) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
                peer.ServerCertificate = serverCertificate.Certificate.GetCertificateAt(0).GetEncoded();

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => peer.Credentials(certificateRequest);
        }
    }
}

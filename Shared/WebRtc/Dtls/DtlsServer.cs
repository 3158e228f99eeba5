using System.Diagnostics.CodeAnalysis;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// The process's DTLS-SRTP server: its certificate, the bound on handshakes running at once, and the one thread that
/// reads what peers send after their handshake (close_notify, retransmitted Finished messages).
/// </summary>
public sealed class DtlsServer : IDisposable
{
    private readonly DtlsServerOptions _options;
    private readonly TimeProvider _time;
    private int _activeHandshakes;

    public DtlsServer(DtlsCertificate certificate, DtlsServerOptions options, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentHandshakes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HandshakeTimeout, TimeSpan.Zero);
        Certificate = certificate;
        _options = options;
        _time = time ?? TimeProvider.System;
        Records = new PostHandshakeRecords();
    }

    /// <summary>The certificate every session presents; its fingerprint goes into every SDP answer.</summary>
    public DtlsCertificate Certificate { get; }

    /// <summary>Handshakes running now.</summary>
    public int ActiveHandshakes => Volatile.Read(ref _activeHandshakes);

    internal PostHandshakeRecords Records { get; }

    /// <summary>
    /// Starts a handshake with a peer, on a thread of its own, if fewer than
    /// <see cref="DtlsServerOptions.MaxConcurrentHandshakes"/> are running; false otherwise. Call it when the peer's
    /// first DTLS datagram arrives and then pass that datagram to <see cref="DtlsSession.Receive"/>: a refused peer's
    /// ClientHello is simply dropped, and its retransmission may find a free slot.
    /// </summary>
    /// <param name="clientFingerprints">The <c>a=fingerprint</c> values of the peer's SDP offer.</param>
    /// <param name="send">Sends a datagram to the peer (through the one UDP socket); must not block.</param>
    public bool TryAccept(IReadOnlyCollection<DtlsFingerprint> clientFingerprints, DtlsSend send, [NotNullWhen(true)] out DtlsSession? session)
    {
        session = null;
        if (Interlocked.Increment(ref _activeHandshakes) > _options.MaxConcurrentHandshakes)
        {
            Interlocked.Decrement(ref _activeHandshakes);
            return false;
        }

        try
        {
            session = new DtlsSession(this, clientFingerprints, send, _options.HandshakeTimeout, _time);
            session.StartHandshake();
            return true;
        }
        catch
        {
            Interlocked.Decrement(ref _activeHandshakes);
            throw;
        }
    }

    internal void HandshakeEnded() => Interlocked.Decrement(ref _activeHandshakes);

    public void Dispose() => Records.Dispose();
}

using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// DTLS-SRTP with one peer, this side being the server (the SDP answer's <c>a=setup:passive</c>). The owner pushes in
/// the DTLS datagrams the UDP socket received from the peer (RFC 7983: first byte 20–63) and learns the outcome from
/// <see cref="Connected"/> and <see cref="Closed"/>. Disposing it sends close_notify and frees what it holds.
/// </summary>
public sealed class DtlsSession : IDisposable
{
    private readonly DtlsServer _server;
    private readonly CancellationTokenSource _abandon;
    private readonly DatagramQueue _datagrams;
    private readonly DtlsSrtpTlsServer _tls;
    private readonly TaskCompletionSource<DtlsSrtpKeyingMaterial> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DtlsSessionEnd> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private DtlsTransport? _transport;
    private int _scheduled;

    internal DtlsSession(
        DtlsServer server, IReadOnlyCollection<DtlsFingerprint> clientFingerprints, DtlsSend send, TimeSpan handshakeTimeout, TimeProvider time)
    {
        _server = server;
        // The deadline: the handshake must finish within it, or its thread gives up waiting for datagrams.
        _abandon = new CancellationTokenSource(handshakeTimeout, time);
        _datagrams = new DatagramQueue(send, _abandon.Token);
        _tls = new DtlsSrtpTlsServer(new BcTlsCrypto(), server.Certificate, clientFingerprints, handshakeTimeout);
    }

    /// <summary>
    /// Completes with the SRTP profile and keying material when the handshake succeeds (make the peer's
    /// <see cref="Srtp.SrtpSession"/> with <see cref="DtlsSrtpKeyingMaterial.CreateSrtpSession"/>); is cancelled when
    /// the session ends before that.
    /// </summary>
    public Task<DtlsSrtpKeyingMaterial> Connected => _connected.Task;

    /// <summary>Completes when the session ends, for whatever reason: the owner then ends the peer's media session.</summary>
    public Task<DtlsSessionEnd> Closed => _closed.Task;

    /// <summary>Takes a DTLS datagram the peer sent; never blocks. Datagrams beyond a small queue are dropped.</summary>
    public void Receive(ReadOnlySpan<byte> datagram)
    {
        if (_closed.Task.IsCompleted || !_datagrams.TryEnqueue(datagram))
        {
            return;
        }

        if (Volatile.Read(ref _transport) is not null)
        {
            _server.Records.Schedule(this);
        }
    }

    /// <summary>Sends close_notify if the handshake finished, and ends the session.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                return;
            }

            try
            {
                _transport?.Close();
            }
            catch (IOException)
            {
                // The peer is told nothing; the session ends all the same.
            }

            End(DtlsEndReason.ClosedLocally, "Closed by its owner.");
        }
    }

    internal void StartHandshake() => new Thread(RunHandshake) { IsBackground = true, Name = "DTLS handshake" }.Start();

    internal bool TryMarkScheduled() => Interlocked.Exchange(ref _scheduled, 1) == 0;

    /// <summary>Feeds the queued datagrams of a connected session to BouncyCastle (on the records thread).</summary>
    internal void ReadPending(byte[] plaintext)
    {
        Volatile.Write(ref _scheduled, 0);
        lock (_gate)
        {
            if (_transport is null || _closed.Task.IsCompleted)
            {
                return;
            }

            try
            {
                while (_datagrams.HasPending && !_tls.CloseNotifyReceived)
                {
                    // BouncyCastle reads a wait of 0 as "forever"; one millisecond returns once the queue is empty.
                    // Application data (there is none without data channels) is read and dropped.
                    _transport.Receive(plaintext, 0, plaintext.Length, waitMillis: 1);
                }

                if (_tls.CloseNotifyReceived)
                {
                    End(DtlsEndReason.ClosedByPeer, "The peer sent close_notify.");
                }
            }
            catch (TlsFatalAlertReceived alert)
            {
                End(DtlsEndReason.AlertFromPeer, "The peer sent the fatal alert " + AlertDescription.GetText(alert.AlertDescription) + ".");
            }
            catch (Exception failure)
            {
                // Whatever BouncyCastle throws ends this session only, never the records thread.
                End(DtlsEndReason.Failed, failure.Message);
            }
        }
    }

    private void RunHandshake()
    {
        try
        {
            var transport = new DtlsServerProtocol().Accept(_tls, _datagrams);
            lock (_gate)
            {
                // The deadline was for the handshake; it must not abandon the connected session.
                _abandon.CancelAfter(Timeout.InfiniteTimeSpan);
                if (_closed.Task.IsCompleted || _abandon.IsCancellationRequested)
                {
                    End(DtlsEndReason.HandshakeTimedOut, "The handshake finished after its deadline.");
                    return;
                }

                _transport = transport;
            }

            _connected.TrySetResult(_tls.Keys!);
            if (_datagrams.HasPending)
            {
                _server.Records.Schedule(this);
            }
        }
        catch (Exception failure)
        {
            // Everything is caught: an exception escaping a thread would end the process.
            End(Classify(failure));
        }
        finally
        {
            _server.HandshakeEnded();
        }
    }

    private DtlsSessionEnd Classify(Exception failure) => failure switch
    {
        _ when _tls.FingerprintMismatch => new(DtlsEndReason.FingerprintMismatch, failure.Message),
        DtlsAbandonedException or TlsTimeoutException => new(DtlsEndReason.HandshakeTimedOut, "No handshake within the deadline."),
        TlsFatalAlertReceived alert => new(DtlsEndReason.HandshakeFailed, "The peer sent the fatal alert " + AlertDescription.GetText(alert.AlertDescription) + "."),
        _ => new(DtlsEndReason.HandshakeFailed, failure.Message),
    };

    private void End(DtlsEndReason reason, string detail) => End(new DtlsSessionEnd(reason, detail));

    private void End(DtlsSessionEnd end)
    {
        if (!_closed.TrySetResult(end))
        {
            return;
        }

        _connected.TrySetCanceled();
        // Wakes a handshake thread waiting for a datagram, so it ends now rather than at its deadline.
        _abandon.Cancel();
    }
}

using System.Collections.Concurrent;

namespace Nio.WebRtc.Dtls;

/// <summary>
/// One thread that feeds BouncyCastle what connected peers still send over DTLS. BouncyCastle only reads with a wait
/// (at least a millisecond), so this must not happen on the caller's thread, which serves every peer's media.
/// </summary>
internal sealed class PostHandshakeRecords : IDisposable
{
    private readonly BlockingCollection<DtlsSession> _ready = new();
    private readonly CancellationTokenSource _stop = new();

    public PostHandshakeRecords()
    {
        new Thread(Run) { IsBackground = true, Name = "DTLS records" }.Start();
    }

    /// <summary>Asks for the session's queued datagrams to be read; a session is queued at most once at a time.</summary>
    public void Schedule(DtlsSession session)
    {
        if (session.TryMarkScheduled() && !_stop.IsCancellationRequested)
        {
            _ready.Add(session);
        }
    }

    private void Run()
    {
        var plaintext = new byte[DatagramQueue.MaxDatagramLength];
        try
        {
            foreach (var session in _ready.GetConsumingEnumerable(_stop.Token))
            {
                session.ReadPending(plaintext);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public void Dispose() => _stop.Cancel();
}

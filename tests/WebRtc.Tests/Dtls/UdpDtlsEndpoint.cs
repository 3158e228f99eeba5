using System.Net;
using System.Net.Sockets;
using Nio.WebRtc.Dtls;

namespace Nio.WebRtc.Tests.Dtls;

/// <summary>
/// A UDP socket on loopback that hands what one peer sends to a <see cref="DtlsSession"/> (accepted on the first
/// datagram, as the Ingest will) and sends the session's datagrams back to that peer.
/// </summary>
internal sealed class UdpDtlsEndpoint : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<DtlsSession> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public UdpDtlsEndpoint(DtlsServer server, IReadOnlyCollection<DtlsFingerprint> clientFingerprints)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = ReceiveAsync(server, clientFingerprints);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>The session, once the peer's first datagram arrived.</summary>
    public Task<DtlsSession> Accepted => _accepted.Task;

    /// <summary>When the first datagram arrived: the handshake's start.</summary>
    public DateTime FirstDatagramAt { get; private set; }

    private async Task ReceiveAsync(DtlsServer server, IReadOnlyCollection<DtlsFingerprint> clientFingerprints)
    {
        var buffer = new byte[65536];
        DtlsSession? session = null;
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                if (session is null)
                {
                    FirstDatagramAt = DateTime.UtcNow;
                    var peer = received.RemoteEndPoint;
                    if (!server.TryAccept(clientFingerprints, datagram => _socket.SendTo(datagram, SocketFlags.None, peer), out session))
                    {
                        continue;
                    }

                    _accepted.SetResult(session);
                }

                session.Receive(buffer.AsSpan(0, received.ReceivedBytes));
            }
        }
        catch (OperationCanceledException)
        {
            session?.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}

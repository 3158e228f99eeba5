using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Nio.Ingest.Rtmp;

/// <summary>
/// While a connection publishes, asks the kernel to wake the Ingest for its socket only once about
/// <see cref="BatchMilliseconds"/> of the publisher's bytes have arrived (SO_RCVLOWAT), instead of for each of the
/// small segments FFmpeg and OBS write (about 200 a second at 2.5 Mb/s): the wake-ups, reads and the ACKs they send
/// cost far more than relaying the bytes. The mark follows the publisher's rate on Kestrel's once-a-second heartbeat,
/// and is one byte before publishing and after a second without a read: commands are answered at once, and a publisher
/// that suddenly slows down has its bytes held back a second or two at worst, until the mark has caught up.
/// </summary>
public sealed class ReceiveBatching
{
    public const int BatchMilliseconds = 20;

    /// <summary>Caps the bytes a read waits for (and the receive buffer the kernel grows to hold twice that).</summary>
    public const int MaxLowWaterMark = 64 * 1024;

    private readonly Lock gate = new();
    private readonly Socket socket;
    private long received;
    private bool publishing;
    private long receivedAtLastBeat;
    private long lastBeat = Environment.TickCount64;
    private int lowWaterMark = 1;
    private bool stopped;

    private ReceiveBatching(Socket socket) => this.socket = socket;

    /// <summary>Starts batching the connection's reads; nothing when its transport has no socket or no heartbeat.</summary>
    public static ReceiveBatching? Attach(ConnectionContext connection)
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        var heartbeat = connection.Features.Get<IConnectionHeartbeatFeature>();
        if (socket is null || heartbeat is null)
        {
            return null;
        }

        var batching = new ReceiveBatching(socket);
        heartbeat.OnHeartbeat(static state => ((ReceiveBatching)state).Adjust(), batching);
        return batching;
    }

    /// <summary>The bytes a read should wait for at a publisher's rate: <see cref="BatchMilliseconds"/> of them.</summary>
    public static int LowWaterMark(long bytesPerSecond) =>
        (int)Math.Clamp(bytesPerSecond * BatchMilliseconds / 1000, 1, MaxLowWaterMark);

    /// <summary>Counts one read's bytes; called from the connection's reads only.</summary>
    public void Read(long bytes, bool whilePublishing)
    {
        lock (gate)
        {
            received += bytes;
            publishing = whilePublishing;
        }
    }

    private void Adjust()
    {
        lock (gate)
        {
            if (stopped)
            {
                return;
            }

            var now = Environment.TickCount64;
            var elapsed = Math.Max(now - lastBeat, 1);
            var mark = publishing ? LowWaterMark((received - receivedAtLastBeat) * 1000 / elapsed) : 1;
            receivedAtLastBeat = received;
            lastBeat = now;
            if (mark == lowWaterMark)
            {
                return;
            }

            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater, mark);
                lowWaterMark = mark;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The socket closed meanwhile, or its platform cannot batch receives: its reads stay as they are.
                stopped = true;
            }
        }
    }
}

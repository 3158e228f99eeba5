using System.Net;
using System.Net.Sockets;

namespace Nio.TestSupport;

/// <summary>
/// A TCP proxy on a loopback port in front of a real service, which a test can make stop answering: while stalled it
/// still accepts connections, but no byte goes through in either direction, as with a service that hangs (a stopped
/// process, a full backlog, a network that drops packets). <see cref="Resume"/> lets everything through again.
/// </summary>
public sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private readonly Lock gate = new();
    private TaskCompletionSource flowing = Flowing();

    public StallingProxy(int upstreamPort)
    {
        this.upstreamPort = upstreamPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>From now on nothing goes through, on open connections and new ones alike.</summary>
    public void Stall()
    {
        lock (gate)
        {
            if (flowing.Task.IsCompleted)
            {
                flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Resume()
    {
        lock (gate)
        {
            flowing.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Resume();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
    }

    private static TaskCompletionSource Flowing()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private Task WhileStalled()
    {
        lock (gate)
        {
            return flowing.Task;
        }
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stopping.Token);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                var pumps = new[] { PumpAsync(client.GetStream(), upstream.GetStream(), either.Token), PumpAsync(upstream.GetStream(), client.GetStream(), either.Token) };
                await Task.WhenAny(pumps);
                // One side closed: close the other too, as a plain connection would.
                await either.CancelAsync();
                await Task.WhenAll(pumps).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
            {
                // The service or the client went away.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await WhileStalled().WaitAsync(cancellationToken);
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            // Closed on either side.
        }
    }
}

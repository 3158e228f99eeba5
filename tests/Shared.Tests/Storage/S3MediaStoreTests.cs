using System.Net;
using System.Net.Sockets;
using Nio.Shared.Storage;
using Nio.TestSupport;

namespace Nio.Shared.Tests.Storage;

/// <remarks>
/// Concurrent overwrites of one key are not tested here: S3 and MinIO replace an object atomically on PUT, but
/// s3rver writes its file in place, so a test of that guarantee would only test s3rver.
/// </remarks>
public sealed class S3MediaStoreTests(S3rver s3rver) : MediaStoreContract, IClassFixture<S3rver>
{
    // Each test class instance gets a bucket of its own, so tests never see each other's objects.
    protected override IMediaStore Store { get; } = new S3MediaStore(s3rver.NewBucket());

    [Fact]
    public void Missing_endpoint_or_keys_fail_at_start_up_with_a_clear_message()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new S3MediaStore(new S3Options { Endpoint = "127.0.0.1:1" }));
        Assert.Contains("NIO_S3_ACCESS_KEY", exception.Message);
    }

    [Fact]
    public async Task Requests_whose_connection_breaks_before_the_answer_are_sent_again()
    {
        var options = s3rver.NewBucket();
        await new S3MediaStore(options).WriteAsync("live/a/source/init.mp4", new byte[] { 1, 2, 3 }, "video/mp4", default);
        using var proxy = new ConnectionBreakingProxy(s3rver.Port, brokenConnections: 2);
        options.Endpoint = $"127.0.0.1:{proxy.Port}";

        Assert.Equal(new byte[] { 1, 2, 3 }, await new S3MediaStore(options).ReadAsync("live/a/source/init.mp4", default));
        Assert.Equal(2, proxy.BrokenSoFar);
    }

    /// <summary>
    /// Forwards connections to s3rver, except that the first few it accepts are reset as soon as a request arrives: what
    /// a client sees when the server closes a kept-alive connection just as a request goes out, or restarts.
    /// </summary>
    private sealed class ConnectionBreakingProxy : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly int target;
        private int toBreak;
        private int broken;

        public ConnectionBreakingProxy(int target, int brokenConnections)
        {
            this.target = target;
            toBreak = brokenConnections;
            listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int BrokenSoFar => Volatile.Read(ref broken);

        public void Dispose() => listener.Stop();

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptSocketAsync();
                }
                catch (Exception) when (!listener.Server.IsBound)
                {
                    return;
                }

                _ = Interlocked.Decrement(ref toBreak) >= 0 ? BreakAsync(client) : ForwardAsync(client);
            }
        }

        private async Task BreakAsync(Socket client)
        {
            await client.ReceiveAsync(new byte[1024]);
            Interlocked.Increment(ref broken);
            client.LingerState = new LingerOption(true, 0);
            client.Close();
        }

        private async Task ForwardAsync(Socket client)
        {
            using var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, target);
            using var clientStream = new NetworkStream(client, ownsSocket: true);
            var serverStream = server.GetStream();
            await Task.WhenAny(clientStream.CopyToAsync(serverStream), serverStream.CopyToAsync(clientStream));
        }
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Nio.Ingest.Rtmp;

namespace Nio.Ingest.Tests.Rtmp;

/// <summary>
/// A raw RTMP client that speaks the real wire protocol as far as a test needs: from a chosen loopback address (the
/// Ingest counts connections per address), the handshake, commands and media, and whether the server closed it.
/// </summary>
public sealed class RtmpTestPeer : IDisposable
{
    private readonly TcpClient client;
    private readonly ChunkStreamReader replies = new();
    private readonly List<byte> unread = [];

    private RtmpTestPeer(TcpClient client) => this.client = client;

    private NetworkStream Stream => client.GetStream();

    /// <param name="from">The local address to connect from, any of 127.0.0.0/8; 127.0.0.1 when not given.</param>
    public static async Task<RtmpTestPeer> ConnectAsync(int port, string from = "127.0.0.1")
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(from), 0));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return new RtmpTestPeer(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The simple handshake (C0+C1, S0+S1+S2, C2); false when the server closed the connection instead.</summary>
    public async Task<bool> TryHandshakeAsync()
    {
        await SendAsync([3, .. new byte[Handshake.PacketSize]]);
        var answer = new byte[1 + 2 * Handshake.PacketSize];
        try
        {
            await Stream.ReadExactlyAsync(answer);
        }
        catch (Exception exception) when (exception is IOException or EndOfStreamException)
        {
            return false;
        }

        Assert.Equal(3, answer[0]);
        await SendAsync(answer.AsSpan(1, Handshake.PacketSize).ToArray());
        return true;
    }

    public async Task HandshakeAsync() => Assert.True(await TryHandshakeAsync(), "the server closed the connection during the handshake");

    /// <summary>Sends the bytes; a server that already closed the connection is no error here (that may be the point).</summary>
    public async Task SendAsync(byte[] bytes) => await TrySendAsync(bytes, Timeout.InfiniteTimeSpan);

    public Task SendAsync(Action<ChunkStreamWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ChunkStreamWriter(buffer));
        return SendAsync(buffer.WrittenSpan.ToArray());
    }

    /// <summary>True when all the bytes were sent, false when the server closed the connection first; fails after the timeout.</summary>
    public async Task<bool> TrySendAsync(byte[] bytes, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await Stream.WriteAsync(bytes, cancellation.Token);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"the server neither took {bytes.Length} bytes nor closed the connection within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>Sends <c>connect</c> to the <c>live</c> application.</summary>
    public Task SendConnectAsync() => SendAsync(ConnectCommand);

    /// <summary>connect, createStream and publish with the key, written at once, then the code of the publish's onStatus.</summary>
    public async Task<string?> PublishAsync(string key, Action<ChunkStreamWriter>? followedBy = null)
    {
        await SendAsync(writer =>
        {
            ConnectCommand(writer);
            writer.WriteCommand(0, "createStream", 2.0, null);
            writer.WriteCommand(1, "publish", 3.0, null, key, "live");
            followedBy?.Invoke(writer);
        });
        return await StatusCodeAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The code of the next onStatus the server sends, or null when it closes the connection first.</summary>
    public async Task<string?> StatusCodeAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            if (TryReadStatusCode(out var code))
            {
                return code;
            }

            int read;
            try
            {
                read = await Stream.ReadAsync(buffer, cancellation.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            unread.AddRange(buffer.AsSpan(0, read));
        }
    }

    /// <summary>True when the server ends the connection (end of stream or reset) within the timeout.</summary>
    public async Task<bool> ClosedByServerAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await Stream.ReadAsync(buffer, cancellation.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        client.Dispose();
        replies.Dispose();
    }

    private static void ConnectCommand(ChunkStreamWriter writer) =>
        writer.WriteCommand(0, "connect", 1.0, new Dictionary<string, object?> { ["app"] = "live", ["type"] = "nonprivate" });

    private bool TryReadStatusCode(out string? code)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(unread.ToArray()));
        code = null;
        while (code is null && replies.TryReadMessage(ref reader, out var message))
        {
            if (message.Type == MessageType.SetChunkSize)
            {
                replies.SetChunkSize(BinaryPrimitives.ReadUInt32BigEndian(message.Payload.Span));
            }
            else if (message.Type == MessageType.CommandAmf0
                && Amf0.ReadAll(message.Payload.Span) is ["onStatus", _, _, IReadOnlyDictionary<string, object?> info, ..])
            {
                code = info.GetValueOrDefault("code") as string;
            }

            message.Payload.Release();
        }

        unread.RemoveRange(0, (int)reader.Consumed);
        return code is not null;
    }
}

using System.Buffers;
using System.Net.Sockets;
using Nio.Api.Streams;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Rtmp;

/// <summary>What a broken or malicious peer can do to the RTMP port: close its own connection, nothing more.</summary>
[Collection(IngestCollection.Name)]
public sealed class HostileClientTests(IngestFixture ingest)
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Random_bytes_close_their_connections_while_a_real_publisher_streams_on()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, TimeSpan.FromSeconds(10));

        var random = new Random(1935);
        for (var i = 0; i < 30; i++)
        {
            var bytes = new byte[random.Next(1, 8192)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                bytes[0] = 3; // a valid version, so the garbage reaches the handshake and chunk parsers
            }

            using var client = await ConnectAsync();
            if (i % 3 == 0 && bytes.Length > 1)
            {
                await HandshakeAsync(client);
            }

            await SendAsync(client, bytes);
            Assert.True(await ClosedByServerAsync(client, CloseWithin), $"connection {i} was not closed");
        }

        Assert.False(publisher.HasExited, publisher.Output);
        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
        Assert.Contains("video:h264", await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ApiFactory.IngestSecret));
    }

    [Fact]
    public async Task A_wrong_handshake_version_is_closed_at_once()
    {
        using var client = await ConnectAsync();
        await SendAsync(client, [6, .. new byte[Handshake.PacketSize]]);
        Assert.True(await ClosedByServerAsync(client, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_truncated_handshake_is_closed_after_the_handshake_timeout()
    {
        using var client = await ConnectAsync();
        await SendAsync(client, [3, .. new byte[100]]);
        Assert.True(await ClosedByServerAsync(client, CloseWithin));
    }

    [Fact]
    public async Task A_silent_client_is_closed_after_the_idle_timeout()
    {
        using var client = await ConnectAsync();
        await HandshakeAsync(client);
        Assert.True(await ClosedByServerAsync(client, CloseWithin));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(ChunkStreamReader.MaxChunkSize + 1u)]
    public async Task A_chunk_size_outside_the_bounds_closes_the_connection(uint chunkSize)
    {
        using var client = await ConnectAsync();
        await HandshakeAsync(client);
        var buffer = new ArrayBufferWriter<byte>();
        new ChunkStreamWriter(buffer).WriteControl(MessageType.SetChunkSize, chunkSize);
        await SendAsync(client, buffer.WrittenSpan.ToArray());
        Assert.True(await ClosedByServerAsync(client, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_message_that_lies_about_its_length_ends_with_its_connection()
    {
        using var client = await ConnectAsync();
        await HandshakeAsync(client);
        // Announces a 16 MiB video message, sends a few bytes of it and goes quiet.
        await SendAsync(client, [0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, MessageType.Video, 1, 0, 0, 0, 0x17, 0x01]);
        Assert.True(await ClosedByServerAsync(client, CloseWithin));
    }

    [Fact]
    public async Task Publishing_before_connect_is_a_protocol_error()
    {
        using var client = await ConnectAsync();
        await HandshakeAsync(client);
        var buffer = new ArrayBufferWriter<byte>();
        new ChunkStreamWriter(buffer).WriteCommand(1, "publish", 0.0, null, "nio_key", "live");
        await SendAsync(client, buffer.WrittenSpan.ToArray());
        Assert.True(await ClosedByServerAsync(client, TimeSpan.FromSeconds(1)));
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", ingest.RtmpPort);
        return client;
    }

    private static async Task HandshakeAsync(TcpClient client)
    {
        await SendAsync(client, [3, .. new byte[Handshake.PacketSize]]);
        var answer = new byte[1 + 2 * Handshake.PacketSize];
        await client.GetStream().ReadExactlyAsync(answer);
        Assert.Equal(3, answer[0]);
        await SendAsync(client, answer.AsSpan(1, Handshake.PacketSize).ToArray());
    }

    private static async Task SendAsync(TcpClient client, byte[] bytes)
    {
        try
        {
            await client.GetStream().WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The server may already have closed the connection: that is the point.
        }
    }

    /// <summary>True when the server ends the connection (end of stream or reset) within the timeout.</summary>
    private static async Task<bool> ClosedByServerAsync(TcpClient client, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await client.GetStream().ReadAsync(buffer, cancellation.Token) > 0)
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
}

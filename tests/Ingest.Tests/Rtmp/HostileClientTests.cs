using System.Diagnostics;
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

            using var peer = await ConnectAsync();
            if (i % 3 == 0 && bytes.Length > 1)
            {
                await peer.HandshakeAsync();
            }

            await peer.SendAsync(bytes);
            Assert.True(await peer.ClosedByServerAsync(CloseWithin), $"connection {i} was not closed");
        }

        Assert.False(publisher.HasExited, publisher.Output);
        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
        Assert.Contains("video:h264", await MediaProbe.CodecsAsync(ingest.FlvUrl(stream.Id), ingest.TranscoderSecret));
    }

    [Fact]
    public async Task A_wrong_handshake_version_is_closed_at_once()
    {
        using var peer = await ConnectAsync();
        await peer.SendAsync([6, .. new byte[Handshake.PacketSize]]);
        Assert.True(await peer.ClosedByServerAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_truncated_handshake_is_closed_after_the_handshake_timeout()
    {
        using var peer = await ConnectAsync();
        await peer.SendAsync([3, .. new byte[100]]);
        Assert.True(await peer.ClosedByServerAsync(CloseWithin));
    }

    [Fact]
    public async Task A_silent_client_is_closed_after_the_idle_timeout()
    {
        using var peer = await ConnectAsync();
        await peer.HandshakeAsync();
        Assert.True(await peer.ClosedByServerAsync(CloseWithin));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(ChunkStreamReader.MaxChunkSize + 1u)]
    public async Task A_chunk_size_outside_the_bounds_closes_the_connection(uint chunkSize)
    {
        using var peer = await ConnectAsync();
        await peer.HandshakeAsync();
        await peer.SendAsync(writer => writer.WriteControl(MessageType.SetChunkSize, chunkSize));
        Assert.True(await peer.ClosedByServerAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_message_that_lies_about_its_length_ends_with_its_connection()
    {
        using var peer = await ConnectAsync();
        await peer.HandshakeAsync();
        // Announces a 16 MiB video message, sends a few bytes of it and goes quiet.
        await peer.SendAsync([0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, MessageType.Video, 1, 0, 0, 0, 0x17, 0x01]);
        Assert.True(await peer.ClosedByServerAsync(CloseWithin));
    }

    [Fact]
    public async Task Thirty_keyless_connections_sending_most_of_a_16_MiB_message_are_cut_off_and_memory_stays_bounded()
    {
        // After the handshake, no connect and no key: one 16 MiB audio message in one chunk, of which 15 MB are sent.
        // Ten connections per address (below the cap on connections per address), so each one reaches the buffer limit.
        var peers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: $"127.0.0.{2 + i / 10}")));
        try
        {
            var payload = new byte[15_000_000];
            var residentBefore = ResidentBytes();

            var allSent = await Task.WhenAll(peers.Select(async peer =>
            {
                await peer.HandshakeAsync();
                await peer.SendAsync(writer => writer.WriteControl(MessageType.SetChunkSize, ChunkStreamReader.MaxChunkSize));
                await peer.SendAsync([0x04, 0, 0, 0, 0xFF, 0xFF, 0xFF, MessageType.Audio, 1, 0, 0, 0]);
                return await peer.TrySendAsync(payload, CloseWithin);
            }));

            // Measured while every connection is still open on the client's side, as the Ingest would hold their bytes.
            var growth = ResidentBytes() - residentBefore;
            Assert.All(allSent, sent => Assert.False(sent, "the Ingest took 15 MB of a message from a connection without a key"));
            Assert.True(growth < 200_000_000, $"the process grew by {growth / 1_000_000} MB");
        }
        finally
        {
            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    [Fact]
    public async Task Publishing_before_connect_is_a_protocol_error()
    {
        using var peer = await ConnectAsync();
        await peer.HandshakeAsync();
        await peer.SendAsync(writer => writer.WriteCommand(1, "publish", 0.0, null, "nio_key", "live"));
        Assert.True(await peer.ClosedByServerAsync(TimeSpan.FromSeconds(1)));
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private Task<RtmpTestPeer> ConnectAsync() => RtmpTestPeer.ConnectAsync(ingest.RtmpPort);
}

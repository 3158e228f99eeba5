using Nio.Api.Streams;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;
using static Nio.Ingest.Tests.Infrastructure.LimitedIngestFixture;

namespace Nio.Ingest.Tests.Rtmp;

/// <summary>
/// Who gets an RTMP connection and for how long: a connection that does not publish is closed at a deadline, each
/// address and all addresses together have a cap on connections, an address that keeps presenting wrong keys is
/// refused for a while, and only an accepted key opens the large buffers media needs.
/// </summary>
[Collection(LimitedIngestCollection.Name)]
public sealed class AdmissionTests(LimitedIngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_connection_that_has_not_published_by_the_deadline_is_closed_though_it_keeps_talking()
    {
        using var peer = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: "127.0.0.11");
        await peer.HandshakeAsync();
        await peer.SendConnectAsync();
        using var stop = new CancellationTokenSource();
        var talking = Task.Run(async () =>
        {
            // Harmless control messages twice a second: never idle, never publishing.
            while (!stop.IsCancellationRequested)
            {
                await peer.SendAsync(writer => writer.WriteControl(MessageType.WindowAckSize, 2_500_000));
                await Task.Delay(500);
            }
        });

        var closed = await peer.ClosedByServerAsync(TimeSpan.FromSeconds(PublishDeadlineSeconds) + Soon);
        await stop.CancelAsync();
        await talking;

        Assert.True(closed, "a connection that never published was still open well after the deadline");
    }

    [Fact]
    public async Task An_address_gets_no_more_connections_than_its_cap_and_gets_one_back_when_one_closes()
    {
        var held = new List<RtmpTestPeer>();
        try
        {
            for (var i = 0; i < ConnectionsPerAddress; i++)
            {
                held.Add(await HandshakenFromAsync("127.0.0.21"));
            }

            using (var oneTooMany = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: "127.0.0.21"))
            {
                Assert.False(await oneTooMany.TryHandshakeAsync(), "the address got one connection more than its cap");
            }

            using (var otherAddress = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: "127.0.0.22"))
            {
                Assert.True(await otherAddress.TryHandshakeAsync(), "another address was refused too");
            }

            held[0].Dispose();
            held.RemoveAt(0);
            await Wait.UntilAsync(async () =>
            {
                using var again = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: "127.0.0.21");
                return await again.TryHandshakeAsync();
            }, Soon, "the address did not get its place back after a connection closed");
        }
        finally
        {
            held.ForEach(peer => peer.Dispose());
        }
    }

    [Fact]
    public async Task The_total_cap_refuses_the_next_connection_from_any_address()
    {
        // Connections of earlier tests may still be closing (a publisher's offline report is retried while the Api is
        // away): fill the Ingest once they are gone.
        string[] addresses = ["127.0.0.31", "127.0.0.32", "127.0.0.33"];
        List<RtmpTestPeer>? held = null;
        await Wait.UntilAsync(async () => (held = await TryOpenAsync(Enumerable.Range(0, Connections).Select(i => addresses[i % addresses.Length]))) is not null,
            TimeSpan.FromSeconds(45), "the Ingest did not take its full number of connections");
        try
        {
            using var oneTooMany = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: "127.0.0.34");
            Assert.False(await oneTooMany.TryHandshakeAsync(), "the Ingest took a connection beyond its total cap");
        }
        finally
        {
            held!.ForEach(peer => peer.Dispose());
        }
    }

    [Fact]
    public async Task After_a_few_refused_keys_an_address_is_refused_even_the_right_key_while_other_addresses_publish()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        for (var i = 0; i < RefusedKeysPerMinute; i++)
        {
            using var guesser = await HandshakenFromAsync("127.0.0.41");
            Assert.Equal("NetStream.Publish.BadName", await guesser.PublishAsync("nio_" + new string((char)('a' + i), 43)));
        }

        using (var throttled = await HandshakenFromAsync("127.0.0.41"))
        {
            Assert.Equal("NetStream.Publish.Failed", await throttled.PublishAsync(stream.StreamKey));
        }

        using var elsewhere = await HandshakenFromAsync("127.0.0.42");
        Assert.Equal("NetStream.Publish.Start", await elsewhere.PublishAsync(stream.StreamKey));
    }

    [Fact]
    public async Task A_publisher_whose_key_was_accepted_streams_on_past_the_deadline()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: (int)PublishDeadlineSeconds + 4);

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        Assert.True(await publisher.WaitForExitAsync(Soon + Soon), publisher.Output);
        Assert.True(publisher.ExitCode == 0, publisher.Output);
    }

    [Fact]
    public async Task Once_the_key_is_accepted_a_large_message_sent_right_behind_the_publish_is_taken()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var peer = await HandshakenFromAsync("127.0.0.51");
        var keyframe = new byte[1_000_000];
        keyframe[0] = 0x17;

        // Written with connect, createStream and publish before any answer: the key is checked before the frame is read.
        Assert.Equal("NetStream.Publish.Start", await peer.PublishAsync(stream.StreamKey, writer => writer.Write(6, MessageType.Video, 1, 0, keyframe)));
        Assert.False(await peer.ClosedByServerAsync(TimeSpan.FromSeconds(2)), "the publisher was cut off for a large message");
    }

    private async Task<RtmpTestPeer> HandshakenFromAsync(string address)
    {
        var peer = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: address);
        await peer.HandshakeAsync();
        return peer;
    }

    /// <summary>Opens a handshaken connection from each address, or none (null) when the Ingest refuses one of them.</summary>
    private async Task<List<RtmpTestPeer>?> TryOpenAsync(IEnumerable<string> addresses)
    {
        var peers = new List<RtmpTestPeer>();
        foreach (var address in addresses)
        {
            var peer = await RtmpTestPeer.ConnectAsync(ingest.RtmpPort, from: address);
            peers.Add(peer);
            if (!await peer.TryHandshakeAsync())
            {
                peers.ForEach(p => p.Dispose());
                return null;
            }
        }

        return peers;
    }
}

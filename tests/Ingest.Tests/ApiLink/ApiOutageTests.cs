using Nio.Api.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.ApiLink;

/// <summary>
/// An Api that stops answering for a while costs the Ingest some heartbeats, never a live stream: publishing goes on,
/// the stream is not reported offline for it, and the Api hears the real state once it answers again.
/// </summary>
[Collection(LimitedIngestCollection.Name)]
public sealed class ApiOutageTests(LimitedIngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    // Three of the Ingest's per-request timeouts: several calls are given up on during it.
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3 * LimitedIngestFixture.ApiRequestTimeoutSeconds);

    [Fact]
    public async Task A_stalled_Api_does_not_take_a_live_stream_offline_and_heartbeats_reach_it_again_after()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 40);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        await StallApiAsync(Outage);
        var heartbeatsBefore = ingest.ApiOutage.Answered($"/api/ingest/streams/{stream.Id}/live");

        await Wait.UntilAsync(() => ingest.ApiOutage.Answered($"/api/ingest/streams/{stream.Id}/live") > heartbeatsBefore,
            Soon, "no heartbeat reached the Api after the outage");
        Assert.Equal(0, ingest.ApiOutage.Answered($"/api/ingest/streams/{stream.Id}/offline"));
        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
        Assert.False(publisher.HasExited, publisher.Output);
    }

    [Fact]
    public async Task A_publisher_that_leaves_while_the_Api_is_stalled_is_reported_offline_once_the_Api_answers()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 4);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        ingest.ApiOutage.Begin();
        try
        {
            Assert.True(await publisher.WaitForExitAsync(Soon), publisher.Output);
            await Task.Delay(Outage);
        }
        finally
        {
            ingest.ApiOutage.End();
        }

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon + Soon);
    }

    private async Task StallApiAsync(TimeSpan duration)
    {
        ingest.ApiOutage.Begin();
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            ingest.ApiOutage.End();
        }
    }
}

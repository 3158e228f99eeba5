using System.Text.Json;
using Nio.Api.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Whip;

/// <summary>
/// Debian's Chromium publishing camera and microphone over WHIP: what every client gets, and what only a browser's
/// statistics show.
/// </summary>
[Collection(IngestCollection.Name)]
public sealed class WhipChromiumTests(IngestFixture ingest) : WhipClientTests(ingest, WhipStack.Chromium)
{
    [Fact]
    public async Task The_browser_sends_h264_within_the_bitrate_the_ingest_allows_and_is_refused_an_ice_restart()
    {
        var (_, stream) = await Ingest.Api.CreateStreamAsync();
        await using var browser = await WhipClient.PublishAsync(Ingest.WhipUrl, stream.StreamKey, WhipStack.Chromium);
        Assert.Equal("connected", browser.Started.GetProperty("state").GetString());
        await Ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        // The browser's estimate starts low and, on loopback, would climb far above the cap within seconds unless the
        // REMB the Ingest sends holds it there.
        await Wait.UntilAsync(async () => (await browser.CommandAsync("stats")).GetProperty("availableOutgoingBitrate").ValueKind == JsonValueKind.Number,
            Soon, "the browser reported no outgoing bitrate");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stats = await browser.CommandAsync("stats");
        Assert.Equal("video/H264", stats.GetProperty("codec").GetString());
        var available = stats.GetProperty("availableOutgoingBitrate").GetDouble();
        Assert.True(available is > 0 and <= IngestFixture.WebRtcMaxBitrateKbps * 1000, $"the browser may send {available / 1000:0} kbit/s");
        Assert.Equal(422, (await browser.CommandAsync("restart")).GetProperty("restart").GetInt32());

        Assert.Equal(200, (await browser.CommandAsync("delete")).GetProperty("deleted").GetInt32());
        Assert.Equal(StreamStatus.Offline, await Ingest.StatusAsync(stream.Id));
    }
}

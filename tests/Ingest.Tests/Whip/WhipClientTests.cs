using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Streams;
using Nio.Ingest.Streams;
using Nio.Shared.Media;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Whip;

/// <summary>
/// What every WHIP publisher gets, whichever WebRTC stack it is written with: its stream goes live, what the Ingest hands
/// the Transcoder decodes as H.264 and Opus, DELETE ends the broadcast, it stays live while it publishes and ends when it
/// vanishes, and ten sessions in a row all connect.
/// </summary>
public abstract class WhipClientTests(IngestFixture ingest, WhipStack stack)
{
    protected static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    protected IngestFixture Ingest => ingest;

    [Fact]
    public async Task The_client_goes_live_with_h264_and_opus_that_decode_and_delete_ends_it()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        await using var client = await WhipClient.PublishAsync(ingest.WhipUrl, stream.StreamKey, stack);
        Assert.Equal(201, client.Started.GetProperty("status").GetInt32());
        Assert.Equal("connected", client.Started.GetProperty("state").GetString());
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);
        // As the Transcoder does: read the stream once its first picture told its codecs (live comes with the offer).
        Assert.True(ingest.Services.GetRequiredService<MediaHub>().TryGetStream(stream.Id, out var live));
        await Wait.UntilAsync(() => live.Codecs is not null, Soon, "no picture arrived");
        var codecs = live.Codecs!;
        Assert.Equal(new SourceCodecs("avc", SourceCodecs.Opus, 360), codecs with { FrameRate = null });

        var media = await ReadLiveAsync(stream.Id, codecs, TimeSpan.FromSeconds(3));
        var decoded = await MediaProbe.DecodeAsync(media);
        Assert.Equal(["h264", "opus"], decoded.Select(s => s.Codec).Order(StringComparer.Ordinal));
        // Three seconds at 30 pictures and 50 Opus packets a second, with room for a slow start.
        Assert.True(decoded.Single(s => s.Type == "video").Frames >= 30, $"{decoded.Single(s => s.Type == "video").Frames} pictures decoded");
        Assert.True(decoded.Single(s => s.Type == "audio").Frames >= 50, $"{decoded.Single(s => s.Type == "audio").Frames} Opus frames decoded");

        // A segment can start only at a keyframe: one a second, sent unasked or asked for by the Ingest's PLIs.
        var keyframes = await MediaProbe.VideoKeyframesAsync(media);
        Assert.True(keyframes >= 2, $"{keyframes} keyframes in 3 s");

        Assert.Equal(200, (await client.CommandAsync("delete")).GetProperty("deleted").GetInt32());
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    [Fact]
    public async Task A_client_that_keeps_publishing_stays_live_past_the_consent_timeout()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        await using var client = await WhipClient.PublishAsync(ingest.WhipUrl, stream.StreamKey, stack);
        Assert.Equal("connected", client.Started.GetProperty("state").GetString());
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        // Its ICE agent's checks, whatever form they take, are the client's consent to receive (RFC 7675).
        await Task.Delay(TimeSpan.FromSeconds(IngestFixture.ConsentTimeoutSeconds * 2));

        Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
        Assert.Equal(200, (await client.CommandAsync("delete")).GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task A_client_that_vanishes_ends_its_broadcast_when_its_consent_expires()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        await using var client = await WhipClient.PublishAsync(ingest.WhipUrl, stream.StreamKey, stack);
        Assert.Equal("connected", client.Started.GetProperty("state").GetString());
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        client.Kill();

        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, TimeSpan.FromSeconds(IngestFixture.ConsentTimeoutSeconds + 10));
    }

    [Fact]
    public async Task Ten_of_ten_sessions_connect_and_end()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();

        var attempts = await WhipClient.AttemptsAsync(ingest.WhipUrl, stream.StreamKey, 10, stack);

        Assert.Equal(10, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal(201, attempt.GetProperty("status").GetInt32());
            Assert.Equal("connected", attempt.GetProperty("state").GetString());
            Assert.Equal(200, attempt.GetProperty("deleted").GetInt32());
        });
        Assert.Equal(StreamStatus.Offline, await ingest.StatusAsync(stream.Id));
    }

    /// <summary>The stream as the Transcoder reads it (Matroska), from its latest keyframe, for that long.</summary>
    private async Task<byte[]> ReadLiveAsync(Guid streamId, SourceCodecs codecs, TimeSpan duration)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ingest.InternalUrl + LiveSourceRoutes.Media(streamId, codecs));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ingest.TranscoderSecret);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var media = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var read = await body.ReadAsync(buffer);
            Assert.True(read > 0, "the live stream ended while it was read");
            media.Write(buffer, 0, read);
        }

        return media.ToArray();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Streams;
using Nio.Ingest.Buffers;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;
using Nio.Ingest.Tests.Infrastructure;
using Nio.Shared.Media;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Publishing;

/// <summary>
/// The hub admits publishers for every protocol: a publisher that speaks no RTMP (as WHIP's will) gets the same key
/// check, live and offline reports and takeover as an RTMP one, and the Transcoder hears of every stream through the
/// list the Ingest pushes.
/// </summary>
[Collection(IngestCollection.Name)]
public sealed class MediaHubTests(IngestFixture ingest)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    private MediaHub Hub => ingest.Services.GetRequiredService<MediaHub>();

    [Fact]
    public async Task A_publisher_of_another_protocol_takes_over_a_live_rtmp_stream_keeps_it_live_and_its_leaving_takes_it_offline()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var rtmp = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds: 30);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, Soon);

        string? stopped = null;
        var admission = await Hub.AdmitAsync(stream.StreamKey, IPAddress.Loopback, reason => stopped = reason, CancellationToken.None);

        var publication = Assert.IsType<Publication>(admission.Publication);
        Assert.Equal(stream.Id, publication.Owner.StreamId);
        Assert.True(await rtmp.WaitForExitAsync(Soon), "the RTMP publisher was not replaced");
        Assert.Null(stopped);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(StreamStatus.Live, await ingest.StatusAsync(stream.Id));
            await Task.Delay(100);
        }

        await publication.DisposeAsync();
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_by_the_hub_and_too_many_from_one_address_are_refused_without_asking_the_api()
    {
        // An address of its own: the other tests' refused keys count for loopback.
        var address = IPAddress.Parse("192.0.2.7");
        var refusals = new List<AdmissionRefusal?>();
        while (refusals.Count < 20 && refusals.LastOrDefault() != AdmissionRefusal.TooManyRefusedKeys)
        {
            refusals.Add((await Hub.AdmitAsync("nio_" + new string('x', 43), address, _ => { }, CancellationToken.None)).Refusal);
        }

        // Ten a minute by default (one more every 6 s, should the machine be slow).
        Assert.Equal(AdmissionRefusal.TooManyRefusedKeys, refusals[^1]);
        Assert.All(refusals.SkipLast(1), refusal => Assert.Equal(AdmissionRefusal.UnknownKey, refusal));
        Assert.InRange(refusals.Count - 1, 10, 12);
    }

    [Fact]
    public async Task The_transcoder_hears_when_a_stream_goes_live_what_it_carries_and_when_it_ends()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ingest.InternalUrl}{LiveSourceRoutes.Watch}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ingest.TranscoderSecret);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.DoesNotContain(stream.Id, (await NextAsync(lines)).Streams.Select(s => s.StreamId));

        var admission = await Hub.AdmitAsync(stream.StreamKey, IPAddress.Loopback, _ => { }, CancellationToken.None);
        await using (var publication = admission.Publication!)
        {
            Assert.Null(await UntilAsync(lines, sources => sources.Streams.Any(s => s.StreamId == stream.Id)));
            var video = TrackFormat.Avc([]);
            publication.SetFormat(TrackFormat.Opus(2));
            publication.SetFormat(video);
            publication.Declare(new PublisherMetadata(1280, 720, 30));
            var unit = new AccessUnit(video, 0, 0, true, PooledBuffer.CopyOf([0, 0, 0, 1, 0x65]), 0);
            publication.Write(unit);
            unit.Release();

            Assert.Equal(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Opus, 720, 30), await UntilAsync(lines, sources => sources.Streams.Any(s => s.StreamId == stream.Id && s.Codecs is not null)));
        }

        await UntilAsync(lines, sources => sources.Streams.All(s => s.StreamId != stream.Id));
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, Soon);

        async Task<SourceCodecs?> UntilAsync(StreamReader lines, Func<LiveSources, bool> condition)
        {
            using var deadline = new CancellationTokenSource(Soon);
            while (true)
            {
                var sources = await NextAsync(lines, deadline.Token);
                if (condition(sources))
                {
                    return sources.Streams.FirstOrDefault(s => s.StreamId == stream.Id)?.Codecs;
                }
            }
        }
    }

    private static async Task<LiveSources> NextAsync(StreamReader lines, CancellationToken cancellationToken = default) =>
        JsonSerializer.Deserialize<LiveSources>((await lines.ReadLineAsync(cancellationToken))!, LiveSourceRoutes.Json)!;
}

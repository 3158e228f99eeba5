using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;
using Nio.Transcoder.Thumbnails;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// A publisher whose codecs HLS players cannot play (Sorenson H.263 and MP3), through the real Ingest: the source
/// rendition is re-encoded to H.264 and AAC, and the thumbnails appear, refresh, and reach the real Api.
/// </summary>
public sealed partial class SourceTranscodingTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-source-").FullName;
    private Publisher? publisher;

    public void Dispose()
    {
        publisher?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task A_sorenson_and_mp3_stream_becomes_h264_and_aac_with_thumbnails_the_api_lists()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        publisher = Publisher.FfmpegSorensonMp3(ingest.RtmpUrl(stream.StreamKey), seconds: 180);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, TimeSpan.FromSeconds(10));

        var client = ServiceClients.Ingest(ingest);

        await using var sources = new LiveSourcesWatch(client);
        await WaitUntilAsync(async () => await sources.CodecsAsync(stream.Id, default) is not null, "the Ingest to know the codecs");
        Assert.Equal(new SourceCodecs("h263", "mp3", 480), await sources.CodecsAsync(stream.Id, default));

        var store = new LocalDiskMediaStore(root);
        var options = new LadderOptions { ReturnGraceSeconds = 5, ThumbnailIntervalSeconds = 1 };
        var packager = new LivePackager(store, Options.Create(options), new TestOutputLogger<LivePackager>(output), thumbnails: ReporterToTheApi());
        using var stop = new CancellationTokenSource();
        var running = packager.RunAsync(stream.Id, async token => await client.OpenMediaAsync(stream.Id, await sources.CodecsAsync(stream.Id, token), token), token => sources.CodecsAsync(stream.Id, token), stop.Token);

        var prefix = LivePackager.Prefix(stream.Id);
        await WaitUntilAsync(async () => await store.ReadAsync($"{prefix}/master.m3u8", default) is not null, "the multivariant playlist");
        var master = Encoding.UTF8.GetString((await store.ReadAsync($"{prefix}/master.m3u8", default))!);
        var variants = StreamInf().Matches(master);
        Assert.Equal(["source", "480p", "240p"], variants.Select(v => v.Groups["name"].Value).Order(StringComparer.Ordinal).Reverse());
        Assert.All(variants, v => Assert.Matches(@"^avc1\.[0-9a-fA-F]{6},mp4a\.40\.2$", v.Groups["codecs"].Value));
        Assert.Equal("640x480", variants.Single(v => v.Groups["name"].Value == "source").Groups["resolution"].Value);

        var playlist = Encoding.UTF8.GetString((await store.ReadAsync($"{prefix}/source/index.m3u8", default))!);
        Assert.Contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES", playlist);
        Assert.Contains("#EXT-X-PRELOAD-HINT:TYPE=PART", playlist);
        var segment = Regex.Match(playlist, @"^([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline).Groups[1].Value;
        var decoded = await MediaProbe.DecodeAsync([.. (await store.ReadAsync($"{prefix}/source/init.mp4", default))!, .. (await store.ReadAsync($"{prefix}/source/{segment}", default))!]);
        Assert.Equal(["aac", "h264"], decoded.Select(s => s.Codec).Order(StringComparer.Ordinal));
        Assert.All(decoded, s => Assert.True(s.Frames > 0, $"no {s.Codec} frame decoded"));

        // The thumbnail: a decodable 320-pixel-wide JPEG, replaced as the stream goes on.
        var thumbnailPath = LivePackager.ThumbnailPath(stream.Id);
        await WaitUntilAsync(async () => await store.ReadAsync(thumbnailPath, default) is not null, "the first thumbnail");
        var firstThumbnail = (await store.ReadAsync(thumbnailPath, default))!;
        Assert.Equal((320, 240), await MediaProbe.JpegSizeAsync(firstThumbnail));
        await WaitUntilAsync(async () => await store.ReadAsync(thumbnailPath, default) is { } current && !current.AsSpan().SequenceEqual(firstThumbnail), "a newer thumbnail");
        Assert.Equal((320, 240), await MediaProbe.JpegSizeAsync((await store.ReadAsync(thumbnailPath, default))!));

        // The Api lists its URL on the Origin while the stream is live, and no longer once it is offline.
        var expectedUrl = $"http://localhost:8080/live/{stream.Id}/thumbnail.jpg";
        await WaitUntilAsync(async () => (await LiveStreamAsync(stream.Id))?.ThumbnailUrl == expectedUrl, "the Api to list the thumbnail");
        publisher.Dispose();
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, TimeSpan.FromSeconds(10));
        Assert.Null((await ingest.Api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!.ThumbnailUrl);

        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("#EXT-X-ENDLIST\n", Encoding.UTF8.GetString((await store.ReadAsync($"{prefix}/source/index.m3u8", default))!));
    }

    /// <summary>The Transcoder's thumbnail reporter, talking to the fixture's in-process Api.</summary>
    private ThumbnailReporter ReporterToTheApi() => new(ServiceClients.Api(ingest.Api), new TestOutputLogger<ThumbnailReporter>(output));

    private async Task<StreamView?> LiveStreamAsync(Guid streamId) =>
        (await ingest.Api.CreateClient().GetFromJsonAsync<Page<StreamView>>("/api/streams?pageSize=100"))!.Items.SingleOrDefault(s => s.Id == streamId);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            // Generous: the suite runs FFmpeg encoders side by side on small machines.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"#EXT-X-STREAM-INF:[^\n]*RESOLUTION=(?<resolution>\d+x\d+),CODECS=""(?<codecs>[^""]+)""[^\n]*\n(?<name>[^/\n]+)/index\.m3u8")]
    private static partial Regex StreamInf();
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Nio.Api.Streams;
using Nio.Shared.LlHls;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// Publishers whose keyframes come far apart, or only once, through the real Ingest, FFmpeg and Api: the source is
/// re-encoded with keyframes of its own, segments never outlast TARGETDURATION, which never changes, and the stream's
/// health says why.
/// </summary>
public sealed partial class LongKeyframeIntervalTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-keyframes-").FullName;
    private Publisher? publisher;

    public void Dispose()
    {
        publisher?.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("none after the first")]
    [InlineData("every 8 s")]
    public async Task A_source_with_keyframes_far_apart_is_re_encoded_into_segments_within_a_constant_target_duration(string keyframes)
    {
        var (streamer, stream) = await ingest.Api.CreateStreamAsync();
        var url = ingest.RtmpUrl(stream.StreamKey);
        publisher = keyframes == "every 8 s" ? Publisher.FfmpegMeasured(url, seconds: 20, keyframeInterval: 200) : Publisher.FfmpegWithoutKeyframes(url, seconds: 20);
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, TimeSpan.FromSeconds(10));

        var playlists = new PlaylistRecorder();
        var encoding = new SourceEncodingReporter(ServiceClients.Api(ingest.Api), new TestOutputLogger<SourceEncodingReporter>(output));
        var packager = new LivePackager(
            new LocalDiskMediaStore(root), Options.Create(new LadderOptions { ReturnGraceSeconds = 3 }), new TestOutputLogger<LivePackager>(output),
            playlists, encoding: encoding);
        var client = ServiceClients.Ingest(ingest);
        await using var sources = new LiveSourcesWatch(client);
        await packager.RunAsync(stream.Id, async token => await client.OpenMediaAsync(stream.Id, await sources.CodecsAsync(stream.Id, token), token), token => sources.CodecsAsync(stream.Id, token), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(120));

        var source = playlists.Of($"{LivePackager.Prefix(stream.Id)}/source/index.m3u8");
        Assert.True(source[^1].Playlist.Ended);
        foreach (var rendition in playlists.Renditions)
        {
            // Every version the Origin was pushed, live or ended: the same TARGETDURATION, no EXTINF that rounds above
            // it, an open segment of a few parts.
            Assert.All(rendition, update => Assert.Equal("1", TargetDuration().Match(update.Text).Groups[1].Value));
            Assert.All(rendition.SelectMany(update => Extinf().Matches(update.Text)), extinf =>
                Assert.True(Math.Round(double.Parse(extinf.Groups[1].Value, CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero) <= 1, extinf.Value));
            Assert.All(rendition, update => Assert.InRange(update.Playlist.Open?.Parts.Count ?? 0, 0, 6));
            Assert.True(rendition[^1].Playlist.MediaSequence > 0, $"{rendition[^1].Path}: no segment left the window");

            // The source was re-encoded from a second FFmpeg run on: the segments of the end all start on a keyframe.
            Assert.All(rendition[^1].Playlist.Segments, segment => Assert.True(segment.Parts[0].Independent, $"{rendition[^1].Path}: {segment.Uri}"));
        }

        Assert.Contains(source, update => update.Text.Contains("#EXT-X-DISCONTINUITY\n", StringComparison.Ordinal));
        var health = await ingest.Api.ClientWithToken(streamer.AccessToken).GetFromJsonAsync<JsonElement>($"/api/streams/{stream.Id}/health");
        Assert.True(health.GetProperty("sourceReencoded").GetProperty("secondsWithoutKeyframe").GetDouble() >= 1);
        Assert.Contains(StreamHealth.SourceReencoded, health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [GeneratedRegex(@"#EXT-X-TARGETDURATION:(\d+)\n")]
    private static partial Regex TargetDuration();

    [GeneratedRegex(@"#EXTINF:([\d.]+),")]
    private static partial Regex Extinf();

    /// <summary>Every media playlist the packager would push to the Origin, in order per playlist.</summary>
    private sealed class PlaylistRecorder : IPlaylistListener
    {
        private readonly ConcurrentQueue<PlaylistUpdate> updates = new();

        public IEnumerable<List<PlaylistUpdate>> Renditions => updates.GroupBy(update => update.Path).Select(group => group.ToList());

        public List<PlaylistUpdate> Of(string path) => [.. updates.Where(update => update.Path == path)];

        public Task PlaylistChangedAsync(PlaylistUpdate update, CancellationToken cancellationToken)
        {
            updates.Enqueue(update);
            return Task.CompletedTask;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Api.Retention;
using Nio.Api.Streams;
using Nio.Shared.LlHls;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;
using Nio.Transcoder.Retention;
using Nio.TestSupport;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Retention;

/// <summary>
/// Live streams through the real Ingest and packager, reporting to the real Api, whose retention job deletes from the
/// same disk store: what left the playlists goes, what they name stays, a recorded stream keeps a decodable VOD.
/// </summary>
public sealed partial class RetentionTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>, IAsyncLifetime
{
    private readonly List<Publisher> publishers = [];
    private readonly string queueDirectory = Directory.CreateTempSubdirectory("nio-retention-queue-").FullName;

    private RetentionReports reports = null!;
    private ApiMediaRetention retention = null!;

    private IMediaStore Store => ingest.Api.Services.GetRequiredService<IMediaStore>();

    public async Task InitializeAsync()
    {
        reports = new RetentionReports(queueDirectory, 16 << 20, NullLogger<RetentionReports>.Instance);
        retention = new ApiMediaRetention(ServiceClients.Api(ingest.Api), reports, NullLogger<ApiMediaRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        publishers.ForEach(p => p.Dispose());
        await retention.StopAsync(CancellationToken.None);
        retention.Dispose();
        reports.Dispose();
        Directory.Delete(queueDirectory, recursive: true);
    }

    [Fact]
    public async Task Files_that_left_the_playlists_are_deleted_after_the_job_ran_and_those_still_named_stay()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync();
        var running = Package(stream, Publish(stream, seconds: 180));
        var playlistPath = $"{LivePackager.Prefix(stream.Id)}/240p/index.m3u8";
        await WaitUntilAsync(async () => MediaSequence(await ReadAsync(playlistPath)) >= 3, "three segments out of the window");
        await WaitUntilAsync(async () => (await ExpiredAsync(stream.Id)).Any(p => SegmentName().IsMatch(p)), "the Api to hear of them");

        var expired = await SweepAsync(stream.Id);

        Assert.Contains(expired, p => p.StartsWith($"{LivePackager.Prefix(stream.Id)}/240p/", StringComparison.Ordinal) && p.EndsWith("-seg0.m4s", StringComparison.Ordinal));
        Assert.Contains(expired, p => p.EndsWith("-part0.m4s", StringComparison.Ordinal));
        foreach (var path in expired)
        {
            Assert.Null(await Store.ReadAsync(path, default));
        }

        // Read after the sweep: nothing it names can have been reported before it.
        foreach (var rendition in new[] { "source", "480p", "240p" })
        {
            var folder = $"{LivePackager.Prefix(stream.Id)}/{rendition}";
            var playlist = await ReadAsync($"{folder}/index.m3u8");
            var named = NamedFile().Matches(playlist).Select(m => m.Groups["uri"].Value).ToList();
            Assert.Contains(named, uri => uri.EndsWith(".m4s", StringComparison.Ordinal) && uri.Contains("-part", StringComparison.Ordinal));
            foreach (var uri in named.Where(uri => uri != playlistHint(playlist)))
            {
                Assert.True(await Store.ReadAsync($"{folder}/{uri}", default) is not null, $"{rendition}/{uri} is named by the playlist but gone");
            }
        }

        publishers[^1].Dispose();
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Offline, TimeSpan.FromSeconds(10));

        // The ended broadcast is not recorded: once the job has run, nothing of it is left, and no VOD was made.
        var masterPath = $"{LivePackager.Prefix(stream.Id)}/master.m3u8";
        await WaitUntilAsync(async () => (await ExpiredAsync(stream.Id)).Contains(masterPath), "the Api to hear of the ended broadcast");
        var leftovers = await SweepAsync(stream.Id);
        Assert.Contains(masterPath, leftovers);
        Assert.Contains(playlistPath, leftovers);
        Assert.Null(await Store.ReadAsync(playlistPath, default));
        Assert.Null(await Store.ReadAsync($"{LivePackager.Prefix(stream.Id)}/{MediaUris.Recording}", default));
        Assert.Null(await Store.ReadAsync($"recordings/{stream.Id}/240p.json", default));
        Assert.Null((await ingest.Api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!.RecordingUrl);

        static string playlistHint(string playlist) => PreloadHint().Match(playlist).Groups["uri"].Value;
    }

    [Fact]
    public async Task A_recorded_stream_keeps_a_decodable_vod_of_every_segment_of_every_broadcast()
    {
        var (_, stream) = await ingest.Api.CreateStreamAsync(record: true);
        var first = Package(stream, Publish(stream, seconds: 15));
        Assert.True(await publishers[^1].WaitForExitAsync(TimeSpan.FromSeconds(90)), "the publisher did not finish");
        await first.WaitAsync(TimeSpan.FromSeconds(60));
        var second = Package(stream, Publish(stream, seconds: 3));
        Assert.True(await publishers[^1].WaitForExitAsync(TimeSpan.FromSeconds(60)), "the second publisher did not finish");
        await second.WaitAsync(TimeSpan.FromSeconds(60));

        // Nothing but parts was handed to retention, and the job deletes no segment.
        await WaitUntilAsync(async () => (await ingest.Api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!.RecordingUrl is not null, "the recording URL");
        var expired = await SweepAsync(stream.Id);
        Assert.NotEmpty(expired);
        Assert.All(expired, p => Assert.Contains("-part", p));

        var view = (await ingest.Api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{stream.Id}"))!;
        Assert.EndsWith($"/live/{stream.Id}/recording.m3u8", view.RecordingUrl);
        var master = await ReadAsync($"{LivePackager.Prefix(stream.Id)}/{MediaUris.Recording}");
        Assert.Equal(["240p/recording.m3u8", "480p/recording.m3u8", "source/recording.m3u8"],
            Regex.Matches(master, @"^\S+/recording\.m3u8$", RegexOptions.Multiline).Select(m => m.Value).Order());

        foreach (var rendition in new[] { "source", "240p" })
        {
            var folder = $"{LivePackager.Prefix(stream.Id)}/{rendition}";
            var vod = await ReadAsync($"{folder}/{MediaUris.Recording}");
            output.WriteLine(vod);
            Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD\n", vod);
            Assert.EndsWith("#EXT-X-ENDLIST\n", vod);
            Assert.DoesNotContain("#EXT-X-PART", vod);

            // Two broadcasts, each numbered from seg0 under its own tag, the second after a discontinuity.
            var segments = SegmentName().Matches(vod).Select(m => (Tag: m.Groups["tag"].Value, Number: int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture))).ToList();
            var broadcasts = segments.GroupBy(s => s.Tag).ToList();
            Assert.Equal(2, broadcasts.Count);
            Assert.All(broadcasts, b => Assert.Equal(Enumerable.Range(0, b.Count()), b.Select(s => s.Number)));
            Assert.True(broadcasts[0].Count() >= 12, $"only {broadcasts[0].Count()} segments of a 15 s broadcast");
            Assert.Equal(1, Count(vod, "#EXT-X-DISCONTINUITY\n"));
            var seconds = Regex.Matches(vod, @"#EXTINF:([\d.]+),").Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.InRange(seconds, 14, 20);

            // Every segment decodes with the init segment the playlist maps it to.
            var init = "";
            foreach (var line in vod.Split('\n'))
            {
                if (MapUri().Match(line) is { Success: true } map)
                {
                    init = map.Groups["uri"].Value;
                }
                else if (line.EndsWith(".m4s", StringComparison.Ordinal))
                {
                    await AssertDecodesAsync($"{folder}/{init}", $"{folder}/{line}");
                }
            }
        }
    }

    private Publisher Publish(StreamCredentials stream, int seconds)
    {
        var publisher = Publisher.Ffmpeg(ingest.RtmpUrl(stream.StreamKey), seconds);
        publishers.Add(publisher);
        return publisher;
    }

    /// <summary>The Transcoder's packager for one broadcast, as the Ingest watcher runs it.</summary>
    private Task Package(StreamCredentials stream, Publisher publisher)
    {
        var packager = new LivePackager(Store, Options.Create(new LadderOptions { ReturnGraceSeconds = 2 }), new TestOutputLogger<LivePackager>(output), retention: retention);
        var client = ServiceClients.Ingest(ingest);
        return Task.Run(async () =>
        {
            await using var sources = new LiveSourcesWatch(client);
            await ingest.WaitForStatusAsync(stream.Id, StreamStatus.Live, TimeSpan.FromSeconds(20));
            await packager.RunAsync(stream.Id, async token => await client.OpenMediaAsync(stream.Id, await sources.CodecsAsync(stream.Id, token), token), token => sources.CodecsAsync(stream.Id, token), CancellationToken.None);
        });
    }

    /// <summary>Lets the grace of everything reported so far pass, runs the retention job, and returns what it deleted.</summary>
    private async Task<List<string>> SweepAsync(Guid streamId)
    {
        await using var connection = await ingest.Api.Database.OpenConnectionAsync();
        var due = (await connection.QueryAsync<string>(
            "UPDATE expired_media SET due_at = now() WHERE stream_id = @streamId RETURNING path", new { streamId })).AsList();
        await ingest.Api.Services.GetRequiredService<MediaRetentionSweeper>().RunAsync(CancellationToken.None);
        // A report that arrived meanwhile may name a file again; it is then due later.
        var rescheduled = (await connection.QueryAsync<string>(
            "SELECT path FROM expired_media WHERE stream_id = @streamId AND due_at <= now()", new { streamId })).AsList();
        Assert.Empty(rescheduled.Intersect(due));
        return due;
    }

    private async Task<List<string>> ExpiredAsync(Guid streamId)
    {
        await using var connection = await ingest.Api.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT path FROM expired_media WHERE stream_id = @streamId", new { streamId })).AsList();
    }

    private async Task AssertDecodesAsync(string initPath, string segmentPath)
    {
        var decoded = await MediaProbe.DecodeAsync([.. (await Store.ReadAsync(initPath, default))!, .. (await Store.ReadAsync(segmentPath, default))!]);
        Assert.Contains(decoded, s => s.Codec == "h264" && s.Frames > 0);
        Assert.Contains(decoded, s => s.Codec == "aac" && s.Frames > 0);
    }

    private async Task<string> ReadAsync(string path) =>
        await Store.ReadAsync(path, default) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";

    private static long MediaSequence(string playlist) =>
        Regex.Match(playlist, @"#EXT-X-MEDIA-SEQUENCE:(\d+)") is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    private static int Count(string text, string tag) => text.Split(tag).Length - 1;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            // Generous: the suite runs FFmpeg encoders side by side on small machines.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"(?<tag>[0-9a-f]+)-seg(?<number>\d+)\.m4s")]
    private static partial Regex SegmentName();

    [GeneratedRegex(@"^(?:#EXT-X-(?:PART|MAP|PRELOAD-HINT):.*URI=""(?<uri>[^""]+)""|(?<uri>[^#\s]\S*))", RegexOptions.Multiline)]
    private static partial Regex NamedFile();

    [GeneratedRegex(@"#EXT-X-PRELOAD-HINT:TYPE=PART,URI=""(?<uri>[^""]+)""")]
    private static partial Regex PreloadHint();

    [GeneratedRegex(@"^#EXT-X-MAP:URI=""(?<uri>[^""]+)""$")]
    private static partial Regex MapUri();
}

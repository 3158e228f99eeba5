using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Nio.Ingest.Media;
using Nio.Ingest.Streams;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// A publisher that speaks no RTMP (as a WHIP session will): admitted by the real Ingest's hub, it feeds H.264 and Opus
/// access units in real time; the real Transcoder hears of the stream from the pushed list, reads it as Matroska and
/// packages it, the Opus becoming AAC.
/// </summary>
public sealed class WebRtcPublisherTests(IngestFixture ingest, ITestOutputHelper output) : IClassFixture<IngestFixture>
{
    [Fact]
    public async Task H264_and_opus_fed_through_the_hub_are_packaged_live_as_h264_and_aac_and_the_broadcast_ends_when_it_leaves()
    {
        using var source = await WebRtcLikeSource.MakeAsync(seconds: 6);
        var dataDir = Directory.CreateTempSubdirectory("nio-webrtc-publisher-").FullName;
        await using (var transcoder = await TranscoderService.StartAsync(ingest, new()
        {
            ["Storage:Directory"] = Path.Combine(dataDir, "media"),
            ["Transcoder:ReturnGraceSeconds"] = "2",
        }, output))
        {
            var store = transcoder.Services.GetRequiredService<IMediaStore>();
            var (_, stream) = await ingest.Api.CreateStreamAsync();
            var admission = await ingest.Services.GetRequiredService<MediaHub>().AdmitAsync(stream.StreamKey, IPAddress.Loopback, _ => { }, CancellationToken.None);
            await using (var publication = admission.Publication!)
            {
                publication.SetFormat(source.Audio);
                publication.SetFormat(source.Video);
                // In real time, as a live publisher sends.
                var clock = Stopwatch.StartNew();
                var first = source.Units[0].Timestamp;
                foreach (var unit in source.Units)
                {
                    var due = TimeSpan.FromSeconds((unit.Timestamp - first) / (double)MediaClock.TicksPerSecond);
                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed);
                    }

                    publication.Write(unit);
                }
            }

            var prefix = LivePackager.Prefix(stream.Id);
            await Wait.UntilAsync(async () => (await ReadAsync(store, $"{prefix}/source/index.m3u8")).EndsWith("#EXT-X-ENDLIST\n", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "timed out waiting for the broadcast's playlists to end");

            var master = await ReadAsync(store, $"{prefix}/master.m3u8");
            Assert.All(Regex.Matches(master, @"CODECS=""([^""]+)""").Select(m => m.Groups[1].Value), c => Assert.Matches(@"^avc1\.[0-9a-fA-F]{6},mp4a\.40\.2$", c));
            var playlist = await ReadAsync(store, $"{prefix}/source/index.m3u8");
            var segment = Regex.Match(playlist, @"^([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline).Groups[1].Value;
            var decoded = await MediaProbe.DecodeAsync(
                [.. (await store.ReadAsync($"{prefix}/source/init.mp4", default))!, .. (await store.ReadAsync($"{prefix}/source/{segment}", default))!]);
            Assert.Equal(["aac", "h264"], decoded.Select(s => s.Codec).Order(StringComparer.Ordinal));
            Assert.All(decoded, s => Assert.True(s.Frames > 0, $"no {s.Codec} frame decoded"));
        }

        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<string> ReadAsync(IMediaStore store, string path) =>
        await store.ReadAsync(path, default) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";
}

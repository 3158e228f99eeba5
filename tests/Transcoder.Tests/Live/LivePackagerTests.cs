using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;
using Nio.TestSupport;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Live;

/// <summary>The whole ladder: real FFmpeg making three renditions into named pipes, packaged into a real disk store.</summary>
public sealed partial class LivePackagerTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-packager-").FullName;
    private readonly Guid streamId = Guid.NewGuid();
    private LocalDiskMediaStore store = null!;
    private string input = "";

    public async Task InitializeAsync()
    {
        store = new LocalDiskMediaStore(Path.Combine(root, "media"));
        // What the Ingest serves: FLV with H.264 (1 s GOP, 30 fps, as its metadata declares) and AAC.
        input = Path.Combine(root, "input.flv");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "6",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", input,
        ]);
        Assert.True(exitCode == 0, error);
        var packager = new LivePackager(store, Options.Create(new LadderOptions { ReturnGraceSeconds = 0.2, ThumbnailIntervalSeconds = 2 }), NullLogger<LivePackager>.Instance);
        await packager.RunAsync(streamId, _ => Task.FromResult<Stream>(File.OpenRead(input)), Codecs.Once(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Aac, FrameRate: 30)), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_multivariant_playlist_lists_every_rendition_with_its_attributes()
    {
        var master = await ReadTextAsync("master.m3u8");

        var variants = StreamInf().Matches(master);
        Assert.Equal(3, variants.Count);
        Assert.Equal(["source/index.m3u8", "480p/index.m3u8", "240p/index.m3u8"], variants.Select(v => v.Groups["uri"].Value));
        Assert.Equal(["640x360", "854x480", "426x240"], variants.Select(v => v.Groups["resolution"].Value));
        Assert.All(variants, v =>
        {
            Assert.StartsWith("avc1.", v.Groups["codecs"].Value);
            Assert.Contains(",mp4a.40.2", v.Groups["codecs"].Value);
            Assert.Equal(30.0, double.Parse(v.Groups["fps"].Value, CultureInfo.InvariantCulture), 0.5);
            Assert.True(long.Parse(v.Groups["bandwidth"].Value, CultureInfo.InvariantCulture) > 0);
        });
    }

    [Theory]
    [InlineData("source")]
    [InlineData("480p")]
    [InlineData("240p")]
    public async Task Each_media_playlist_follows_the_low_latency_rules(string rendition)
    {
        var playlist = await ReadTextAsync($"{rendition}/index.m3u8");
        var partTarget = double.Parse(Regex.Match(playlist, @"#EXT-X-PART-INF:PART-TARGET=([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var holdBack = double.Parse(Regex.Match(playlist, @"PART-HOLD-BACK=([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.Contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES", playlist);
        // 0.2 s at 30 fps is 6 whole frames.
        Assert.Equal(0.2, partTarget, 6);
        Assert.True(holdBack >= 3 * partTarget - 1e-9, $"PART-HOLD-BACK {holdBack}, PART-TARGET {partTarget}");
        // The run's own init, which the store holds (init.mp4 is the same file under the name that stays).
        var init = Regex.Match(playlist, "#EXT-X-MAP:URI=\"([^\"]+-init0\\.mp4)\"").Groups[1].Value;
        Assert.Equal(await ReadBytesAsync($"{rendition}/init.mp4"), await ReadBytesAsync($"{rendition}/{init}"));
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:", playlist);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist);

        // Every segment begins with an independent part; parts last at most PART-TARGET and, unless independent or
        // the last of their segment (cut short by the next keyframe), at least 85 % of it.
        var segmentsWithParts = playlist.Split("#EXT-X-PROGRAM-DATE-TIME:").Skip(1)
            .Select(block => Part().Matches(block).Select(m => (Duration: double.Parse(m.Groups["duration"].Value, CultureInfo.InvariantCulture), Independent: m.Groups["independent"].Success)).ToList())
            .Where(parts => parts.Count > 0)
            .ToList();
        Assert.NotEmpty(segmentsWithParts);
        foreach (var parts in segmentsWithParts)
        {
            Assert.True(parts[0].Independent, "a segment starts with a dependent part");
            Assert.All(parts, p => Assert.True(p.Duration <= partTarget + 0.0005, $"part of {p.Duration} s > {partTarget}"));
            Assert.All(parts.SkipLast(1).Where(p => !p.Independent), p => Assert.True(p.Duration >= 0.85 * partTarget, $"part of {p.Duration} s < 85 %"));
        }

        var durations = Regex.Matches(playlist, @"#EXTINF:([\d.]+),").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(durations.Sum(), 5.5, 6.5);
    }

    [Theory]
    [InlineData("source")]
    [InlineData("240p")]
    public async Task Ffprobe_decodes_a_segment_and_a_part_with_the_init_segment(string rendition)
    {
        var playlist = await ReadTextAsync($"{rendition}/index.m3u8");
        var segment = Regex.Match(playlist, @"^([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline).Groups[1].Value;
        var part = Part().Matches(playlist).Last(m => m.Groups["independent"].Success).Groups["uri"].Value;

        var init = (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/{rendition}/init.mp4", default))!;
        foreach (var media in new[] { segment, part })
        {
            var (codec, frames) = await MediaProbe.DecodeVideoAsync(init, (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/{rendition}/{media}", default))!);
            Assert.Equal("h264", codec);
            Assert.True(frames > 0, $"{media} decoded no frame");
        }
    }

    [Fact]
    public async Task The_thumbnail_is_a_320_pixel_wide_jpeg_of_the_stream()
    {
        var jpeg = await store.ReadAsync(LivePackager.ThumbnailPath(streamId), CancellationToken.None);

        Assert.NotNull(jpeg);
        Assert.Equal((320, 180), await MediaProbe.JpegSizeAsync(jpeg));
    }

    private async Task<string> ReadTextAsync(string path) => System.Text.Encoding.UTF8.GetString(await ReadBytesAsync(path));

    private async Task<byte[]> ReadBytesAsync(string path)
    {
        var bytes = await store.ReadAsync($"{LivePackager.Prefix(streamId)}/{path}", CancellationToken.None);
        Assert.NotNull(bytes);
        return bytes;
    }

    [GeneratedRegex(@"#EXT-X-STREAM-INF:BANDWIDTH=(?<bandwidth>\d+),AVERAGE-BANDWIDTH=\d+,RESOLUTION=(?<resolution>\d+x\d+),CODECS=""(?<codecs>[^""]+)"",FRAME-RATE=(?<fps>[\d.]+)\n(?<uri>\S+)")]
    private static partial Regex StreamInf();

    [GeneratedRegex(@"#EXT-X-PART:DURATION=(?<duration>[\d.]+),URI=""(?<uri>[^""]+)""(?<independent>,INDEPENDENT=YES)?")]
    internal static partial Regex Part();
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Live;

/// <summary>
/// Real FFmpeg cutting the parts of sources at the frame rates publishers use: PART-TARGET is a whole number of the
/// source's frames (to the millisecond above), every part holds exactly that many frames (except the last of a segment,
/// cut short by the keyframe that starts the next), and none is longer (RFC 8216bis 4.4.4.9).
/// </summary>
public sealed class FrameRatePartsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-frame-rate-").FullName;

    [Theory]
    [InlineData("24", 24.0, 0.209, 5)]
    [InlineData("25", 25.0, 0.2, 5)]
    [InlineData("30000/1001", 30000 / 1001.0, 0.201, 6)]
    [InlineData("60", 60.0, 0.2, 12)]
    public async Task Parts_are_whole_frames_of_the_declared_frame_rate(string rate, double frameRate, double expectedTarget, int framesPerPart)
    {
        var playlist = await PackageAsync(rate, frameRate);

        var partTarget = double.Parse(Regex.Match(playlist, @"#EXT-X-PART-INF:PART-TARGET=([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(expectedTarget, partTarget, 6);
        var segments = playlist.Split("#EXTINF:").SkipLast(1)
            .Select(block => LivePackagerTests.Part().Matches(block).Select(m => double.Parse(m.Groups["duration"].Value, CultureInfo.InvariantCulture)).ToList())
            .Where(parts => parts.Count > 1)
            .ToList();
        Assert.NotEmpty(segments);
        foreach (var parts in segments)
        {
            Assert.All(parts, duration => Assert.True(duration <= partTarget + 0.0005, $"a part of {duration} s, PART-TARGET {partTarget}"));
            // Timestamps are whole milliseconds: a part of whole frames may be one short of their exact duration.
            Assert.All(parts.SkipLast(1), duration => Assert.InRange(duration, framesPerPart / frameRate - 0.0011, partTarget));
        }
    }

    private async Task<string> PackageAsync(string rate, double frameRate)
    {
        var input = Path.Combine(root, "input.flv");
        var (exitCode, _, error) = await TestHost.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size=320x180:rate={rate}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", rate == "60" ? "60" : "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", input,
        ]);
        Assert.True(exitCode == 0, error);

        var store = new LocalDiskMediaStore(Path.Combine(root, "media"));
        var streamId = Guid.NewGuid();
        var options = new LadderOptions { Renditions = [new("source", null, 4500, 128)], ReturnGraceSeconds = 0.2, ThumbnailIntervalSeconds = 2 };
        var packager = new LivePackager(store, Options.Create(options), NullLogger<LivePackager>.Instance);
        await packager.RunAsync(streamId, _ => Task.FromResult<Stream>(File.OpenRead(input)),
            Codecs.Once(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Aac, FrameRate: frameRate)), CancellationToken.None);
        var bytes = await store.ReadAsync($"{LivePackager.Prefix(streamId)}/source/index.m3u8", default);
        return System.Text.Encoding.UTF8.GetString(bytes!);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

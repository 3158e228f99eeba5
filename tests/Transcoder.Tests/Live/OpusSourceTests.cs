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
/// A WebRTC publisher's H.264 and Opus, as the Ingest serves a stream with Opus (Matroska), through the whole ladder:
/// the H.264 passes through to the source rendition, the Opus becomes AAC, which HLS players play.
/// </summary>
public sealed partial class OpusSourceTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("nio-opus-").FullName;
    private readonly Guid streamId = Guid.NewGuid();
    private LocalDiskMediaStore store = null!;

    public async Task InitializeAsync()
    {
        store = new LocalDiskMediaStore(Path.Combine(root, "media"));
        using var source = await WebRtcLikeSource.MakeAsync(seconds: 4, captureJitter: true);
        var input = Path.Combine(root, "input.mkv");
        await File.WriteAllBytesAsync(input, source.Matroska());
        var packager = new LivePackager(store, Options.Create(new LadderOptions { ReturnGraceSeconds = 0.2, ThumbnailIntervalSeconds = 2 }), NullLogger<LivePackager>.Instance);
        // No frame rate, as a WHIP publisher declares none.
        await packager.RunAsync(streamId, _ => Task.FromResult<Stream>(File.OpenRead(input)),
            Codecs.Once(new SourceCodecs(SourceCodecs.Avc, SourceCodecs.Opus, 240)), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_rendition_carries_aac_and_the_source_is_the_publishers_h264()
    {
        var master = await ReadTextAsync("master.m3u8");
        var codecs = Regex.Matches(master, @"CODECS=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, codecs.Count);
        Assert.All(codecs, c => Assert.Matches(@"^avc1\.[0-9a-fA-F]{6},mp4a\.40\.2$", c));
        // Passed through: the publisher's constrained baseline (42), not the ladder's encoder.
        Assert.StartsWith("avc1.42", codecs[0]);

        var playlist = await ReadTextAsync("source/index.m3u8");
        var segment = Regex.Match(playlist, @"^([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline).Groups[1].Value;
        var init = (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/source/init.mp4", default))!;
        var decoded = await MediaProbe.DecodeAsync([.. init, .. (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/source/{segment}", default))!]);
        Assert.Equal(["aac", "h264"], decoded.Select(s => s.Codec).Order(StringComparer.Ordinal));
        Assert.All(decoded, s => Assert.True(s.Frames > 0, $"no {s.Codec} frame decoded"));
    }

    [Fact]
    public async Task An_encoded_rendition_keeps_the_publishers_frames()
    {
        // The Ingest's Matroska counts time in milliseconds, which FFmpeg takes for 1000 frames a second: an encoder
        // held to a constant rate would repeat each of the publisher's 30 frames a second about 33 times.
        var playlist = await ReadTextAsync("240p/index.m3u8");
        var segment = Regex.Match(playlist, @"^#EXTINF:([0-9.]+),\n([0-9a-f]+-seg\d+\.m4s)$", RegexOptions.Multiline);
        Assert.True(segment.Success, playlist);
        var seconds = double.Parse(segment.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var (codec, frames) = await MediaProbe.DecodeVideoAsync(
            (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/240p/init.mp4", default))!,
            (await store.ReadAsync($"{LivePackager.Prefix(streamId)}/240p/{segment.Groups[2].Value}", default))!);
        Assert.Equal("h264", codec);
        Assert.InRange(frames, 1, (int)Math.Ceiling(seconds * 30) + 1);
    }

    private async Task<string> ReadTextAsync(string path)
    {
        var bytes = await store.ReadAsync($"{LivePackager.Prefix(streamId)}/{path}", CancellationToken.None);
        Assert.NotNull(bytes);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}

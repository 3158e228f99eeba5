using FFMpegCore;

namespace Nio.TestSupport;

/// <summary>ffprobe's view of media (through FFMpegCore): the codec of each stream, frames decoded, picture sizes.</summary>
public static class MediaProbe
{
    /// <summary>"video:h264", "audio:aac", … for what <paramref name="url"/> serves, giving up after 5 s without data.</summary>
    public static async Task<List<string>> CodecsAsync(string url, string bearerSecret)
    {
        var analysis = await FFProbe.AnalyseAsync(new Uri(url), customArguments: $"-rw_timeout 5000000 -headers \"Authorization: Bearer {bearerSecret}\"");
        return [.. analysis.VideoStreams.Select(s => $"video:{s.CodecName}").Concat(analysis.AudioStreams.Select(s => $"audio:{s.CodecName}")).Order(StringComparer.Ordinal)];
    }

    /// <summary>Decodes an fMP4 segment or part after its init segment, as a player does: the video codec and frames decoded.</summary>
    public static async Task<(string Codec, int Frames)> DecodeVideoAsync(byte[] init, byte[] media)
    {
        var streams = await DecodeAsync([.. init, .. media]);
        return streams.First(s => s.Type == "video") is var video ? (video.Codec, video.Frames) : default;
    }

    /// <summary>Every stream of a media file, decoded: its type ("video", "audio"), codec and the frames decoded.</summary>
    public static Task<List<(string Type, string Codec, int Frames)>> DecodeAsync(byte[] media) =>
        WithFileAsync(media, "mp4", async file =>
        {
            var analysis = await FFProbe.AnalyseAsync(file);
            var frames = (await FFProbe.GetFramesAsync(file)).Frames;
            return (List<(string, string, int)>)[.. analysis.VideoStreams.Select(s => ("video", s.CodecName ?? "", frames.Count(f => f.StreamIndex == s.Index)))
                .Concat(analysis.AudioStreams.Select(s => ("audio", s.CodecName ?? "", frames.Count(f => f.StreamIndex == s.Index))))];
        });

    /// <summary>The keyframes among the decoded pictures of a media file.</summary>
    public static Task<int> VideoKeyframesAsync(byte[] media) =>
        WithFileAsync(media, "mp4", async file => (await FFProbe.GetFramesAsync(file)).Frames.Count(f => f.MediaType == "video" && f.KeyFrame == 1));

    /// <summary>The codec, width and height of a still picture as ffprobe decodes it.</summary>
    public static Task<(string Codec, int Width, int Height)> PictureAsync(byte[] picture) =>
        WithFileAsync(picture, "img", async file =>
        {
            var video = (await FFProbe.AnalyseAsync(file)).PrimaryVideoStream ?? throw new Xunit.Sdk.XunitException("no picture in the file");
            return (video.CodecName ?? "", video.Width ?? 0, video.Height ?? 0);
        });

    /// <summary>Width and height of a JPEG image as ffprobe decodes it, after checking it is one whole JPEG (SOI first, EOI last).</summary>
    public static async Task<(int Width, int Height)> JpegSizeAsync(byte[] jpeg)
    {
        Assert.True(jpeg is [0xFF, 0xD8, .., 0xFF, 0xD9], "not a whole JPEG image (SOI ... EOI)");
        var (codec, width, height) = await PictureAsync(jpeg);
        Assert.Equal("mjpeg", codec);
        return (width, height);
    }

    /// <summary>ffprobe reads files: the bytes in a temporary one for as long as <paramref name="probe"/> runs.</summary>
    private static async Task<T> WithFileAsync<T>(byte[] media, string extension, Func<string, Task<T>> probe)
    {
        var file = Path.Combine(Path.GetTempPath(), $"nio-probe-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(file, media);
        try
        {
            return await probe(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

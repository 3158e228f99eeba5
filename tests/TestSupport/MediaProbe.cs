using System.Text.Json;

namespace Nio.TestSupport;

/// <summary>ffprobe's view of media: the codec of each stream a URL serves, the size of a JPEG.</summary>
public static class MediaProbe
{
    public static async Task<List<string>> CodecsAsync(string url, string bearerSecret)
    {
        var (exitCode, output, error) = await TestHost.RunAsync("ffprobe",
        [
            "-v", "error", "-rw_timeout", "5000000", "-headers", $"Authorization: Bearer {bearerSecret}\r\n",
            "-show_entries", "stream=codec_type,codec_name", "-of", "json", url,
        ]);
        Assert.True(exitCode == 0, $"ffprobe failed: {error}");
        return JsonDocument.Parse(output).RootElement.GetProperty("streams").EnumerateArray()
            .Select(s => $"{s.GetProperty("codec_type").GetString()}:{s.GetProperty("codec_name").GetString()}")
            .Order()
            .ToList();
    }

    /// <summary>Decodes an fMP4 segment or part after its init segment, as a player does: the video codec and frames decoded.</summary>
    public static async Task<(string Codec, int Frames)> DecodeVideoAsync(byte[] init, byte[] media)
    {
        var file = Path.Combine(Path.GetTempPath(), $"nio-probe-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, [.. init, .. media]);
        try
        {
            var (exitCode, output, error) = await TestHost.RunAsync("ffprobe",
                ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", file]);
            Assert.True(exitCode == 0, $"ffprobe failed: {error}");
            var fields = output.Trim().Split(',');
            return (fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Width and height of a JPEG image as ffprobe decodes it, after checking it is one whole JPEG (SOI first, EOI
    /// last). <paramref name="folder"/> receives the file ffprobe reads.
    /// </summary>
    public static async Task<(int Width, int Height)> JpegSizeAsync(byte[] jpeg, string folder)
    {
        Assert.True(jpeg is [0xFF, 0xD8, .., 0xFF, 0xD9], "not a whole JPEG image (SOI ... EOI)");
        var file = Path.Combine(folder, $"{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, jpeg);
        var (exitCode, output, error) = await TestHost.RunAsync("ffprobe",
            ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file]);
        File.Delete(file);
        Assert.True(exitCode == 0, error);
        var fields = output.Trim().Split(',');
        Assert.Equal("mjpeg", fields[0]);
        return (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture));
    }
}

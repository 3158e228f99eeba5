using System.Text.Json;

namespace Nio.TestSupport;

/// <summary>ffprobe's view of what a URL serves: the codec of each stream.</summary>
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
}

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
}

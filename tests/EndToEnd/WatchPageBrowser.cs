using System.Text.Json;

namespace Nio.EndToEnd;

/// <summary>What headless Chromium saw on a watch page (browser/watch.mjs).</summary>
public sealed record WatchReport(
    double Advanced, double CurrentTime, string? Phase, int FatalErrors, int VideoWidth, string? Latency, string[]? Chat, string? Viewers, string? Error,
    string[] Console)
{
    /// <summary>
    /// Opens <paramref name="url"/> in Debian's Chromium and watches for <paramref name="seconds"/> after playback starts;
    /// with <paramref name="chatText"/>, then waits for a chat line containing it.
    /// </summary>
    public static async Task<WatchReport> WatchAsync(string url, int seconds, string? chatText = null)
    {
        string[] arguments = chatText is null
            ? [url, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            : [url, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), chatText];
        var line = await BrowserScript.RunAsync("watch.mjs", arguments);
        return JsonSerializer.Deserialize<WatchReport>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}

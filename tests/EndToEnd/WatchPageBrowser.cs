using System.Diagnostics;
using System.Text.Json;
using Nio.TestSupport;

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
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestHost.RepositoryRoot(), "tests", "EndToEnd", "browser", "watch.mjs"));
        start.ArgumentList.Add(url);
        start.ArgumentList.Add(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (chatText is not null)
        {
            start.ArgumentList.Add(chatText);
        }

        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new InvalidOperationException("watch.mjs printed nothing: " + await errors);
        return JsonSerializer.Deserialize<WatchReport>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}

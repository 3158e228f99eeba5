using System.Diagnostics;
using System.Text.Json;

namespace Nio.TestSupport;

/// <summary>
/// Debian's Chromium publishing camera and microphone (fake devices) over WHIP, driven by
/// <c>tests/EndToEnd/browser/whip.mjs</c> (run <c>./nio npm tests/EndToEnd/browser</c> first). Disposing it closes the
/// browser without a DELETE; <see cref="Kill"/> makes it vanish as a crashed browser does.
/// </summary>
public sealed class WhipBrowser : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process node;
    private readonly Task<string> errors;

    private WhipBrowser(Process node)
    {
        this.node = node;
        errors = node.StandardError.ReadToEndAsync();
    }

    /// <summary>What the POST answered and the peer connection's state: status, location, etag, state (problem when refused).</summary>
    public JsonElement Started { get; private set; }

    public static async Task<WhipBrowser> PublishAsync(string whipUrl, string streamKey)
    {
        var browser = new WhipBrowser(Start(whipUrl, streamKey, 1));
        browser.Started = await browser.ReadAsync();
        return browser;
    }

    /// <summary>That many sessions one after another in one browser, each POSTed, connected and DELETEd: what each got.</summary>
    public static async Task<List<JsonElement>> AttemptsAsync(string whipUrl, string streamKey, int attempts)
    {
        await using var browser = new WhipBrowser(Start(whipUrl, streamKey, attempts));
        return [.. (await browser.ReadAsync(TimeSpan.FromSeconds(30 * attempts))).GetProperty("attempts").EnumerateArray()];
    }

    /// <summary>"delete", "restart" or "stats": the script's answer.</summary>
    public async Task<JsonElement> CommandAsync(string command)
    {
        await node.StandardInput.WriteLineAsync(command);
        await node.StandardInput.FlushAsync();
        return await ReadAsync();
    }

    /// <summary>Ends the browser at once, with no DELETE and no DTLS close: as if its machine went away.</summary>
    public void Kill() => node.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        try
        {
            node.StandardInput.Close();
        }
        catch (IOException)
        {
            // Killed already.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await node.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
        }

        node.Dispose();
    }

    private static Process Start(string whipUrl, string streamKey, int attempts)
    {
        var playwright = Path.Combine(TestHost.RepositoryRoot(), "tests", "EndToEnd", "browser", "node_modules", "playwright-core");
        Assert.True(Directory.Exists(playwright), "playwright-core is missing: run ./nio npm tests/EndToEnd/browser");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestHost.RepositoryRoot(), "tests", "EndToEnd", "browser", "whip.mjs"));
        start.ArgumentList.Add(whipUrl);
        start.ArgumentList.Add(streamKey);
        start.ArgumentList.Add(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Deadline);
        var line = await node.StandardOutput.ReadLineAsync(deadline.Token);
        if (line is null)
        {
            throw new InvalidOperationException("whip.mjs ended: " + await errors);
        }

        var report = JsonDocument.Parse(line).RootElement;
        Assert.False(report.TryGetProperty("error", out var error), $"whip.mjs: {error}");
        return report;
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace Nio.TestSupport;

/// <summary>The WebRTC stack a <see cref="WhipClient"/> publishes with; each is written independently of the others.</summary>
public enum WhipStack
{
    /// <summary>Debian's Chromium, camera and microphone faked: <c>tests/EndToEnd/browser/whip.mjs</c>.</summary>
    Chromium,

    /// <summary>werift, WebRTC in TypeScript on Node: <c>tests/TestSupport/werift/whip.mjs</c>.</summary>
    Werift,

    /// <summary>GStreamer's webrtcbin and libnice, from Debian's Python: <c>tests/TestSupport/gstreamer/whip.py</c>.</summary>
    GStreamer,
}

/// <summary>
/// A WHIP publisher in a process of its own, driven over JSON lines by its script (<c>./nio test</c> installs what
/// each needs). Disposing it ends the publisher without a DELETE; <see cref="Kill"/> makes it vanish as a crashed
/// browser does.
/// </summary>
public sealed class WhipClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process node;
    private readonly Task<string> errors;

    private WhipClient(Process node)
    {
        this.node = node;
        errors = node.StandardError.ReadToEndAsync();
    }

    /// <summary>What the POST answered and the peer connection's state: status, location, etag, state (problem when refused).</summary>
    public JsonElement Started { get; private set; }

    public static async Task<WhipClient> PublishAsync(string whipUrl, string streamKey, WhipStack stack = WhipStack.Chromium)
    {
        var client = new WhipClient(Start(stack, whipUrl, streamKey, 1));
        client.Started = await client.ReadAsync();
        return client;
    }

    /// <summary>That many sessions one after another in one client, each POSTed, connected and DELETEd: what each got.</summary>
    public static async Task<List<JsonElement>> AttemptsAsync(string whipUrl, string streamKey, int attempts, WhipStack stack = WhipStack.Chromium)
    {
        await using var client = new WhipClient(Start(stack, whipUrl, streamKey, attempts));
        return [.. (await client.ReadAsync(TimeSpan.FromSeconds(30 * attempts))).GetProperty("attempts").EnumerateArray()];
    }

    /// <summary>"delete" (every stack), "restart" or "stats" (Chromium): the script's answer.</summary>
    public async Task<JsonElement> CommandAsync(string command)
    {
        await node.StandardInput.WriteLineAsync(command);
        await node.StandardInput.FlushAsync();
        return await ReadAsync();
    }

    /// <summary>Ends the client at once, with no DELETE and no DTLS close: as if its machine went away.</summary>
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

    private static Process Start(WhipStack stack, string whipUrl, string streamKey, int attempts)
    {
        var start = stack switch
        {
            WhipStack.Chromium => NodeScript("tests/EndToEnd/browser", "playwright-core"),
            WhipStack.Werift => NodeScript("tests/TestSupport/werift", "werift"),
            WhipStack.GStreamer => GStreamerScript(),
            _ => throw new ArgumentOutOfRangeException(nameof(stack)),
        };
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.ArgumentList.Add(whipUrl);
        start.ArgumentList.Add(streamKey);
        start.ArgumentList.Add(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private static ProcessStartInfo NodeScript(string folder, string package)
    {
        var script = Path.Combine(TestHost.RepositoryRoot(), folder);
        Assert.True(Directory.Exists(Path.Combine(script, "node_modules", package)), $"{package} is missing: run ./nio npm {folder}");
        return new ProcessStartInfo("node") { ArgumentList = { Path.Combine(script, "whip.mjs") } };
    }

    /// <summary>Debian's Python (not one earlier on PATH), which has the GObject bindings the script needs.</summary>
    private static ProcessStartInfo GStreamerScript()
    {
        const string python = "/usr/bin/python3";
        using var check = Process.Start(new ProcessStartInfo(python)
        {
            ArgumentList = { "-c", "import gi; [gi.require_version(n, v) for n, v in (('Gst', '1.0'), ('GstSdp', '1.0'), ('GstWebRTC', '1.0'), ('Nice', '0.1'))]" },
            RedirectStandardError = true,
        })!;
        var missing = check.StandardError.ReadToEnd();
        check.WaitForExit();
        Assert.True(check.ExitCode == 0, "GStreamer's WebRTC from Python is missing (./nio test installs python3-gi, gir1.2-gst-plugins-bad-1.0, gir1.2-nice-0.1, gstreamer1.0-nice): " + missing);
        return new ProcessStartInfo(python) { ArgumentList = { Path.Combine(TestHost.RepositoryRoot(), "tests", "TestSupport", "gstreamer", "whip.py") } };
    }

    private async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Deadline);
        var line = await node.StandardOutput.ReadLineAsync(deadline.Token);
        if (line is null)
        {
            throw new InvalidOperationException("the WHIP client ended: " + await errors);
        }

        var report = JsonDocument.Parse(line).RootElement;
        Assert.False(report.TryGetProperty("error", out var error), $"whip.mjs: {error}");
        return report;
    }
}

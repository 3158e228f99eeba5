using System.Diagnostics;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>Runs one of the browser/*.mjs scripts (Debian's Chromium through playwright-core) and reads its report: the last line it prints, as JSON.</summary>
public static class BrowserScript
{
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestHost.RepositoryRoot(), "tests", "EndToEnd", "browser", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var node = Process.Start(start)!;
        var errors = node.StandardError.ReadToEndAsync();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"{script} printed nothing: " + await errors);
    }
}

using Nio.TestSupport;
using Xunit.Abstractions;

namespace Nio.EndToEnd;

/// <summary>
/// The web app's own unit tests (<c>Web/test</c>, Node's test runner: the WHIP client's HTTP side against a WHIP
/// endpoint on a real socket, the chat's system lines in English and Russian), run here so that the one test command
/// covers them too.
/// </summary>
public sealed class WebUnitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_web_app_s_unit_tests_pass()
    {
        // The app's packages from its lock file, as ./nio up installs them (nothing is done when they are current).
        var install = await TestHost.RunAsync("bash", ["nio", "npm", "Web"]);
        Assert.True(install.ExitCode == 0, install.Output + install.Error);

        var (exitCode, text, error) = await TestHost.RunAsync("npm", ["test", "--prefix", "Web"]);
        output.WriteLine(text + error);
        Assert.True(exitCode == 0, text + error);
        Assert.Contains("# fail 0", text);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nio.TestSupport;

namespace Nio.Admin.Tests.Journey;

/// <summary>
/// The real services an operator's panel needs: the Api on a real port (its own PostgreSQL database), the Ingest that
/// ffmpeg publishes to, and the panel itself as its own process (built beside this test, as <c>./nio up</c> runs it).
/// </summary>
public sealed class PanelStack : IAsyncLifetime
{
    private readonly StringBuilder panelLog = new();
    private Process? panel;

    public LiveIngest Ingest { get; } = new();

    public LiveApiFactory Api => (LiveApiFactory)Ingest.Api;

    public int PanelPort { get; } = TestHost.FreePort();

    public string PanelUrl => $"http://127.0.0.1:{PanelPort}";

    public string PanelLog
    {
        get
        {
            lock (panelLog)
            {
                return panelLog.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        await Ingest.InitializeAsync();
        panel = StartPanel();
        using var probe = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(panel.HasExited, "the panel exited during start-up:\n" + PanelLog);
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the panel did not answer /healthz within 60 s:\n" + PanelLog);
            try
            {
                if ((await probe.GetAsync($"{PanelUrl}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (panel is { HasExited: false })
        {
            panel.Kill(entireProcessTree: true);
            await panel.WaitForExitAsync();
        }

        panel?.Dispose();
        await Ingest.DisposeAsync();
    }

    private Process StartPanel()
    {
        // The panel's build output of the same configuration as this test's (the test project references it).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var output = Path.Combine(TestHost.RepositoryRoot(), "Admin", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("Nio.Admin.dll");
        start.Environment["NIO_ADMIN_PORT"] = PanelPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["NIO_ADMIN_API_URL"] = Api.BaseUrl;
        start.Environment.Remove("NIO_HOST");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        lock (panelLog)
        {
            panelLog.AppendLine(line);
        }
    }

    /// <summary>The Ingest in front of the Api on its real port; withdrawals of a few beans allowed, so a test's gifts suffice.</summary>
    public sealed class LiveIngest : IngestFixture
    {
        public LiveIngest()
            : base(new PanelApi())
        {
            ((PanelApi)Api).IngestHealthUrl = $"http://127.0.0.1:{HttpPort}/healthz";
        }
    }

    private sealed class PanelApi : LiveApiFactory
    {
        public string IngestHealthUrl { get; set; } = "";

        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Withdrawals:MinimumBeans"] = "1";
                settings["ServiceHealth:Api"] = BaseUrl + "/healthz";
                settings["ServiceHealth:Ingest"] = IngestHealthUrl;
                return settings;
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Nio.TestSupport;
using Nio.Transcoder.Hosting;
using Nio.Transcoder.Live;
using Xunit.Abstractions;

namespace Nio.Transcoder.Tests.Support;

/// <summary>
/// The real Transcoder host on a loopback port, watching the fixture's real Ingest, with its own data folder and the
/// media store the test chooses; its log goes to the test's output.
/// </summary>
public sealed class TranscoderService : IAsyncDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("nio-transcoder-").FullName;
    private readonly WebApplication host;
    private readonly HttpClient client;

    private TranscoderService(
        IngestFixture ingest, IReadOnlyDictionary<string, string?> settings, ITestOutputHelper output, Action<WebApplicationBuilder>? configure)
    {
        var port = TestHost.FreePort();
        host = TranscoderHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Http:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["DataDir"] = dataDir,
                ["Ingest:Url"] = ingest.InternalUrl,
                ["Ingest:Secret"] = ingest.TranscoderSecret,
                // Nothing listens there: pushes and reports fail, which packaging never waits for.
                ["Origin:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
                ["Api:Url"] = $"http://127.0.0.1:{TestHost.FreePort()}",
                // Two renditions are enough to show every path and spare the CPU of small test machines.
                ["Transcoder:Renditions:0:Name"] = "source",
                ["Transcoder:Renditions:0:VideoKbps"] = "4500",
                ["Transcoder:Renditions:0:AudioKbps"] = "128",
                ["Transcoder:Renditions:1:Name"] = "240p",
                ["Transcoder:Renditions:1:Height"] = "240",
                ["Transcoder:Renditions:1:VideoKbps"] = "400",
                ["Transcoder:Renditions:1:AudioKbps"] = "64",
            });
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
            // Nothing answers the pushes: one line per part would bury what the test is about.
            builder.Logging.AddFilter(typeof(OriginNotifier).FullName, LogLevel.None);
            configure?.Invoke(builder);
        });
        client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public IServiceProvider Services => host.Services;

    /// <summary>Whether the host is stopping or stopped, by itself (a background service that failed) or by the test.</summary>
    public bool Stopping => host.Lifetime.ApplicationStopping.IsCancellationRequested;

    /// <param name="settings">Configuration over the defaults here (the Ingest's address, a two-rendition ladder).</param>
    /// <param name="configure">Anything else, after the settings (services to replace).</param>
    public static async Task<TranscoderService> StartAsync(
        IngestFixture ingest, Dictionary<string, string?> settings, ITestOutputHelper output, Action<WebApplicationBuilder>? configure = null)
    {
        var service = new TranscoderService(ingest, settings, output, configure);
        await service.host.StartAsync();
        return service;
    }

    /// <summary>The Transcoder's <c>/healthz</c> answer.</summary>
    public async Task<JsonElement> HealthAsync()
    {
        using var response = await client.GetAsync("/healthz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await host.StopAsync();
        await host.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
    }
}

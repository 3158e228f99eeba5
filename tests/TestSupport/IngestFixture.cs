using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Streams;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Hosting;

namespace Nio.TestSupport;

/// <summary>The real Ingest on loopback ports, talking to the real Api (in process, on its own PostgreSQL database).</summary>
public class IngestFixture : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "nio-ingest-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplication? ingest;

    public IngestFixture()
        : this(new ApiFactory())
    {
    }

    /// <summary>With <paramref name="api"/> instead of the in-memory Api (a <see cref="LiveApiFactory"/> for tests that need its real port).</summary>
    protected IngestFixture(ApiFactory api) => Api = api;

    public ApiFactory Api { get; }

    /// <summary>Lets a test make the Api stop answering the Ingest; off until a test begins one.</summary>
    public ApiOutage ApiOutage { get; } = new();

    public int RtmpPort { get; } = TestHost.FreePort();

    public int HttpPort { get; } = TestHost.FreePort();

    /// <summary>
    /// The Transcoder's secret for the Ingest's internal routes: this fixture's own, so a test can look for it among every
    /// process of the machine.
    /// </summary>
    public string TranscoderSecret { get; } = "test-transcoder-to-ingest-" + Guid.NewGuid().ToString("N");

    /// <summary>The internal listener, where the Transcoder reads streams.</summary>
    public int InternalPort { get; } = TestHost.FreePort();

    public string InternalUrl => $"http://127.0.0.1:{InternalPort}";

    /// <summary>The running Ingest's services (its media hub, for a publisher that speaks no RTMP).</summary>
    public IServiceProvider Services => ingest?.Services ?? throw new InvalidOperationException("The Ingest has not started.");

    public string RtmpUrl(string key) => $"rtmp://127.0.0.1:{RtmpPort}/live/{key}";

    /// <summary>The WHIP endpoint (every stream's <c>whipUrl</c>).</summary>
    public string WhipUrl => $"http://127.0.0.1:{HttpPort}/whip";

    /// <summary>How long a WHIP publisher's consent checks may stop before its broadcast ends.</summary>
    public const double ConsentTimeoutSeconds = 8;

    /// <summary>The bitrate WHIP publishers are held to: below what a browser on loopback would soon estimate.</summary>
    public const int WebRtcMaxBitrateKbps = 1000;

    public string FlvUrl(Guid streamId) => $"{InternalUrl}/live/{streamId}.flv";

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        var apiHandler = ApiOutage.InFrontOf(Api.InternalHandler());
        ingest = IngestHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rtmp:Port"] = RtmpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Http:Port"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Api:Url"] = Api.InternalUrl,
                ["Api:Secret"] = ApiFactory.IngestSecret,
                ["Http:InternalPort"] = InternalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Transcoder:Secret"] = TranscoderSecret,
                ["Api:HeartbeatSeconds"] = "0.5",
                ["Rtmp:HandshakeTimeoutSeconds"] = "2",
                // Short enough for the idle-timeout test, long enough that a publisher starved of CPU while encoders
                // run beside it on a small machine is not taken for a silent one.
                ["Rtmp:IdleTimeoutSeconds"] = "5",
                ["DataDir"] = dataDir,
                // A port of its own for every fixture; short consent so a vanished browser is noticed within a test.
                ["WebRtc:UdpPort"] = "0",
                ["WebRtc:ConsentTimeoutSeconds"] = ConsentTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["WebRtc:MaxBitrateKbps"] = WebRtcMaxBitrateKbps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            builder.Services.AddHttpClient<ApiClient>().ConfigurePrimaryHttpMessageHandler(() => apiHandler);
            Configure(builder);
        });
        await ingest.StartAsync();
    }

    /// <summary>Settings and services a fixture for some tests changes (added after the ones above, so they win).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        if (ingest is not null)
        {
            await ingest.DisposeAsync();
        }

        await ((IAsyncLifetime)Api).DisposeAsync();
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    public async Task<string> StatusAsync(Guid streamId) =>
        (await Api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{streamId}"))!.Status;

    /// <summary>Polls the Api until the stream has the status, or fails after the timeout.</summary>
    public async Task WaitForStatusAsync(Guid streamId, string status, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        string current;
        while ((current = await StatusAsync(streamId)) != status)
        {
            Assert.True(watch.Elapsed < timeout, $"stream {streamId} stayed {current}, expected {status} within {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}

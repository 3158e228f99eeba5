using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nio.TestSupport;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Support;

/// <summary>The Transcoder's clients of the other services, pointed at the test fixtures.</summary>
public static class ServiceClients
{
    /// <summary>The Transcoder's client of the fixture's real Ingest.</summary>
    public static IngestClient Ingest(IngestFixture ingest) => new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new IngestOptions { Url = $"http://127.0.0.1:{ingest.HttpPort}", Secret = ApiFactory.IngestSecret }));

    /// <summary>The Transcoder's client of the fixture's in-process Api.</summary>
    public static ApiClient Api(ApiFactory api)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(nameof(ApiClient)).ConfigurePrimaryHttpMessageHandler(() => api.Server.CreateHandler());
        return new ApiClient(
            services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new ApiOptions { Url = "http://api.test" }),
            Options.Create(new IngestOptions { Secret = ApiFactory.IngestSecret }));
    }
}

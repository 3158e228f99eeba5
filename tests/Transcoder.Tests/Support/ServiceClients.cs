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

    /// <summary>The Transcoder's client of the fixture's in-process Api; <paramref name="secret"/> (read at each request) defaults to the right one.</summary>
    public static ApiClient Api(ApiFactory api, IngestOptions? secret = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(nameof(ApiClient)).ConfigurePrimaryHttpMessageHandler(() => api.Server.CreateHandler());
        return new ApiClient(
            services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new ApiOptions { Url = "http://api.test" }),
            Options.Create(secret ?? new IngestOptions { Secret = ApiFactory.IngestSecret }));
    }

    /// <summary>The Transcoder's client of an Api at <paramref name="url"/> over real sockets.</summary>
    public static ApiClient ApiAt(string url) => new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new ApiOptions { Url = url }),
        Options.Create(new IngestOptions { Secret = ApiFactory.IngestSecret }));
}

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
        Options.Create(new IngestOptions { Url = ingest.InternalUrl, Secret = ingest.TranscoderSecret }));

    /// <summary>The Transcoder's client of the fixture's in-process Api; <paramref name="options"/> (read at each request) default to the right secret.</summary>
    public static ApiClient Api(ApiFactory api, ApiOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(nameof(ApiClient)).ConfigurePrimaryHttpMessageHandler(api.InternalHandler);
        return new ApiClient(
            services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(options ?? new ApiOptions { Url = "http://api.test", Secret = ApiFactory.TranscoderSecret }));
    }

    /// <summary>The Transcoder's client of an Api at <paramref name="url"/> over real sockets.</summary>
    public static ApiClient ApiAt(string url) => new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new ApiOptions { Url = url, Secret = ApiFactory.TranscoderSecret }));
}

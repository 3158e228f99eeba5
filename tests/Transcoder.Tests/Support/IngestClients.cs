using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nio.TestSupport;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Support;

public static class IngestClients
{
    /// <summary>The Transcoder's client of the fixture's real Ingest.</summary>
    public static IngestClient For(IngestFixture ingest) => new(
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
        Options.Create(new IngestOptions { Url = $"http://127.0.0.1:{ingest.HttpPort}", Secret = ApiFactory.IngestSecret }));
}

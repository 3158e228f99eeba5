using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nio.Ingest.ApiLink;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Infrastructure;

/// <summary>The Ingest with small admission limits and short Api timeouts, so tests reach each of them in seconds.</summary>
public sealed class LimitedIngestFixture : IngestFixture
{
    public const int ConnectionsPerAddress = 3;
    public const int Connections = 8;
    public const int RefusedKeysPerMinute = 3;
    public const double PublishDeadlineSeconds = 5;
    public const double ApiRequestTimeoutSeconds = 3;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rtmp:MaxConnectionsPerAddress"] = Invariant(ConnectionsPerAddress),
            ["Rtmp:MaxConnections"] = Invariant(Connections),
            ["Publishing:RefusedKeysPerMinute"] = Invariant(RefusedKeysPerMinute),
            ["Rtmp:PublishDeadlineSeconds"] = Invariant(PublishDeadlineSeconds),
            // Longer than the deadline, so that only the deadline can close a connection that keeps talking.
            ["Rtmp:IdleTimeoutSeconds"] = "20",
            ["Api:RequestTimeoutSeconds"] = Invariant(ApiRequestTimeoutSeconds),
        });
        // HttpClient's own timeout (100 s unless set) shortened as well, so that a stalled Api meets it within a test.
        builder.Services.AddHttpClient<ApiClient>().ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(ApiRequestTimeoutSeconds + 1));
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class LimitedIngestCollection : ICollectionFixture<LimitedIngestFixture>
{
    public const string Name = "limited ingest";
}

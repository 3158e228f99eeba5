using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Infrastructure;

/// <summary>The Ingest with small admission limits, so tests reach each of them in seconds.</summary>
public sealed class LimitedIngestFixture : IngestFixture
{
    public const int ConnectionsPerAddress = 3;
    public const int Connections = 8;
    public const int RefusedKeysPerMinute = 3;
    public const double PublishDeadlineSeconds = 5;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rtmp:MaxConnectionsPerAddress"] = Invariant(ConnectionsPerAddress),
            ["Rtmp:MaxConnections"] = Invariant(Connections),
            ["Rtmp:RefusedKeysPerMinute"] = Invariant(RefusedKeysPerMinute),
            ["Rtmp:PublishDeadlineSeconds"] = Invariant(PublishDeadlineSeconds),
            // Longer than the deadline, so that only the deadline can close a connection that keeps talking.
            ["Rtmp:IdleTimeoutSeconds"] = "20",
        });
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class LimitedIngestCollection : ICollectionFixture<LimitedIngestFixture>
{
    public const string Name = "limited ingest";
}

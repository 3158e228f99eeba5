using Nio.TestSupport;

namespace Nio.Ingest.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class IngestCollection : ICollectionFixture<IngestFixture>
{
    public const string Name = "ingest";
}

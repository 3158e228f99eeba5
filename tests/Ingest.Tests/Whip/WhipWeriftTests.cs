using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Whip;

/// <summary>werift, a WebRTC stack in TypeScript that shares no code with Chromium's, publishing over WHIP.</summary>
[Collection(IngestCollection.Name)]
public sealed class WhipWeriftTests(IngestFixture ingest) : WhipClientTests(ingest, WhipStack.Werift);

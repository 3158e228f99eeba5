using Nio.Ingest.Tests.Infrastructure;
using Nio.TestSupport;

namespace Nio.Ingest.Tests.Whip;

/// <summary>GStreamer's webrtcbin with libnice, a third WebRTC stack independent of the other two, publishing over WHIP.</summary>
[Collection(IngestCollection.Name)]
public sealed class WhipGStreamerTests(IngestFixture ingest) : WhipClientTests(ingest, WhipStack.GStreamer);

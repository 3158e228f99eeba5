using Nio.Ingest.Hosting;
using Nio.Shared.Hosting;

namespace Nio.Ingest;

/// <summary>The Ingest's entry point (named, so it never clashes with the Api's <c>Program</c> in test hosts).</summary>
public static class IngestProgram
{
    public static void Main(string[] args)
    {
        InlineSockets.EnableForProcess();
        // Media payloads are rented from the shared ArrayPool, and each stream's cached group of pictures holds a few
        // hundred of them until the next keyframe returns them all at once: with the default 32 arrays per size and
        // core the pool dropped most of those and the following messages allocated afresh. Read at the pool's first use.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION", "1024");
        IngestHost.Build(args).Run();
    }
}

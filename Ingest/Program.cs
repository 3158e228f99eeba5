using Nio.Ingest.Hosting;

namespace Nio.Ingest;

/// <summary>The Ingest's entry point (named, so it never clashes with the Api's <c>Program</c> in test hosts).</summary>
public static class IngestProgram
{
    public static void Main(string[] args)
    {
        // Socket completions run on the epoll thread instead of waking a thread-pool worker for each read: the RTMP
        // handlers never block, and the wake-ups were the Ingest's largest cost. Read once, when sockets are first used.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        IngestHost.Build(args).Run();
    }
}

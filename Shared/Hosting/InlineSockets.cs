using Microsoft.AspNetCore.Hosting;

namespace Nio.Shared.Hosting;

/// <summary>
/// For services whose request handlers never block a thread (the Ingest relaying media, the Origin answering from
/// memory): a socket's completion and the connection's work run on the epoll thread that saw the socket ready,
/// instead of waking a thread-pool worker for each read and again for each request. Those wake-ups and context
/// switches were the largest cost of both services under load.
/// </summary>
public static class InlineSockets
{
    /// <summary>
    /// Process-wide, and read when sockets are first used: only a service's entry point calls it, never a host built
    /// inside another process (a test's), where blocking code could then stall an epoll thread.
    /// </summary>
    public static void EnableForProcess() =>
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

    /// <summary>Kestrel's side: the connection's pipes continue inline rather than through Kestrel's I/O queues.</summary>
    public static IWebHostBuilder UseInlineSockets(this IWebHostBuilder webHost) => webHost.UseSockets(sockets =>
    {
        sockets.UnsafePreferInlineScheduling = true;
        // Receive straight into the connection's pipe: waiting first with a zero-byte receive costs one more recv (a
        // one-byte peek) per arrival, for a 4 KiB block saved while a connection is idle.
        sockets.WaitForDataBeforeAllocatingBuffer = false;
    });
}

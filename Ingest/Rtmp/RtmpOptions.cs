using System.ComponentModel.DataAnnotations;

namespace Nio.Ingest.Rtmp;

/// <summary>The RTMP listener (section <c>Rtmp</c>; <c>NIO_RTMP_PORT</c>).</summary>
public sealed class RtmpOptions
{
    public int Port { get; set; } = 1935;

    /// <summary>The only application name NIO publishes under: <c>rtmp://HOST/live</c>.</summary>
    public string Application { get; set; } = "live";

    public double HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public double IdleTimeoutSeconds { get; set; } = 20;

    /// <summary>A connection whose stream key has not been accepted this long after it opened is closed.</summary>
    [Range(1, 3600)]
    public double PublishDeadlineSeconds { get; set; } = 10;

    /// <summary>RTMP connections open at once, from everywhere; more are closed as they arrive.</summary>
    [Range(1, int.MaxValue)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>RTMP connections open at once from one address (an IPv6 /64 counts as one address).</summary>
    [Range(1, int.MaxValue)]
    public int MaxConnectionsPerAddress { get; set; } = 16;

    /// <summary>
    /// Bytes of unfinished messages a connection may hold until its stream key is accepted, and so its largest message
    /// then; the commands before <c>publish</c> take a few hundred. Once the key is accepted the allowance is
    /// <see cref="ChunkStreamReader.MaxBufferedBytes"/>. At least 4 KiB, room for any publisher's <c>connect</c>.
    /// </summary>
    [Range(4096, ChunkStreamReader.MaxBufferedBytes)]
    public int UnauthenticatedBufferBytes { get; set; } = 64 * 1024;
}

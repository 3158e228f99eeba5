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
}

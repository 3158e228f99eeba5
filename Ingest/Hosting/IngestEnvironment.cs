namespace Nio.Ingest.Hosting;

/// <summary>The Ingest's documented environment variables and the configuration keys they set.</summary>
public static class IngestEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_HOST"] = "Http:Host",
        ["NIO_INGEST_PORT"] = "Http:Port",
        ["NIO_RTMP_PORT"] = "Rtmp:Port",
        ["NIO_WEBRTC_UDP_PORT"] = "WebRtc:UdpPort",
        ["NIO_WEBRTC_PUBLIC_IP"] = "WebRtc:PublicIp",
        ["NIO_WEBRTC_MAX_BITRATE_KBPS"] = "WebRtc:MaxBitrateKbps",
        ["NIO_DATA_DIR"] = "DataDir",
        ["NIO_API_URL"] = "Api:Url",
        ["NIO_INGEST_INTERNAL_PORT"] = "Http:InternalPort",
        ["NIO_INGEST_TO_API_SECRET"] = "Api:Secret",
        ["NIO_TRANSCODER_TO_INGEST_SECRET"] = "Transcoder:Secret",
    };
}

namespace Nio.Transcoder.Hosting;

/// <summary>The Transcoder's documented environment variables and the configuration keys they set.</summary>
public static class TranscoderEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_HOST"] = "Http:Host",
        ["NIO_TRANSCODER_PORT"] = "Http:Port",
        ["NIO_DATA_DIR"] = "DataDir",
        ["NIO_INGEST_URL"] = "Ingest:Url",
        ["NIO_TRANSCODER_TO_INGEST_SECRET"] = "Ingest:Secret",
        ["NIO_ORIGIN_URL"] = "Origin:Url",
        ["NIO_TRANSCODER_TO_ORIGIN_SECRET"] = "Origin:Secret",
        ["NIO_API_URL"] = "Api:Url",
        ["NIO_TRANSCODER_TO_API_SECRET"] = "Api:Secret",
    };
}

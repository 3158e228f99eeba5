using Nio.Shared.Hosting;

namespace Nio.Shared.Security;

/// <summary>
/// The credentials NIO services present to each other: one per caller and service called, each accepted only by the
/// routes that caller needs. Each is read from its setting, else generated at first use into the data folder
/// (<c>secrets/{name}</c>), which services sharing that folder (<c>./nio up</c>) read alike.
/// </summary>
public static class InternalSecrets
{
    /// <summary>The Ingest calling the Api: stream key checks, live and offline reports (<c>/api/ingest</c>).</summary>
    public const string IngestToApi = "ingest_to_api";

    /// <summary>The Transcoder calling the Api: thumbnails, retention, recordings (<c>/api/transcoder</c>).</summary>
    public const string TranscoderToApi = "transcoder_to_api";

    /// <summary>The Transcoder calling the Ingest: which streams are live, their codecs and HTTP-FLV (<c>/live</c>).</summary>
    public const string TranscoderToIngest = "transcoder_to_ingest";

    /// <summary>The Transcoder calling the Origin: playlist pushes (<c>/internal/playlists</c>).</summary>
    public const string TranscoderToOrigin = "transcoder_to_origin";

    /// <summary>The secret <paramref name="name"/>: <paramref name="configured"/> when set, else the one kept in the data folder.</summary>
    public static string InternalSecret(this DataFolder dataFolder, string name, string? configured) =>
        string.IsNullOrEmpty(configured) ? dataFolder.GetOrCreateSecret(name) : configured;
}

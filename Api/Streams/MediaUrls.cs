using Nio.Shared.LlHls;

namespace Nio.Api.Streams;

/// <summary>
/// Where publishers and players reach the media services (section <c>MediaUrls</c>; <c>NIO_RTMP_URL</c>,
/// <c>NIO_WHIP_URL</c>, <c>NIO_PLAYBACK_URL</c>). <c>{host}</c> stands for the host name the client used to reach
/// the Api, so the defaults work from this machine and from the local network alike.
/// </summary>
public sealed class MediaUrlOptions
{
    public string Rtmp { get; set; } = "rtmp://{host}:1935/live";

    public string Whip { get; set; } = "http://{host}:8081/whip";

    public string Playback { get; set; } = "http://{host}:8080/live";
}

public sealed record MediaUrls(string RtmpUrl, string WhipUrl, string PlaybackBase)
{
    public static MediaUrls For(MediaUrlOptions options, HttpRequest request)
    {
        var host = request.Host.Host;
        return new MediaUrls(Fill(options.Rtmp, host), Fill(options.Whip, host), Fill(options.Playback, host));
    }

    /// <summary>The stream's multivariant playlist on the Origin.</summary>
    public string Playback(Guid streamId) => Media($"{streamId}/master.m3u8");

    /// <summary>A file the Origin serves, from its path relative to the playback base.</summary>
    public string Media(string relativePath) => $"{PlaybackBase}/{relativePath}";

    /// <summary>The stream's recording (video on demand) on the Origin.</summary>
    public string Recording(Guid streamId) => Media($"{streamId}/{MediaUris.Recording}");

    private static string Fill(string template, string host) => template.Replace("{host}", host, StringComparison.Ordinal).TrimEnd('/');
}

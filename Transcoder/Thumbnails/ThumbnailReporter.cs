using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Thumbnails;

/// <summary>Where the Api is (section <c>Api</c>; <c>NIO_API_URL</c>).</summary>
public sealed class ApiOptions
{
    public string Url { get; set; } = "http://127.0.0.1:5000";
}

/// <summary>
/// Tells the Api that a stream has a thumbnail, so <c>GET /api/streams</c> lists its URL. Sent for every thumbnail,
/// not only the first: one small request every few seconds per stream, and a report the Api missed (it was
/// restarting, or heard of the stream going live a moment later) is made good by the next one.
/// </summary>
public sealed partial class ThumbnailReporter(
    IHttpClientFactory clients, IOptions<ApiOptions> api, IOptions<IngestOptions> secret, ILogger<ThumbnailReporter> logger) : IThumbnailListener
{
    public async Task ThumbnailStoredAsync(Guid streamId, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(api.Value.Url.TrimEnd('/') + "/"), $"api/transcoder/streams/{streamId}/thumbnail"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Value.Secret);
            using var response = await clients.CreateClient(nameof(ThumbnailReporter)).SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogNotTaken(streamId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: the Api did not take the thumbnail report: {Reason}")]
    private partial void LogNotTaken(Guid streamId, string reason);
}

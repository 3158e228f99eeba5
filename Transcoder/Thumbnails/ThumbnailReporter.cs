using Nio.Transcoder.Live;

namespace Nio.Transcoder.Thumbnails;

/// <summary>
/// Tells the Api that a stream has a thumbnail, so <c>GET /api/streams</c> lists its URL. Sent for every thumbnail,
/// not only the first: one small request every few seconds per stream, and a report the Api missed (it was
/// restarting, or heard of the stream going live a moment later) is made good by the next one.
/// </summary>
public sealed partial class ThumbnailReporter(ApiClient api, ILogger<ThumbnailReporter> logger) : IThumbnailListener
{
    public async Task ThumbnailStoredAsync(Guid streamId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await api.SendAsync(
                HttpMethod.Post, $"api/transcoder/streams/{streamId}/thumbnail", null, TimeSpan.FromSeconds(2), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotTaken(streamId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: the Api did not take the thumbnail report: {Reason}")]
    private partial void LogNotTaken(Guid streamId, string reason);
}

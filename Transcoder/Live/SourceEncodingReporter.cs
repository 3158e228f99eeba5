using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>Hears how a live stream's source is encoded, for the stream's health.</summary>
public interface ISourceEncodingListener
{
    /// <summary>An FFmpeg run starts that re-encodes the source, whose keyframes came too far apart.</summary>
    Task SourceReencodedAsync(Guid streamId, double secondsWithoutKeyframe, CancellationToken cancellationToken);
}

/// <summary>
/// Tells the Api that a stream's source is re-encoded, so <c>GET /api/streams/{id}/health</c> says so. Sent at the
/// start of every FFmpeg run that does it: a publisher that reconnects starts a new broadcast in the Api, whose health
/// starts clean.
/// </summary>
public sealed partial class SourceEncodingReporter(ApiClient api, ILogger<SourceEncodingReporter> logger) : ISourceEncodingListener
{
    public async Task SourceReencodedAsync(Guid streamId, double secondsWithoutKeyframe, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await api.SendAsync(
                HttpMethod.Post, $"api/transcoder/streams/{streamId}/source-reencoded", new SourceReencodedReport(secondsWithoutKeyframe),
                TimeSpan.FromSeconds(2), cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogNotTaken(streamId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: the Api did not take the report that its source is re-encoded: {Reason}")]
    private partial void LogNotTaken(Guid streamId, string reason);
}

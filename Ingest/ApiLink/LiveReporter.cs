using Microsoft.Extensions.Options;
using Nio.Ingest.Codecs;
using Nio.Ingest.Streams;
using Nio.Shared.Media;

namespace Nio.Ingest.ApiLink;

/// <summary>
/// Keeps the Api told that a publication is live (at once, then as a heartbeat), stops the publisher when the Api
/// says the stream ended or its key was rotated, and reports it offline when it ends — unless it was taken over.
/// Each heartbeat carries the stream's health as measured so far (so it comes at least every 5 s).
/// An unreachable Api never cuts a stream: the heartbeat simply tries again.
/// </summary>
public sealed partial class LiveReporter(ApiClient api, IOptions<ApiLinkOptions> options, ILogger<LiveReporter> logger)
{
    public async Task RunAsync(Publication publication)
    {
        var ended = publication.Ended;
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        CodecConfigException? loggedConfigError = null;
        try
        {
            do
            {
                var (health, configError) = publication.Stream.Health();
                if (configError is not null && !ReferenceEquals(configError, loggedConfigError))
                {
                    loggedConfigError = configError;
                    LogConfigNotUnderstood(publication.Owner.StreamId, configError.Message);
                }

                if (await TryReportLiveAsync(publication, health, ended) == LiveAnswer.Stop)
                {
                    LogStopped(publication.Owner.StreamId);
                    publication.Stop("the Api ended the stream or rotated its key");
                    return;
                }
            }
            while (await timer.WaitForNextTickAsync(ended));
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The publication ended.
        }
        finally
        {
            if (!publication.WasReplaced)
            {
                await ReportOfflineAsync(publication);
            }
        }
    }

    private async Task<LiveAnswer> TryReportLiveAsync(Publication publication, StreamHealthReport health, CancellationToken ended)
    {
        try
        {
            return await api.ReportLiveAsync(publication.Owner, publication.StreamKey, health, ended);
        }
        catch (HttpRequestException exception)
        {
            LogApiUnreachable(publication.Owner.StreamId, exception.Message);
            return LiveAnswer.Continue;
        }
    }

    private async Task ReportOfflineAsync(Publication publication)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await api.ReportOfflineAsync(publication.Owner, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            // The Api's reaper marks the stream offline once heartbeats stop.
            LogApiUnreachable(publication.Owner.StreamId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: a codec configuration was not understood ({Reason}); its health report leaves those details out")]
    private partial void LogConfigNotUnderstood(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: the Api ended it or rotated its key; dropping the publisher")]
    private partial void LogStopped(Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: could not reach the Api ({Reason}); will retry")]
    private partial void LogApiUnreachable(Guid streamId, string reason);
}

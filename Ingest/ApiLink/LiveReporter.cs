using Microsoft.Extensions.Options;
using Nio.Ingest.Codecs;
using Nio.Ingest.Streams;
using Nio.Shared.Hosting;
using Nio.Shared.Media;

namespace Nio.Ingest.ApiLink;

/// <summary>
/// Keeps the Api told that a publication is live (at once, then as a heartbeat), stops the publisher when the Api
/// says the stream ended or its key was rotated, and reports it offline when it ends — unless it was taken over.
/// Each heartbeat carries the stream's health as measured so far (so it comes at least every 5 s).
/// An Api that cannot be reached or does not answer never cuts a stream: a missed heartbeat is tried again soon, then
/// at the heartbeat's pace; only the publication's end stops it. A missed offline report is tried again for a while.
/// </summary>
public sealed partial class LiveReporter(
    ApiClient api, IHostApplicationLifetime lifetime, IOptions<ApiLinkOptions> options, ILogger<LiveReporter> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan LongestOfflineRetry = TimeSpan.FromSeconds(8);

    /// <summary>By then the Api's reaper has marked the silent stream offline itself (after 30 s by default).</summary>
    private static readonly TimeSpan OfflineReportWindow = TimeSpan.FromSeconds(30);

    public async Task RunAsync(Publication publication)
    {
        var ended = publication.Ended;
        var interval = options.Value.HeartbeatInterval;
        var failures = 0;
        CodecConfigException? loggedConfigError = null;
        try
        {
            while (true)
            {
                var (health, configError) = publication.Stream.Health();
                if (configError is not null && !ReferenceEquals(configError, loggedConfigError))
                {
                    loggedConfigError = configError;
                    LogConfigNotUnderstood(publication.Owner.StreamId, configError.Message);
                }

                var answer = await TryReportLiveAsync(publication, health, ended);
                if (answer == LiveAnswer.Stop)
                {
                    LogStopped(publication.Owner.StreamId);
                    publication.Stop("the Api ended the stream or rotated its key");
                    return;
                }

                failures = answer is null ? failures + 1 : 0;
                await Task.Delay(failures == 0 ? interval : Backoff.Delay(failures, FirstRetry, interval), ended);
            }
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

    /// <summary>The Api's answer, or null when it could not be reached or did not answer in time.</summary>
    private async Task<LiveAnswer?> TryReportLiveAsync(Publication publication, StreamHealthReport health, CancellationToken ended)
    {
        try
        {
            return await api.ReportLiveAsync(publication.Owner, publication.StreamKey, health, ended);
        }
        catch (HttpRequestException exception)
        {
            LogApiUnreachable(publication.Owner.StreamId, exception.Message);
            return null;
        }
    }

    /// <summary>
    /// Tries until the Api took the report, the window has passed, the Ingest is stopping (after one try), or the stream
    /// is live again here: a publisher that reconnected meanwhile must not be reported offline.
    /// </summary>
    private async Task ReportOfflineAsync(Publication publication)
    {
        var streamId = publication.Owner.StreamId;
        var giveUpAt = Environment.TickCount64 + (long)OfflineReportWindow.TotalMilliseconds;
        var stopping = lifetime.ApplicationStopping;
        for (var failures = 1; !publication.IsSuperseded; failures++)
        {
            try
            {
                await api.ReportOfflineAsync(publication.Owner, CancellationToken.None);
                return;
            }
            catch (HttpRequestException exception)
            {
                LogApiUnreachable(streamId, exception.Message);
            }

            var delay = Backoff.Delay(failures, FirstRetry, LongestOfflineRetry);
            if (stopping.IsCancellationRequested || Environment.TickCount64 + (long)delay.TotalMilliseconds > giveUpAt)
            {
                LogOfflineNotReported(streamId);
                return;
            }

            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                LogOfflineNotReported(streamId);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: a codec configuration was not understood ({Reason}); its health report leaves those details out")]
    private partial void LogConfigNotUnderstood(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: the Api ended it or rotated its key; dropping the publisher")]
    private partial void LogStopped(Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: could not reach the Api ({Reason}); will retry")]
    private partial void LogApiUnreachable(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: gave up reporting it offline; the Api marks it offline once its heartbeats have stopped")]
    private partial void LogOfflineNotReported(Guid streamId);
}

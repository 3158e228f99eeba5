using System.Net;
using System.Net.Http.Json;
using Nio.Shared.Hosting;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Retention;

/// <summary>What the packager needs from the Api to decide what happens to a broadcast's files.</summary>
public interface IMediaRetention
{
    /// <summary>Whether the stream was created with <c>record: true</c>; throws while the Api cannot say (no answer in time, an error).</summary>
    Task<bool> IsRecordedAsync(Guid streamId, CancellationToken cancellationToken);

    /// <summary>
    /// These files left every playlist: the Api deletes them after its grace time. <paramref name="unlessLive"/>: spare
    /// them if the stream is live again by then (names a new broadcast reuses, such as its playlists).
    /// </summary>
    void Expire(Guid streamId, IReadOnlyList<string> paths, bool unlessLive);

    /// <summary>The stream's recording (<c>live/{streamId}/recording.m3u8</c>) now includes its latest broadcast.</summary>
    void RecordingWritten(Guid streamId);
}

/// <summary>
/// Tells the Api, under <c>/api/transcoder</c> with the internal secret, what left the live window and which recordings
/// exist. Reports wait in <see cref="RetentionReports"/> (bounded, kept on disk) and go out in order, each retried
/// until the Api takes it, so an Api that restarts, is down or refuses the Transcoder's secret for a while loses
/// nothing, and neither does a Transcoder restart; packaging never waits for it. Only shutdown ends the loop.
/// </summary>
public sealed partial class ApiMediaRetention(ApiClient api, RetentionReports reports, ILogger<ApiMediaRetention> logger)
    : BackgroundService, IMediaRetention
{
    /// <summary>The most paths one request carries; the Api refuses more.</summary>
    public const int MaxPathsPerReport = 500;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    public async Task<bool> IsRecordedAsync(Guid streamId, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"api/transcoder/streams/{streamId}", null, RequestTimeout, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<StreamRetention>(cancellationToken))!.Record;
    }

    public void Expire(Guid streamId, IReadOnlyList<string> paths, bool unlessLive)
    {
        foreach (var chunk in paths.Chunk(MaxPathsPerReport))
        {
            reports.Add(new RetentionReport($"api/transcoder/streams/{streamId}/expired-media", new ExpiredMediaReport(chunk, unlessLive)));
        }
    }

    public void RecordingWritten(Guid streamId) =>
        reports.Add(new RetentionReport($"api/transcoder/streams/{streamId}/recording", null));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var report = await reports.NextAsync(stoppingToken);
            await DeliverAsync(report, stoppingToken);
            reports.Taken();
        }
    }

    /// <summary>Returns once the Api took the report, or refused it in a way no retry changes.</summary>
    private async Task DeliverAsync(RetentionReport report, CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                using var response = await api.SendAsync(HttpMethod.Post, report.Route, report.Expired, RequestTimeout, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (!WorthRetrying(response.StatusCode))
                {
                    LogRefused(report.Route, (int)response.StatusCode);
                    return;
                }

                LogNotTaken(report.Route, $"status {(int)response.StatusCode}");
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotTaken(report.Route, exception is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds} s" : exception.Message);
            }

            await Task.Delay(Backoff.Delay(failures, FirstRetry, LongestRetry), stoppingToken);
        }
    }

    /// <summary>
    /// Server errors, and the refusals that end when the Api or its operator catches up: a secret the Api does not know
    /// yet (401, 403: a rotation half done), a request it had no time for (408) or no room for (429).
    /// </summary>
    private static bool WorthRetrying(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private sealed record StreamRetention(bool Record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Api did not take {Report} yet, retrying: {Reason}")]
    private partial void LogNotTaken(string report, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Api refused {Report} with {Status}; it is dropped")]
    private partial void LogRefused(string report, int status);
}

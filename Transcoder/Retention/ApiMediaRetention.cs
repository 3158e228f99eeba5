using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Retention;

/// <summary>What the packager needs from the Api to decide what happens to a broadcast's files.</summary>
public interface IMediaRetention
{
    /// <summary>Whether the stream was created with <c>record: true</c>; throws <see cref="HttpRequestException"/> while the Api cannot say.</summary>
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
/// exist. Reports queue in memory and go out in order, each retried until the Api takes it, so an Api that restarts
/// or is briefly down loses nothing; packaging never waits for it.
/// </summary>
public sealed partial class ApiMediaRetention(ApiClient api, ILogger<ApiMediaRetention> logger) : BackgroundService, IMediaRetention
{
    /// <summary>The most paths one request carries; the Api refuses more.</summary>
    public const int MaxPathsPerReport = 500;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Report> reports = Channel.CreateUnbounded<Report>(new UnboundedChannelOptions { SingleReader = true });

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
            reports.Writer.TryWrite(new Report($"api/transcoder/streams/{streamId}/expired-media", new ExpiredMedia(chunk, unlessLive)));
        }
    }

    public void RecordingWritten(Guid streamId) =>
        reports.Writer.TryWrite(new Report($"api/transcoder/streams/{streamId}/recording", null));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var report in reports.Reader.ReadAllAsync(stoppingToken))
        {
            await DeliverAsync(report, stoppingToken);
        }
    }

    private async Task DeliverAsync(Report report, CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                using var response = await api.SendAsync(HttpMethod.Post, report.Path, report.Body, RequestTimeout, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                // A refusal will not change on a retry: say so and go on with the next report.
                if ((int)response.StatusCode < 500)
                {
                    LogRefused(report.Path, (int)response.StatusCode);
                    return;
                }

                LogNotTaken(report.Path, $"status {(int)response.StatusCode}");
            }
            catch (HttpRequestException exception)
            {
                LogNotTaken(report.Path, exception.Message);
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotTaken(report.Path, "timed out");
            }

            await Task.Delay(retry, stoppingToken);
            retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 30));
        }
    }

    private sealed record Report(string Path, object? Body);

    private sealed record ExpiredMedia(IReadOnlyList<string> Paths, bool UnlessLive);

    private sealed record StreamRetention(bool Record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Api did not take {Report} yet, retrying: {Reason}")]
    private partial void LogNotTaken(string report, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Api refused {Report} with {Status}")]
    private partial void LogRefused(string report, int status);
}

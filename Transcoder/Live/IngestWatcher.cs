using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Nio.Transcoder.Live;

/// <summary>
/// Asks the Ingest which streams have a publisher, twice a second, and keeps one <see cref="LivePackager"/> running
/// for each: a stream that appears is packaged within half a second, one that disappears ends its playlists after
/// the grace period a reconnecting publisher gets.
/// </summary>
public sealed partial class IngestWatcher(IngestClient ingest, LivePackager packager, IOptions<IngestOptions> options, ILogger<IngestWatcher> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> running = new();

    /// <summary>Whether the Ingest answered the last poll; the health check reports it.</summary>
    public bool IngestReachable { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            IReadOnlyCollection<Guid> live;
            try
            {
                live = await ingest.ListLiveAsync(stoppingToken);
                IngestReachable = true;
            }
            catch (HttpRequestException exception)
            {
                IngestReachable = false;
                LogIngestUnreachable(exception.Message);
                continue;
            }

            foreach (var streamId in live)
            {
                _ = running.GetOrAdd(streamId, id => Task.Run(() => PackageAsync(id, stoppingToken), CancellationToken.None));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(running.Values);
    }

    private async Task PackageAsync(Guid streamId, CancellationToken stoppingToken)
    {
        try
        {
            await packager.RunAsync(streamId, ingest.FlvUrl(streamId), ingest.Secret, token => ingest.CodecsAsync(streamId, token), stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(streamId, exception.Message);
        }
        finally
        {
            running.TryRemove(streamId, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Ingest is unreachable: {Reason}")]
    private partial void LogIngestUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging stopped: {Reason}")]
    private partial void LogFailed(Guid streamId, string reason);
}

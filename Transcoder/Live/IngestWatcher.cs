using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Nio.Transcoder.Live;

/// <summary>
/// Asks the Ingest which streams have a publisher, twice a second, and keeps one <see cref="LivePackager"/> running
/// for each: a stream that appears is packaged within half a second, one that disappears ends its playlists after
/// the grace period a reconnecting publisher gets. Only shutdown ends the loop: an Ingest that fails, hangs or answers
/// nonsense is reported (log, <c>/healthz</c>) and asked again at the next poll.
/// </summary>
public sealed partial class IngestWatcher(IngestClient ingest, LivePackager packager, IOptions<IngestOptions> options, ILogger<IngestWatcher> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> running = new();
    private volatile Reachability ingestState;

    private enum Reachability
    {
        NotAskedYet,
        Answers,
        Unreachable,
    }

    /// <summary>Whether the Ingest answered the last poll; the health check reports it.</summary>
    public bool IngestReachable => ingestState == Reachability.Answers;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            IReadOnlyCollection<Guid> live;
            try
            {
                live = await ingest.ListLiveAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                if (ingestState != Reachability.Unreachable)
                {
                    LogIngestUnreachable(exception is OperationCanceledException ? $"no answer within {options.Value.RequestTimeoutSeconds} s" : exception.Message);
                }

                ingestState = Reachability.Unreachable;
                continue;
            }

            if (ingestState == Reachability.Unreachable)
            {
                LogIngestBack();
            }

            ingestState = Reachability.Answers;
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
            await packager.RunAsync(streamId, token => ingest.OpenFlvAsync(streamId, token), token => ingest.CodecsAsync(streamId, token), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(streamId, exception.Message);
        }
        catch (OperationCanceledException)
        {
            // Shut down.
        }
        finally
        {
            // Whatever ended it, the stream's next broadcast gets a packager of its own at the next poll.
            running.TryRemove(streamId, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Ingest is unreachable: {Reason}; asking again every poll")]
    private partial void LogIngestUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Ingest answers again")]
    private partial void LogIngestBack();

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging stopped: {Reason}")]
    private partial void LogFailed(Guid streamId, string reason);
}

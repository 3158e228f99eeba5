using System.Collections.Concurrent;
using System.Collections.Frozen;
using Nio.Shared.Hosting;
using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>
/// Holds the Ingest's list of live streams open (<see cref="LiveSourceRoutes.Watch"/>): the Ingest pushes every change,
/// and the Transcoder keeps one <see cref="LivePackager"/> running for each live stream. A stream that appears is
/// packaged as soon as the Ingest says so; one that disappears ends its playlists after the grace period a reconnecting
/// publisher gets. Only shutdown ends the loop: an Ingest that fails, hangs or answers nonsense is reported (log,
/// <c>/healthz</c>), counts as having no live stream, and is asked again after a short backoff.
/// </summary>
public sealed partial class IngestWatcher(IngestClient ingest, LivePackager packager, ILogger<IngestWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, Task> running = new();
    private volatile FrozenDictionary<Guid, SourceCodecs?> live = FrozenDictionary<Guid, SourceCodecs?>.Empty;
    private volatile Reachability ingestState;

    private enum Reachability
    {
        NotAskedYet,
        Answers,
        Unreachable,
    }

    /// <summary>Whether the Ingest's list is coming in; the health check reports it.</summary>
    public bool IngestReachable => ingestState == Reachability.Answers;

    /// <summary>The stream's codecs as the Ingest last said; null while it is not live, has no video yet, or the Ingest is unreachable.</summary>
    public SourceCodecs? Codecs(Guid streamId) => live.GetValueOrDefault(streamId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var sources in ingest.WatchAsync(stoppingToken))
                {
                    if (ingestState == Reachability.Unreachable)
                    {
                        LogIngestBack();
                    }

                    ingestState = Reachability.Answers;
                    failures = 0;
                    Apply(sources, stoppingToken);
                }

                Unreachable("the Ingest closed the list of live streams");
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Unreachable(exception is OperationCanceledException ? "it sent nothing within its promised interval and the request timeout" : exception.Message);
            }

            try
            {
                await Task.Delay(Backoff.Delay(++failures, FirstRetry, LongestRetry), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Shut down.
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(running.Values);
    }

    private void Apply(LiveSources sources, CancellationToken stoppingToken)
    {
        live = sources.Streams.DistinctBy(source => source.StreamId).ToFrozenDictionary(source => source.StreamId, source => source.Codecs);
        foreach (var streamId in live.Keys)
        {
            _ = running.GetOrAdd(streamId, id => Task.Run(() => PackageAsync(id, stoppingToken), CancellationToken.None));
        }
    }

    /// <summary>Without an answer every stream counts as gone: packagers end after their grace period, as when publishers leave.</summary>
    private void Unreachable(string reason)
    {
        if (ingestState != Reachability.Unreachable)
        {
            LogIngestUnreachable(reason);
        }

        ingestState = Reachability.Unreachable;
        live = FrozenDictionary<Guid, SourceCodecs?>.Empty;
    }

    private async Task PackageAsync(Guid streamId, CancellationToken stoppingToken)
    {
        try
        {
            await packager.RunAsync(streamId, token => ingest.OpenMediaAsync(streamId, Codecs(streamId), token), _ => Task.FromResult(Codecs(streamId)), stoppingToken);
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
            // Whatever ended it, the stream's next broadcast gets a packager of its own when the Ingest lists it again.
            running.TryRemove(streamId, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Ingest is unreachable: {Reason}; asking again")]
    private partial void LogIngestUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Ingest answers again")]
    private partial void LogIngestBack();

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging stopped: {Reason}")]
    private partial void LogFailed(Guid streamId, string reason);
}

using Microsoft.Extensions.Options;
using Nio.Api.Chat;
using Nio.Api.Streams;

namespace Nio.Api.Jobs;

/// <summary>Recurring job: a live stream whose Ingest stopped sending heartbeats (crash, lost network) goes offline.</summary>
public sealed partial class StaleStreamReaper(StreamRepository streams, RoomEvents room, IOptions<StreamOptions> options, ILogger<StaleStreamReaper> logger)
{
    public const string JobId = "stale-stream-reaper";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var reaped = await streams.MarkSilentStreamsOfflineAsync(TimeSpan.FromSeconds(options.Value.HeartbeatTimeoutSeconds), cancellationToken);
        foreach (var id in reaped)
        {
            LogReaped(id);
            await room.StreamEndedAsync(id, forGood: false, cancellationToken);
        }

        return reaped.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId} marked offline: no Ingest heartbeat")]
    private partial void LogReaped(Guid streamId);
}

using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Nio.Api.Chat;

/// <summary>
/// Once a second: reports this instance's viewers per room to <c>room_presence</c>, sums every instance's reports
/// into the room's viewer count (kept in <c>streams.viewer_count</c> for the stream list), sends <c>viewerCount</c>
/// to this instance's viewers of rooms whose count changed, and announces who joined (at most every
/// <see cref="ChatOptions.JoinAnnouncementSeconds"/>). Owns <c>room_presence</c>.
/// </summary>
public sealed partial class PresenceReporter(
    RoomPresence presence, NpgsqlDataSource db, IHubContext<RoomHub> hub, RoomBroadcaster broadcaster, IOptions<ChatOptions> options, TimeProvider time,
    ILogger<PresenceReporter> logger) : BackgroundService
{
    /// <summary>Reports older than this belong to an instance that is gone.</summary>
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Unchanged rooms are reported again this often, so their reports stay fresh.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly Guid instanceId = Guid.NewGuid();
    private readonly Dictionary<Guid, int> lastSent = [];
    private readonly Lock totalsGate = new();
    private readonly Dictionary<Guid, int> totals = [];
    private DateTimeOffset lastRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset lastAnnouncement = DateTimeOffset.MinValue;

    /// <summary>The room's viewer count as last summed over every instance (this instance's own count before that).</summary>
    public int ViewerCount(Guid streamId)
    {
        lock (totalsGate)
        {
            return Math.Max(totals.GetValueOrDefault(streamId), presence.Count(streamId));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReportAsync(stoppingToken);
                    AnnounceJoins();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogReportFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // This instance's viewers leave with it.
        await using var connection = await db.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM room_presence WHERE instance_id = @instanceId", new { instanceId });
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refresh = now - lastRefresh >= RefreshInterval;
        var counts = presence.TakeCounts();
        var reported = counts.Where(c => refresh || c.Changed).ToList();
        var rooms = counts.Select(c => c.StreamId).ToArray();
        if (counts.Count == 0)
        {
            lastSent.Clear();
            return;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (reported.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                WITH reports AS (SELECT * FROM unnest(@ids::uuid[], @viewers::int[]) AS r(stream_id, viewers)),
                gone AS (
                    DELETE FROM room_presence p USING reports r
                    WHERE p.instance_id = @instanceId AND p.stream_id = r.stream_id AND r.viewers = 0
                )
                INSERT INTO room_presence (instance_id, stream_id, viewers, seen_at)
                SELECT @instanceId, stream_id, viewers, now() FROM reports WHERE viewers > 0
                ON CONFLICT (instance_id, stream_id) DO UPDATE SET viewers = excluded.viewers, seen_at = excluded.seen_at
                """,
                new { instanceId, ids = reported.Select(c => c.StreamId).ToArray(), viewers = reported.Select(c => c.Viewers).ToArray() },
                cancellationToken: cancellationToken));
        }

        if (refresh)
        {
            lastRefresh = now;
        }

        var summed = (await connection.QueryAsync<RoomTotal>(new CommandDefinition(
            """
            WITH rooms AS (SELECT unnest(@rooms::uuid[]) AS stream_id),
            totals AS (
                SELECT r.stream_id, coalesce(sum(p.viewers), 0)::int AS viewers
                FROM rooms r LEFT JOIN room_presence p ON p.stream_id = r.stream_id AND p.seen_at > now() - @lifetime
                GROUP BY r.stream_id
            ),
            counted AS (
                UPDATE streams s SET viewer_count = t.viewers FROM totals t
                WHERE s.id = t.stream_id AND s.status = 'live' AND s.viewer_count <> t.viewers
            )
            SELECT stream_id, viewers FROM totals
            """,
            new { rooms, lifetime = ReportLifetime }, cancellationToken: cancellationToken))).AsList();

        lock (totalsGate)
        {
            totals.Clear();
            foreach (var room in summed)
            {
                totals[room.StreamId] = room.Viewers;
            }
        }

        foreach (var room in summed)
        {
            if (lastSent.GetValueOrDefault(room.StreamId, -1) == room.Viewers)
            {
                continue;
            }

            lastSent[room.StreamId] = room.Viewers;
            // Every instance tells its own viewers, so nobody hears it twice.
            await hub.Clients.Clients(presence.ConnectionsIn(room.StreamId))
                .SendAsync("viewerCount", new ViewerCountEvent(room.StreamId, room.Viewers), cancellationToken);
        }

        foreach (var gone in lastSent.Keys.Except(rooms).ToList())
        {
            lastSent.Remove(gone);
        }
    }

    private void AnnounceJoins()
    {
        var now = time.GetUtcNow();
        if (now - lastAnnouncement < TimeSpan.FromSeconds(options.Value.JoinAnnouncementSeconds))
        {
            return;
        }

        var newcomers = presence.TakeNewcomers();
        if (newcomers.Count == 0)
        {
            return;
        }

        lastAnnouncement = now;
        foreach (var (streamId, names) in newcomers)
        {
            var distinct = names.Distinct(StringComparer.Ordinal).ToList();
            broadcaster.Send(streamId, "system", SystemEvent.Of(streamId, SystemLines.Joined(distinct), null, now.UtcDateTime));
        }
    }

    private sealed record RoomTotal
    {
        public Guid StreamId { get; init; }
        public int Viewers { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room presence could not be reported")]
    private partial void LogReportFailed(Exception exception);
}

public sealed record ViewerCountEvent(Guid StreamId, int Count);

/// <summary>
/// A system message: <c>kind</c> groups it (streamStarted, streamEnded, joined, moderation, ...), <c>code</c> and
/// <c>args</c> say exactly what happened (see <see cref="SystemLine"/>); <c>id</c> is set when it is also kept in the
/// chat history.
/// </summary>
public sealed record SystemEvent(Guid StreamId, string Kind, string Text, string Code, JsonElement? Args, long? Id, DateTime SentAt)
{
    public static SystemEvent Of(Guid streamId, SystemLine line, long? id, DateTime sentAt) => new(streamId, line.Kind, line.Text, line.Code, line.Args, id, sentAt);
}

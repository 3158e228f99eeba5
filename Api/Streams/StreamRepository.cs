using Dapper;
using Npgsql;
using Nio.Api.Http;

namespace Nio.Api.Streams;

public static class StreamStatus
{
    public const string Offline = "offline";
    public const string Live = "live";
    public const string Ended = "ended";
}

/// <summary>A stream with its streamer's public name, as every read returns it.</summary>
public sealed record StreamRow
{
    public Guid Id { get; init; }
    public Guid OwnerId { get; init; }
    public string OwnerDisplayName { get; init; } = "";
    public string? OwnerAvatarUrl { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public bool Record { get; init; }
    public int ViewerCount { get; init; }
    /// <summary>
    /// The live stream's thumbnail, relative to the playback base (the Api makes it absolute per request, like the
    /// playback URL); null until the Transcoder reports one for the current broadcast.
    /// </summary>
    public string? ThumbnailUrl { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? EndedAt { get; init; }
    public DateTime? RecordedAt { get; init; }
}

/// <summary>The stream a key opens, as the Ingest needs it.</summary>
public sealed record KeyOwner
{
    public Guid StreamId { get; init; }
    public Guid UserId { get; init; }
    public string Title { get; init; } = "";
    public bool Record { get; init; }
}

internal sealed record SealedKeyRow
{
    public Guid OwnerId { get; init; }
    public string Status { get; init; } = "";
    public byte[]? KeySealed { get; init; }
}

public enum LiveReport
{
    /// <summary>The stream was live already: a heartbeat.</summary>
    Accepted,
    /// <summary>The stream went live with this report.</summary>
    Started,
    UnknownStream,
    Ended,
    KeyNoLongerValid,
}

public sealed class OpenStreamExistsException(Guid streamId) : Exception("This user already has a stream that has not ended.")
{
    public Guid StreamId { get; } = streamId;
}

/// <summary>Owns the <c>streams</c> table.</summary>
public sealed class StreamRepository(NpgsqlDataSource db)
{
    private const string SelectStreams = """
        SELECT s.id, s.owner_id, u.display_name AS owner_display_name, u.avatar_url AS owner_avatar_url,
               s.title, s.status, s.record, s.viewer_count, s.thumbnail_url, s.created_at, s.started_at, s.ended_at, s.recorded_at
        FROM streams s JOIN users u ON u.id = s.owner_id
        """;

    /// <summary>The search query (its plan is tested to use <c>streams_title_trgm</c>).</summary>
    internal const string SearchSql = $"""
        {SelectStreams}
        WHERE s.status <> 'ended'
          AND lower(s.title COLLATE "und-x-icu") LIKE lower(@pattern COLLATE "und-x-icu")
        ORDER BY s.status = 'live' DESC,
                 similarity(lower(s.title COLLATE "und-x-icu"), lower(@query COLLATE "und-x-icu")) DESC,
                 s.viewer_count DESC, s.created_at DESC, s.id
        LIMIT @limit
        """;

    /// <summary>Creates a stream with the id and key the caller made: the key's hash to look it up, and the key sealed.</summary>
    public async Task<StreamRow> CreateAsync(
        Guid id, Guid ownerId, string title, bool record, byte[] keyHash, byte[] keySealed, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO streams (id, owner_id, title, record, key_hash, key_sealed)
                VALUES (@id, @ownerId, @title, @record, @keyHash, @keySealed)
                """,
                new { id, ownerId, title, record, keyHash, keySealed }, cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.ConstraintName == "streams_one_open_per_owner")
        {
            var open = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                "SELECT id FROM streams WHERE owner_id = @ownerId AND status <> 'ended'", new { ownerId }, cancellationToken: cancellationToken));
            throw new OpenStreamExistsException(open);
        }

        return (await GetAsync(connection, id, cancellationToken))!;
    }

    public async Task<StreamRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, id, cancellationToken);
    }

    public async Task<Page<StreamRow>> ListLiveAsync(PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<StreamRow>(new CommandDefinition(
            $"""
            {SelectStreams}
            WHERE s.status = 'live'
            ORDER BY s.viewer_count DESC, s.started_at DESC, s.id
            LIMIT @limit OFFSET @offset
            """,
            new { limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM streams WHERE status = 'live'", cancellationToken: cancellationToken));
        return new Page<StreamRow>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>
    /// Streams that have not ended whose title contains <paramref name="pattern"/> (a LIKE pattern, matched against the
    /// ICU-lower-cased title through the <c>streams_title_trgm</c> index), live ones first, then the closest titles.
    /// </summary>
    public async Task<IReadOnlyList<StreamRow>> SearchAsync(string query, string pattern, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StreamRow>(new CommandDefinition(
            SearchSql,
            new { query, pattern, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>
    /// Streams for operators: by status (null: all), by part of the title or the streamer's name, by streamer. Live
    /// ones by most viewers; the others newest first.
    /// </summary>
    public async Task<Page<StreamRow>> AdminListAsync(string? status, string? pattern, Guid? ownerId, PageQuery page, CancellationToken cancellationToken)
    {
        const string filter = """
            WHERE (@status::text IS NULL OR s.status = @status)
              AND (@ownerId::uuid IS NULL OR s.owner_id = @ownerId)
              AND (@pattern::text IS NULL OR lower(s.title COLLATE "und-x-icu") LIKE lower(@pattern COLLATE "und-x-icu")
                   OR lower(u.display_name COLLATE "und-x-icu") LIKE lower(@pattern COLLATE "und-x-icu"))
            """;
        var order = status == StreamStatus.Live ? "s.viewer_count DESC, s.started_at DESC, s.id" : "s.created_at DESC, s.id DESC";
        var parameters = new { status, pattern, ownerId, limit = page.Size, offset = page.Offset };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<StreamRow>(new CommandDefinition(
            $"{SelectStreams} {filter} ORDER BY {order} LIMIT @limit OFFSET @offset", parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM streams s JOIN users u ON u.id = s.owner_id {filter}", parameters, cancellationToken: cancellationToken));
        return new Page<StreamRow>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>Live streams and their viewers now.</summary>
    public async Task<(long Streams, long Viewers)> LiveNowAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT count(*), coalesce(sum(viewer_count), 0)::bigint FROM streams WHERE status = 'live'", cancellationToken: cancellationToken));
    }

    /// <summary>Ends the stream for good and revokes its key. Ending an ended stream changes nothing.</summary>
    public async Task<StreamRow?> EndAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE streams SET status = 'ended', key_hash = NULL, key_sealed = NULL, ended_at = now(), viewer_count = 0
            WHERE id = @id AND status <> 'ended'
            """,
            new { id }, cancellationToken: cancellationToken));
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <summary>Ends the user's stream that has not ended, if there is one; its id, or null.</summary>
    public async Task<Guid?> EndOpenStreamOfAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            UPDATE streams SET status = 'ended', key_hash = NULL, key_sealed = NULL, ended_at = now(), viewer_count = 0
            WHERE owner_id = @ownerId AND status <> 'ended'
            RETURNING id
            """,
            new { ownerId }, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the key (its hash and its sealed copy) of a stream that has not ended; false when it has.</summary>
    public async Task<bool> ReplaceKeyAsync(Guid id, byte[] keyHash, byte[] keySealed, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE streams SET key_hash = @keyHash, key_sealed = @keySealed WHERE id = @id AND status <> 'ended'",
            new { id, keyHash, keySealed }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// The sealed key of the stream: <c>Exists</c> false for an unknown stream; <c>Sealed</c> null once it ended, or
    /// for a key made before keys were kept sealed.
    /// </summary>
    public async Task<(bool Exists, Guid OwnerId, string Status, byte[]? Sealed)> GetSealedKeyAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SealedKeyRow>(new CommandDefinition(
            "SELECT owner_id, status, key_sealed FROM streams WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? (false, Guid.Empty, "", null) : (true, row.OwnerId, row.Status, row.KeySealed);
    }

    /// <summary>The owner's stream that has not ended, if any.</summary>
    public async Task<StreamRow?> GetOpenStreamOfAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StreamRow>(new CommandDefinition(
            $"{SelectStreams} WHERE s.owner_id = @ownerId AND s.status <> 'ended'", new { ownerId }, cancellationToken: cancellationToken));
    }

    /// <summary>Live streams of the people <paramref name="followerId"/> follows, most watched first.</summary>
    public async Task<Page<StreamRow>> ListLiveFollowedAsync(Guid followerId, PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<StreamRow>(new CommandDefinition(
            $"""
            {SelectStreams}
            JOIN follows f ON f.followee_id = s.owner_id AND f.follower_id = @followerId
            WHERE s.status = 'live'
            ORDER BY s.viewer_count DESC, s.started_at DESC, s.id
            LIMIT @limit OFFSET @offset
            """,
            new { followerId, limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT count(*) FROM streams s JOIN follows f ON f.followee_id = s.owner_id AND f.follower_id = @followerId
            WHERE s.status = 'live'
            """,
            new { followerId }, cancellationToken: cancellationToken));
        return new Page<StreamRow>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>
    /// A channel's streams: its open stream first (live or offline), then its ended streams that have a recording,
    /// newest first.
    /// </summary>
    public async Task<Page<StreamRow>> ListChannelAsync(Guid ownerId, PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<StreamRow>(new CommandDefinition(
            $"""
            {SelectStreams}
            WHERE s.owner_id = @ownerId AND (s.status <> 'ended' OR s.recorded_at IS NOT NULL)
            ORDER BY s.status <> 'ended' DESC, coalesce(s.ended_at, s.created_at) DESC, s.id DESC
            LIMIT @limit OFFSET @offset
            """,
            new { ownerId, limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM streams WHERE owner_id = @ownerId AND (status <> 'ended' OR recorded_at IS NOT NULL)",
            new { ownerId }, cancellationToken: cancellationToken));
        return new Page<StreamRow>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>Changes the title and/or the record flag of a stream that has not ended; null when it has ended or does not exist.</summary>
    public async Task<StreamRow?> UpdateAsync(Guid id, string? title, bool? record, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE streams SET title = coalesce(@title, title), record = coalesce(@record, record)
            WHERE id = @id AND status <> 'ended'
            """,
            new { id, title, record }, cancellationToken: cancellationToken));
        return changed == 1 ? await GetAsync(connection, id, cancellationToken) : null;
    }

    public async Task<KeyOwner?> FindByKeyAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<KeyOwner>(new CommandDefinition(
            """
            SELECT s.id AS stream_id, s.owner_id AS user_id, s.title, s.record
            FROM streams s JOIN users u ON u.id = s.owner_id
            WHERE s.key_hash = @keyHash AND u.banned_at IS NULL
            """,
            new { keyHash }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The Ingest's "a publisher is on this stream" report, sent when publishing starts and then as a heartbeat.
    /// It names the key the publisher used, so a rotated key or an ended stream tells the Ingest to drop it.
    /// </summary>
    public async Task<LiveReport> ReportLiveAsync(Guid id, byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var previous = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            """
            UPDATE streams s SET
                status = 'live',
                started_at = CASE WHEN old.status = 'live' THEN s.started_at ELSE now() END,
                -- A new broadcast shows no thumbnail until the Transcoder has made one of it.
                thumbnail_url = CASE WHEN old.status = 'live' THEN s.thumbnail_url END,
                source_reencoded_seconds_without_keyframe = CASE WHEN old.status = 'live' THEN s.source_reencoded_seconds_without_keyframe END,
                last_heartbeat_at = now()
            FROM (SELECT id, status FROM streams WHERE id = @id FOR UPDATE) old
            WHERE s.id = old.id AND s.key_hash = @keyHash
            RETURNING old.status
            """,
            new { id, keyHash }, cancellationToken: cancellationToken));
        if (previous is not null)
        {
            return previous == StreamStatus.Live ? LiveReport.Accepted : LiveReport.Started;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM streams WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return status switch
        {
            null => LiveReport.UnknownStream,
            StreamStatus.Ended => LiveReport.Ended,
            _ => LiveReport.KeyNoLongerValid,
        };
    }

    /// <summary>Marks a live stream offline: whether the stream exists, and whether it was live until now.</summary>
    public async Task<(bool Exists, bool WentOffline)> ReportOfflineAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(bool, bool)>(new CommandDefinition(
            """
            WITH changed AS (
                UPDATE streams SET status = 'offline', viewer_count = 0 WHERE id = @id AND status = 'live' RETURNING id
            )
            SELECT EXISTS (SELECT 1 FROM streams WHERE id = @id) AS known, EXISTS (SELECT 1 FROM changed) AS went_offline
            """,
            new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Records the live stream's thumbnail (ignored unless it is live); false when the stream does not exist.</summary>
    public async Task<bool> RecordThumbnailAsync(Guid id, string thumbnailPath, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            WITH changed AS (
                UPDATE streams SET thumbnail_url = @thumbnailPath WHERE id = @id AND status = 'live'
            )
            SELECT EXISTS (SELECT 1 FROM streams WHERE id = @id)
            """,
            new { id, thumbnailPath }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The Transcoder re-encodes the stream's source, its keyframes being too far apart (kept until the next broadcast
    /// starts, whatever the stream's state: a report may come just as the stream goes offline); false when the stream
    /// does not exist.
    /// </summary>
    public async Task<bool> RecordSourceReencodedAsync(Guid id, double secondsWithoutKeyframe, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE streams SET source_reencoded_seconds_without_keyframe = @secondsWithoutKeyframe WHERE id = @id",
            new { id, secondsWithoutKeyframe }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>A recorded stream's recording was (re)written; false when there is no such recorded stream.</summary>
    public async Task<bool> MarkRecordedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE streams SET recorded_at = now() WHERE id = @id AND record", new { id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Marks offline every live stream whose last heartbeat is older than <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Guid>> MarkSilentStreamsOfflineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            UPDATE streams SET status = 'offline', viewer_count = 0
            WHERE status = 'live' AND (last_heartbeat_at IS NULL OR last_heartbeat_at < now() - @timeout)
            RETURNING id
            """,
            new { timeout }, cancellationToken: cancellationToken));
        return ids.AsList();
    }

    private static Task<StreamRow?> GetAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<StreamRow>(new CommandDefinition(
            $"{SelectStreams} WHERE s.id = @id", new { id }, cancellationToken: cancellationToken));
}

using Dapper;
using Npgsql;

namespace Nio.Api.Retention;

/// <summary>Owns the <c>expired_media</c> table: files waiting for their deletion from the media store.</summary>
public sealed class ExpiredMedia(NpgsqlDataSource db)
{
    /// <summary>
    /// Schedules the files for deletion after <paramref name="grace"/>. Reporting a file again only moves its
    /// deadline, so a retried report does no harm.
    /// </summary>
    public async Task AddAsync(Guid streamId, IReadOnlyList<string> paths, bool unlessLive, TimeSpan grace, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO expired_media (path, stream_id, due_at, unless_live)
            SELECT path, @streamId, now() + @grace, @unlessLive FROM unnest(@paths) AS path
            ON CONFLICT (path) DO UPDATE SET stream_id = EXCLUDED.stream_id, due_at = EXCLUDED.due_at, unless_live = EXCLUDED.unless_live
            """,
            new { streamId, paths = paths.ToArray(), unlessLive, grace }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets the due files a live stream has taken over again; returns how many.</summary>
    public async Task<int> SpareLiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM expired_media e USING streams s
            WHERE e.unless_live AND e.due_at <= now() AND s.id = e.stream_id AND s.status = 'live'
            """,
            cancellationToken: cancellationToken));
    }

    /// <summary>Up to <paramref name="limit"/> files whose grace is over, oldest first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var paths = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT path FROM expired_media WHERE due_at <= now() ORDER BY due_at LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken));
        return paths.AsList();
    }

    /// <summary>Makes the due files due again after <paramref name="delay"/> (their deletion failed), unless reported again meanwhile.</summary>
    public async Task PostponeAsync(IReadOnlyList<string> paths, TimeSpan delay, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE expired_media SET due_at = now() + @delay WHERE path = ANY(@paths) AND due_at <= now()",
            new { paths = paths.ToArray(), delay }, cancellationToken: cancellationToken));
    }

    /// <summary>Drops the rows of deleted files, unless one was reported again meanwhile (its new deadline stands).</summary>
    public async Task ForgetAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM expired_media WHERE path = ANY(@paths) AND due_at <= now()",
            new { paths = paths.ToArray() }, cancellationToken: cancellationToken));
    }
}

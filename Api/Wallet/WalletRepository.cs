using Dapper;
using Npgsql;
using Nio.Api.Http;

namespace Nio.Api.Wallet;

/// <summary>One movement of a user's coins or beans, as their history shows it.</summary>
public sealed record WalletEntry
{
    public long TransferId { get; init; }
    public string Kind { get; init; } = "";
    /// <summary>Which of the user's balances moved: coins, beans or beans_held.</summary>
    public string Account { get; init; } = "";
    /// <summary>Positive when the balance went up.</summary>
    public long Amount { get; init; }
    public DateTime CreatedAt { get; init; }
}

public sealed record DayEarnings
{
    public DateTime Day { get; init; }
    public long Beans { get; init; }
}

public sealed record StreamEarnings
{
    public Guid StreamId { get; init; }
    public string Title { get; init; } = "";
    public long Beans { get; init; }
}

public sealed record TopGifter
{
    public Guid UserId { get; init; }
    public string DisplayName { get; init; } = "";
    public long Beans { get; init; }
}

/// <summary>Reads a user's side of the ledger (the ledger itself writes).</summary>
public sealed class WalletRepository(NpgsqlDataSource db)
{
    public async Task<Page<WalletEntry>> HistoryAsync(Guid userId, PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<WalletEntry>(new CommandDefinition(
            """
            SELECT t.id AS transfer_id, t.kind, a.kind AS account, e.amount, t.created_at
            FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id JOIN ledger_transfers t ON t.id = e.transfer_id
            WHERE a.user_id = @userId
            ORDER BY t.id DESC, a.kind
            LIMIT @limit OFFSET @offset
            """,
            new { userId, limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id WHERE a.user_id = @userId",
            new { userId }, cancellationToken: cancellationToken));
        return new Page<WalletEntry>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>Beans a streamer received from gifts in the last <paramref name="days"/> days: per day (UTC), per stream, and who gave most.</summary>
    public async Task<(IReadOnlyList<DayEarnings> PerDay, IReadOnlyList<StreamEarnings> PerStream, IReadOnlyList<TopGifter> TopGifters)> EarningsAsync(
        Guid streamerId, int days, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var since = DateTime.UtcNow.Date.AddDays(1 - days);
        var perDay = await connection.QueryAsync<DayEarnings>(new CommandDefinition(
            """
            SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AS day, sum(beans)::bigint AS beans
            FROM gifts_sent WHERE streamer_id = @streamerId AND sent_at >= @since
            GROUP BY 1 ORDER BY 1 DESC
            """,
            new { streamerId, since }, cancellationToken: cancellationToken));
        var perStream = await connection.QueryAsync<StreamEarnings>(new CommandDefinition(
            """
            SELECT g.stream_id, s.title, sum(g.beans)::bigint AS beans
            FROM gifts_sent g JOIN streams s ON s.id = g.stream_id
            WHERE g.streamer_id = @streamerId AND g.sent_at >= @since
            GROUP BY g.stream_id, s.title ORDER BY beans DESC LIMIT 50
            """,
            new { streamerId, since }, cancellationToken: cancellationToken));
        var top = await connection.QueryAsync<TopGifter>(new CommandDefinition(
            """
            SELECT g.sender_id AS user_id, u.display_name, sum(g.beans)::bigint AS beans
            FROM gifts_sent g JOIN users u ON u.id = g.sender_id
            WHERE g.streamer_id = @streamerId AND g.sent_at >= @since
            GROUP BY g.sender_id, u.display_name ORDER BY beans DESC LIMIT 10
            """,
            new { streamerId, since }, cancellationToken: cancellationToken));
        return (perDay.AsList(), perStream.AsList(), top.AsList());
    }
}

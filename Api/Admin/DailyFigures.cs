using Dapper;
using Npgsql;

namespace Nio.Api.Admin;

/// <summary>The dashboard's counts over a period.</summary>
public sealed record Figures
{
    public long SignUps { get; init; }
    public long CoinsBought { get; init; }
    public long GiftsSent { get; init; }
    public long BeansEarned { get; init; }

    public static Figures Sum(IEnumerable<Figures> days) => days.Aggregate(new Figures(), (total, day) => new Figures
    {
        SignUps = total.SignUps + day.SignUps, CoinsBought = total.CoinsBought + day.CoinsBought,
        GiftsSent = total.GiftsSent + day.GiftsSent, BeansEarned = total.BeansEarned + day.BeansEarned,
    });
}

/// <summary>One UTC day's figures.</summary>
public sealed record DayFigures
{
    /// <summary>Midnight UTC of the day (read as the database's <c>date</c>).</summary>
    public DateTime Day { get; init; }
    public long SignUps { get; init; }
    public long CoinsBought { get; init; }
    public long GiftsSent { get; init; }
    public long BeansEarned { get; init; }

    public Figures Figures => new() { SignUps = SignUps, CoinsBought = CoinsBought, GiftsSent = GiftsSent, BeansEarned = BeansEarned };
}

/// <summary>
/// Owns <c>daily_figures</c>: the Hangfire job <see cref="JobId"/> counts each finished UTC day once (and the days
/// before it again, so a late write or a missed run is caught up); the dashboard reads those and counts today live.
/// </summary>
public sealed class DailyFigures(NpgsqlDataSource db, TimeProvider time)
{
    public const string JobId = "admin-daily-figures";

    /// <summary>Days the dashboard shows, today included.</summary>
    public const int Days = 30;

    /// <summary>One SQL counts any range of days, so the job and today's live figure can never disagree.</summary>
    private const string CountSql = """
        SELECT d::date AS day,
               (SELECT count(*) FROM users WHERE created_at >= d AND created_at < d + interval '1 day') AS sign_ups,
               (SELECT coalesce(sum(e.amount), 0)::bigint FROM ledger_transfers t
                JOIN ledger_entries e ON e.transfer_id = t.id JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'coins'
                WHERE t.kind = 'purchase' AND t.created_at >= d AND t.created_at < d + interval '1 day') AS coins_bought,
               (SELECT coalesce(sum(count), 0)::bigint FROM gifts_sent WHERE sent_at >= d AND sent_at < d + interval '1 day') AS gifts_sent,
               (SELECT coalesce(sum(beans), 0)::bigint FROM gifts_sent WHERE sent_at >= d AND sent_at < d + interval '1 day') AS beans_earned
        FROM generate_series(@first::timestamp AT TIME ZONE 'UTC', @last::timestamp AT TIME ZONE 'UTC', interval '1 day') AS d
        """;

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>The job: counts the finished days of the dashboard's window and keeps them. Returns how many.</summary>
    public async Task<int> RollUpAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO daily_figures (day, sign_ups, coins_bought, gifts_sent, beans_earned)
            SELECT day, sign_ups, coins_bought, gifts_sent, beans_earned FROM ({CountSql}) counted
            ON CONFLICT (day) DO UPDATE SET sign_ups = excluded.sign_ups, coins_bought = excluded.coins_bought,
                gifts_sent = excluded.gifts_sent, beans_earned = excluded.beans_earned, rolled_up_at = now()
            """,
            new { first = Midnight(today.AddDays(-(Days - 1))), last = Midnight(today.AddDays(-1)) }, cancellationToken: cancellationToken));
    }

    /// <summary>The window's days, oldest first: rolled-up days as kept, today (and any day not rolled up yet) counted now.</summary>
    public async Task<(IReadOnlyList<DayFigures> Days, DateTime? RolledUpAt)> ReadAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        var first = today.AddDays(-(Days - 1));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var kept = (await connection.QueryAsync<DayFigures>(new CommandDefinition(
            "SELECT day, sign_ups, coins_bought, gifts_sent, beans_earned FROM daily_figures WHERE day >= @first AND day < @today ORDER BY day",
            new { first, today }, cancellationToken: cancellationToken))).ToDictionary(d => DateOnly.FromDateTime(d.Day));
        var rolledUpAt = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(rolled_up_at) FROM daily_figures", cancellationToken: cancellationToken));
        var missingFrom = Enumerable.Range(0, Days).Select(first.AddDays).First(d => d == today || !kept.ContainsKey(d));
        var live = await connection.QueryAsync<DayFigures>(new CommandDefinition(
            CountSql, new { first = Midnight(missingFrom), last = Midnight(today) }, cancellationToken: cancellationToken));
        foreach (var day in live)
        {
            kept[DateOnly.FromDateTime(day.Day)] = day;
        }

        return (kept.Values.OrderBy(d => d.Day).ToList(), rolledUpAt);
    }

    private static DateTime Midnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
}

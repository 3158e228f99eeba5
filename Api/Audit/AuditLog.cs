using System.Text.Json;
using Dapper;
using Npgsql;
using Nio.Api.Http;

namespace Nio.Api.Audit;

/// <summary>What an operator did: to which target, why, and the target's state before and after (when it has one).</summary>
public sealed record AuditRecord(Guid ActorId, string Action, string TargetType, string TargetId)
{
    public string? Reason { get; init; }
    public object? Before { get; init; }
    public object? After { get; init; }
    public object? Details { get; init; }
}

/// <summary>An entry of the log as operators read it.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public Guid? ActorId { get; init; }
    public string? ActorName { get; init; }
    public string Action { get; init; } = "";
    public string TargetType { get; init; } = "";
    public string TargetId { get; init; } = "";
    public string? Reason { get; init; }
    public JsonElement? Before { get; init; }
    public JsonElement? After { get; init; }
    public JsonElement Details { get; init; }
    public DateTime CreatedAt { get; init; }
}

/// <summary>Which entries to read; every field that is set narrows the list.</summary>
public sealed record AuditFilter(Guid? ActorId, string? Action, string? TargetType, string? TargetId, DateTime? From, DateTime? To);

/// <summary>Owns <c>audit_log</c>: an append-only record of what operators did to other people's things.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    /// <summary>
    /// The filter as SQL. <c>action</c> is exact, or every action under it when it ends in a dot ("user." is every
    /// user action); a prefix LIKE over <c>text_pattern_ops</c>, so it uses <c>audit_log_action</c>.
    /// </summary>
    internal const string FilterSql = """
        FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        WHERE (@actorId::uuid IS NULL OR a.actor_id = @actorId)
          AND (@action::text IS NULL OR a.action = @action OR (right(@action, 1) = '.' AND a.action LIKE @actionPrefix))
          AND (@targetType::text IS NULL OR a.target_type = @targetType)
          AND (@targetId::text IS NULL OR a.target_id = @targetId)
          AND (@from::timestamptz IS NULL OR a.created_at >= @from)
          AND (@to::timestamptz IS NULL OR a.created_at < @to)
        """;

    internal const string Columns = """
        a.id, a.actor_id, u.display_name AS actor_name, a.action, a.target_type, a.target_id, a.reason,
        a.before::text AS before, a.after::text AS after, a.details::text AS details, a.created_at
        """;

    /// <summary>Records an action; inside <paramref name="transaction"/> when given, so it is kept only if the action is.</summary>
    public Task RecordAsync(
        Guid actorId, string action, string targetType, string targetId, object? details, CancellationToken cancellationToken,
        Wallet.LedgerTransaction? transaction = null) =>
        RecordAsync(new AuditRecord(actorId, action, targetType, targetId) { Details = details }, cancellationToken, transaction);

    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken, Wallet.LedgerTransaction? transaction = null)
    {
        await using var own = transaction is null ? await db.OpenConnectionAsync(cancellationToken) : null;
        var connection = transaction?.Connection ?? own!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, before, after, details)
            VALUES (@ActorId, @Action, @TargetType, @TargetId, @Reason, @before::jsonb, @after::jsonb, @details::jsonb)
            """,
            new
            {
                record.ActorId, record.Action, record.TargetType, record.TargetId, record.Reason,
                before = record.Before is null ? null : JsonSerializer.Serialize(record.Before, JsonSerializerOptions.Web),
                after = record.After is null ? null : JsonSerializer.Serialize(record.After, JsonSerializerOptions.Web),
                details = JsonSerializer.Serialize(record.Details ?? new { }, JsonSerializerOptions.Web),
            },
            transaction?.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// One page, newest first. The total is counted up to <see cref="CountLimit"/> only: past that a page count is
    /// no use to anyone, and counting a million rows would cost more than reading the page.
    /// </summary>
    public async Task<Page<AuditEntry>> ListAsync(AuditFilter filter, PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = Parameters(filter, new { limit = page.Size, offset = page.Offset, countLimit = CountLimit });
        var items = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            $"SELECT {Columns} {FilterSql} ORDER BY {NewestFirst(filter)} LIMIT @limit OFFSET @offset", parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM (SELECT 1 {FilterSql} LIMIT @countLimit) counted", parameters, cancellationToken: cancellationToken));
        return new Page<AuditEntry>(items.AsList(), page.PageNumber, page.Size, total);
    }

    public const int CountLimit = 10_000;

    /// <summary>
    /// Newest first in the order of the index the filter uses: by time for a date range (the range's index then yields
    /// the page without sorting every entry in the range), by id otherwise (each filter's index ends in id).
    /// </summary>
    private static string NewestFirst(AuditFilter filter) =>
        filter.From is not null || filter.To is not null ? "a.created_at DESC, a.id DESC" : "a.id DESC";

    /// <summary>Every entry the filter selects, newest first, at most <paramref name="limit"/>, read as they come (not buffered).</summary>
    public async IAsyncEnumerable<AuditEntry> ExportAsync(
        AuditFilter filter, int limit, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} {FilterSql} ORDER BY {NewestFirst(filter)} LIMIT @limit", Parameters(filter, new { limit }),
            flags: CommandFlags.None, cancellationToken: cancellationToken));
        var parse = reader.GetRowParser<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return parse(reader);
        }
    }

    private static DynamicParameters Parameters(AuditFilter filter, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            actorId = filter.ActorId, action = filter.Action, actionPrefix = Search.SearchText.StartsWithPattern(filter.Action ?? ""),
            targetType = filter.TargetType, targetId = filter.TargetId, from = filter.From, to = filter.To,
        });
        return parameters;
    }
}

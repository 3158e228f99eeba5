using System.Text.Json;
using Dapper;
using Npgsql;

namespace Nio.Api.Audit;

/// <summary>Owns <c>audit_log</c>: an append-only record of what operators did to other people's things.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    /// <summary>Records an action; inside <paramref name="transaction"/> when given, so it is kept only if the action is.</summary>
    public async Task RecordAsync(
        Guid actorId, string action, string targetType, string targetId, object? details, CancellationToken cancellationToken,
        Wallet.LedgerTransaction? transaction = null)
    {
        await using var own = transaction is null ? await db.OpenConnectionAsync(cancellationToken) : null;
        var connection = transaction?.Connection ?? own!;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
            VALUES (@actorId, @action, @targetType, @targetId, @details::jsonb)
            """,
            new { actorId, action, targetType, targetId, details = JsonSerializer.Serialize(details ?? new { }) },
            transaction?.Transaction, cancellationToken: cancellationToken));
    }
}

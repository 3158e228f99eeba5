using System.Text.Json;
using Dapper;
using Npgsql;

namespace Nio.Api.Audit;

/// <summary>Owns <c>audit_log</c>: an append-only record of what operators did to other people's things.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    public async Task RecordAsync(Guid actorId, string action, string targetType, string targetId, object? details, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
            VALUES (@actorId, @action, @targetType, @targetId, @details::jsonb)
            """,
            new { actorId, action, targetType, targetId, details = JsonSerializer.Serialize(details ?? new { }) },
            cancellationToken: cancellationToken));
    }
}

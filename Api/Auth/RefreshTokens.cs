using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Nio.Api.Auth;

/// <summary>Owns <c>refresh_tokens</c>: issuing, one-time rotation with reuse detection, and revocation.</summary>
public sealed class RefreshTokens(NpgsqlDataSource db, IOptions<JwtOptions> options, TimeProvider time)
{
    /// <summary>Starts a new token family (one login) and returns its first token.</summary>
    public async Task<string> IssueAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, null, userId, Guid.CreateVersion7(), cancellationToken);
    }

    /// <summary>
    /// Spends a refresh token and returns its successor, or null when the token is unknown, expired or revoked.
    /// A token that was already spent means someone replayed it: its whole family is revoked.
    /// </summary>
    public async Task<(Guid UserId, string Token)?> RotateAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredToken>(new CommandDefinition(
            "SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = @hash FOR UPDATE",
            new { hash = TokenIssuer.HashOpaqueToken(token) }, transaction, cancellationToken: cancellationToken));
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        if (row.UsedAt is not null)
        {
            await RevokeFamilyAsync(connection, transaction, row.FamilyId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET used_at = now() WHERE id = @Id", row, transaction, cancellationToken: cancellationToken));
        var next = await InsertAsync(connection, transaction, row.UserId, row.FamilyId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (row.UserId, next);
    }

    /// <summary>Revokes the family the token belongs to (logout). Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE refresh_tokens SET revoked_at = now()
            WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = @hash)
            """,
            new { hash = TokenIssuer.HashOpaqueToken(token) }, cancellationToken: cancellationToken));
    }

    /// <summary>Refresh tokens of the user that still work: their signed-in sessions.</summary>
    public async Task<long> ActiveCountAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM refresh_tokens WHERE user_id = @userId AND revoked_at IS NULL AND used_at IS NULL AND expires_at > now()",
            new { userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Revokes every refresh token of the user (a platform ban, a change of roles).</summary>
    public async Task RevokeAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId }, cancellationToken: cancellationToken));
    }

    private static Task RevokeFamilyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid familyId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = @familyId AND revoked_at IS NULL",
            new { familyId }, transaction, cancellationToken: cancellationToken));

    private async Task<string> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, Guid familyId, CancellationToken cancellationToken)
    {
        var token = TokenIssuer.NewOpaqueToken();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
            VALUES (@id, @userId, @familyId, @hash, @expiresAt)
            """,
            new
            {
                id = Guid.CreateVersion7(),
                userId,
                familyId,
                hash = TokenIssuer.HashOpaqueToken(token),
                expiresAt = time.GetUtcNow().UtcDateTime.AddDays(options.Value.RefreshTokenDays),
            },
            transaction, cancellationToken: cancellationToken));
        return token;
    }

    private sealed record StoredToken
    {
        public Guid Id { get; init; }
        public Guid UserId { get; init; }
        public Guid FamilyId { get; init; }
        public DateTime ExpiresAt { get; init; }
        public DateTime? UsedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
    }
}

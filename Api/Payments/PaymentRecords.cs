using Dapper;
using Npgsql;
using Nio.Api.Http;

namespace Nio.Api.Payments;

/// <summary>A purchase as operators see it; <c>Status</c> is pending (no success yet), succeeded or refunded (in all or part).</summary>
public sealed record PurchaseRecord
{
    public string Id { get; init; } = "";
    public Guid UserId { get; init; }
    public string UserEmail { get; init; } = "";
    public string PackageId { get; init; } = "";
    public long Coins { get; init; }
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public long RefundedCoins { get; init; }
    public bool Disputed { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SucceededAt { get; init; }
    public string StripeUrl => $"https://dashboard.stripe.com/payments/{Id}";
}

public sealed record DisputeRecord
{
    public string Id { get; init; } = "";
    public string PaymentIntentId { get; init; } = "";
    public Guid UserId { get; init; }
    public long Coins { get; init; }
    public long? HeldCoins { get; init; }
    public string Status { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public string StripeUrl => $"https://dashboard.stripe.com/disputes/{Id}";
}

/// <summary>Reads <c>payment_intents</c> and <c>payment_disputes</c> for operators (the webhook writes them).</summary>
public sealed class PaymentRecords(NpgsqlDataSource db)
{
    public async Task<Page<PurchaseRecord>> PurchasesAsync(string? status, Guid? userId, PageQuery page, CancellationToken cancellationToken)
    {
        const string from = """
            FROM payment_intents p JOIN users u ON u.id = p.user_id
            CROSS JOIN LATERAL (SELECT CASE WHEN p.succeeded_at IS NULL THEN 'pending' WHEN p.refunded_coins > 0 THEN 'refunded' ELSE 'succeeded' END AS status) s
            WHERE (@status::text IS NULL OR s.status = @status) AND (@userId::uuid IS NULL OR p.user_id = @userId)
            """;
        var parameters = new { status, userId, limit = page.Size, offset = page.Offset };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<PurchaseRecord>(new CommandDefinition(
            $"""
            SELECT p.id, p.user_id, u.email AS user_email, p.package_id, p.coins, p.amount_cents, p.currency, s.status, p.refunded_coins,
                   EXISTS (SELECT 1 FROM payment_disputes d WHERE d.payment_intent_id = p.id) AS disputed, p.created_at, p.succeeded_at
            {from} ORDER BY p.created_at DESC, p.id LIMIT @limit OFFSET @offset
            """, parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) {from}", parameters, cancellationToken: cancellationToken));
        return new Page<PurchaseRecord>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>Disputes, open ones first, then newest.</summary>
    public async Task<Page<DisputeRecord>> DisputesAsync(PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<DisputeRecord>(new CommandDefinition(
            """
            SELECT d.id, d.payment_intent_id, p.user_id, d.coins, d.held_coins, d.status, d.created_at, d.closed_at
            FROM payment_disputes d JOIN payment_intents p ON p.id = d.payment_intent_id
            ORDER BY d.closed_at IS NOT NULL, d.created_at DESC, d.id LIMIT @limit OFFSET @offset
            """, new { limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM payment_disputes", cancellationToken: cancellationToken));
        return new Page<DisputeRecord>(items.AsList(), page.PageNumber, page.Size, total);
    }
}

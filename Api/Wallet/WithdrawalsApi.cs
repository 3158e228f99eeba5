using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Payments;

namespace Nio.Api.Wallet;

public sealed record WithdrawalRequest(long? Beans, string? IdempotencyKey);

public sealed record Withdrawal
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public long Beans { get; init; }
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Note { get; init; }
    /// <summary>The payment's reference in the payout system, given by the admin who approved it.</summary>
    public string? PayoutReference { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; init; }
}

/// <summary>A withdrawal in the operators' list, with who asked and who decided.</summary>
public sealed record AdminWithdrawal
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public string UserEmail { get; init; } = "";
    public string UserDisplayName { get; init; } = "";
    public long Beans { get; init; }
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Note { get; init; }
    public string? PayoutReference { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? DecidedAt { get; init; }
    public Guid? DecidedBy { get; init; }
}

/// <summary>
/// Streamers turn beans into money: a request holds the beans (moved to their held account) until an admin approves
/// it (paid out) or rejects it (the beans come back). Owns <c>withdrawals</c>.
/// </summary>
public static class WithdrawalsApi
{
    private const string Columns = "id, user_id, beans, amount_cents, currency, status, note, payout_reference, created_at, decided_at";

    public static void MapWithdrawalsApi(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/wallet/withdrawals").WithTags("Wallet").RequireAuthorization();
        mine.MapPost("/", RequestAsync);
        mine.MapGet("/", ListMineAsync);
    }

    public static async Task<Results<Created<Withdrawal>, Ok<Withdrawal>, ValidationProblem, ProblemHttpResult>> RequestAsync(
        WithdrawalRequest request, ClaimsPrincipal user, Ledger ledger, IOptions<WithdrawalOptions> options, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new FieldErrors();
        if (request.Beans is not { } beans || beans < settings.MinimumBeans || beans > 1_000_000_000)
        {
            errors.Add("beans", $"beans must be at least {settings.MinimumBeans}.");
            beans = 0;
        }

        var key = IdempotencyKeys.Required(errors, request.IdempotencyKey);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var userId = user.Id();
        try
        {
            await using var transaction = await ledger.BeginAsync($"withdraw:{userId}:{key}", new { beans }, cancellationToken);
            if (transaction.Past is { } past)
            {
                return TypedResults.Ok(past.Details.Deserialize<Withdrawal>(JsonSerializerOptions.Web)!);
            }

            var available = await Ledger.UserAccountAsync(transaction, AccountKind.Beans, userId, cancellationToken);
            var held = await Ledger.UserAccountAsync(transaction, AccountKind.BeansHeld, userId, cancellationToken);
            var withdrawal = new Withdrawal
            {
                Id = Guid.CreateVersion7(), UserId = userId, Beans = beans, AmountCents = beans * settings.CentsPer100Beans / 100,
                Currency = settings.Currency, Status = "pending", CreatedAt = DateTime.UtcNow,
            };
            var transferId = await transaction.TransferAsync("withdrawal_hold", [new(available, -beans), new(held, beans)], withdrawal, userId, corrects: null, cancellationToken);
            await transaction.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO withdrawals (id, user_id, beans, amount_cents, currency, hold_transfer, created_at)
                VALUES (@Id, @UserId, @Beans, @AmountCents, @Currency, @transferId, @CreatedAt)
                """,
                new { withdrawal.Id, withdrawal.UserId, withdrawal.Beans, withdrawal.AmountCents, withdrawal.Currency, transferId, withdrawal.CreatedAt },
                transaction.Transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Created($"/api/wallet/withdrawals", withdrawal);
        }
        catch (InsufficientFundsException exception)
        {
            return TypedResults.Problem($"You have {exception.Balance} beans.", statusCode: StatusCodes.Status409Conflict, title: "Not enough beans",
                extensions: new Dictionary<string, object?> { ["balance"] = exception.Balance });
        }
        catch (IdempotencyKeyReusedException exception)
        {
            return IdempotencyKeys.Reused(exception);
        }
    }

    public static async Task<Ok<IReadOnlyList<Withdrawal>>> ListMineAsync(ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<Withdrawal>>((await connection.QueryAsync<Withdrawal>(new CommandDefinition(
            $"SELECT {Columns} FROM withdrawals WHERE user_id = @userId ORDER BY created_at DESC LIMIT 100",
            new { userId = user.Id() }, cancellationToken: cancellationToken))).AsList());
    }

    /// <summary>
    /// Every withdrawal for operators: pending ones first (oldest first, the queue), then decided ones newest first;
    /// <paramref name="status"/> narrows it.
    /// </summary>
    public static async Task<Page<AdminWithdrawal>> ListAsync(NpgsqlDataSource db, string? status, PageQuery page, CancellationToken cancellationToken)
    {
        const string filter = "WHERE (@status::text IS NULL OR w.status = @status)";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<AdminWithdrawal>(new CommandDefinition(
            $"""
            SELECT w.id, w.user_id, u.email AS user_email, u.display_name AS user_display_name, w.beans, w.amount_cents, w.currency, w.status,
                   w.note, w.payout_reference, w.created_at, w.decided_at, w.decided_by
            FROM withdrawals w JOIN users u ON u.id = w.user_id {filter}
            ORDER BY w.status <> 'pending', CASE WHEN w.status = 'pending' THEN w.created_at END, w.decided_at DESC, w.id
            LIMIT @limit OFFSET @offset
            """, new { status, limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM withdrawals w {filter}", new { status }, cancellationToken: cancellationToken));
        return new Page<AdminWithdrawal>(items.AsList(), page.PageNumber, page.Size, total);
    }

    /// <summary>
    /// Approves (the held beans are paid out; <paramref name="payoutReference"/> says where) or rejects (they return)
    /// a pending withdrawal; 409 once decided. The row is locked, so two admins deciding at once decide once.
    /// </summary>
    public static async Task<Results<Ok<Withdrawal>, NotFound, ProblemHttpResult>> DecideAsync(
        Guid id, bool approve, string? note, string? payoutReference, ClaimsPrincipal admin, Ledger ledger, AuditLog audit, CancellationToken cancellationToken)
    {
        await using var transaction = await ledger.BeginAsync($"withdrawal-decision:{id}", new { id }, cancellationToken);
        var pending = await transaction.Connection.QuerySingleOrDefaultAsync<Withdrawal>(new CommandDefinition(
            $"SELECT {Columns} FROM withdrawals WHERE id = @id FOR UPDATE", new { id }, transaction.Transaction, cancellationToken: cancellationToken));
        if (pending is null)
        {
            return TypedResults.NotFound();
        }

        if (pending.Status != "pending")
        {
            return TypedResults.Problem($"This withdrawal was {pending.Status} already.", statusCode: StatusCodes.Status409Conflict, title: "Already decided");
        }

        var held = await Ledger.UserAccountAsync(transaction, AccountKind.BeansHeld, pending.UserId, cancellationToken);
        var destination = approve
            ? await Ledger.PlatformAccountAsync(transaction, AccountKind.Payouts, cancellationToken)
            : await Ledger.UserAccountAsync(transaction, AccountKind.Beans, pending.UserId, cancellationToken);
        var decided = pending with { Status = approve ? "approved" : "rejected", Note = note, PayoutReference = payoutReference, DecidedAt = DateTime.UtcNow };
        var transferId = await transaction.TransferAsync(approve ? "withdrawal_payout" : "withdrawal_release",
            [new(held, -pending.Beans), new(destination, pending.Beans)], decided, admin.Id(), corrects: null, cancellationToken);
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE withdrawals SET status = @Status, note = @Note, payout_reference = @PayoutReference, decided_at = @DecidedAt, decided_by = @adminId,
                                   settle_transfer = @transferId
            WHERE id = @Id
            """,
            new { decided.Status, decided.Note, decided.PayoutReference, decided.DecidedAt, adminId = admin.Id(), transferId, decided.Id },
            transaction.Transaction, cancellationToken: cancellationToken));
        await audit.RecordAsync(new AuditRecord(admin.Id(), approve ? "withdrawal.approve" : "withdrawal.reject", "withdrawal", id.ToString())
        {
            Reason = note, Before = new { pending.Status }, After = new { decided.Status, payoutReference },
            Details = new { pending.UserId, pending.Beans, note, payoutReference },
        }, cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(decided);
    }
}

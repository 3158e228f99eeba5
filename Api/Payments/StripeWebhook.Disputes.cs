using Dapper;
using Nio.Api.Wallet;
using Stripe;

namespace Nio.Api.Payments;

/// <summary>
/// Disputes (chargebacks): <c>charge.dispute.created</c> holds the coins the disputed amount bought, taking back from
/// the buyer at most what they still have (a balance never goes below zero; what was spent already stays spent and
/// is not owed later) and flagging the account for an operator in every case. <c>charge.dispute.closed</c> as won,
/// <c>warning_closed</c> (an inquiry that went no further) or <c>prevented</c> gives back what was held; lost keeps it.
/// A dispute reported before its payment is held out of the credit instead.
/// </summary>
public static partial class StripeWebhook
{
    /// <summary>Closing states in the platform's favour: the money stays with it, so the coins go back to the buyer.</summary>
    private static readonly HashSet<string> ReleasingStatuses = ["won", "warning_closed", "prevented"];

    private static async Task<WebhookResult> DisputeAsync(Event stripeEvent, Dispute dispute, Ledger ledger, ILogger logger, CancellationToken cancellationToken)
    {
        var closing = stripeEvent.Type == EventTypes.ChargeDisputeClosed;
        // One key per step of a dispute, so each moves coins at most once.
        await using var transaction = await ledger.BeginAsync($"{(closing ? "dispute-closed" : "dispute")}:{dispute.Id}", new { dispute.Id }, cancellationToken);
        if (!await RecordEventAsync(transaction, stripeEvent, cancellationToken) || transaction.Past is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("duplicate");
        }

        var purchase = await FindIntentAsync(transaction, dispute.PaymentIntentId, cancellationToken);
        var (connection, tx) = (transaction.Connection, transaction.Transaction);
        var row = await connection.QuerySingleOrDefaultAsync<DisputeRow>(new CommandDefinition(
            "SELECT id, coins, held_coins, hold_transfer, closed_at FROM payment_disputes WHERE id = @Id FOR UPDATE",
            new { dispute.Id }, tx, cancellationToken: cancellationToken));
        if (!closing && row is { ClosedAt: not null })
        {
            // A late report of the opening of a dispute that is settled already.
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("ignored");
        }

        var disputedCoins = row?.Coins ?? CoinsOf(purchase, dispute.Amount);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO payment_disputes (id, payment_intent_id, coins, status, closed_at)
            VALUES (@Id, @intentId, @disputedCoins, @Status, CASE WHEN @closing THEN now() END)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, closed_at = excluded.closed_at;
            UPDATE users SET payment_flagged_at = coalesce(payment_flagged_at, now()) WHERE id = @UserId;
            """,
            new { dispute.Id, intentId = purchase.Id, disputedCoins, dispute.Status, closing, purchase.UserId }, tx, cancellationToken: cancellationToken));

        var coins = await Ledger.UserAccountAsync(transaction, AccountKind.Coins, purchase.UserId, cancellationToken);
        var clearing = await Ledger.PlatformAccountAsync(transaction, AccountKind.PaymentClearing, cancellationToken);
        WebhookResult result;
        if (closing && ReleasingStatuses.Contains(dispute.Status))
        {
            var held = row?.HeldCoins ?? 0;
            if (held > 0)
            {
                await transaction.TransferAsync("dispute_release", [new(clearing, -held), new(coins, held)],
                    new { paymentIntent = purchase.Id, dispute = dispute.Id, dispute.Status, released = held, eventId = stripeEvent.Id },
                    createdBy: null, corrects: row!.HoldTransfer ?? purchase.CreditedTransfer, cancellationToken);
            }

            await SetHeldAsync(transaction, dispute.Id, 0, holdTransfer: row?.HoldTransfer, cancellationToken);
            result = new WebhookResult("dispute-won");
        }
        else if (row?.HeldCoins is not null || purchase.SucceededAt is null)
        {
            // Held already, or to be held out of the credit when the payment is reported.
            result = new WebhookResult(closing ? "dispute-lost" : "dispute-recorded");
        }
        else
        {
            var balance = await Ledger.BalanceForUpdateAsync(transaction, coins, cancellationToken);
            var held = Math.Min(balance, disputedCoins);
            long? holdTransfer = null;
            if (held > 0)
            {
                holdTransfer = await transaction.TransferAsync("dispute", [new(coins, -held), new(clearing, held)],
                    new { paymentIntent = purchase.Id, dispute = dispute.Id, disputedCoins, held, eventId = stripeEvent.Id },
                    createdBy: null, corrects: purchase.CreditedTransfer, cancellationToken);
            }

            await SetHeldAsync(transaction, dispute.Id, held, holdTransfer, cancellationToken);
            result = new WebhookResult(closing ? "dispute-lost" : held < disputedCoins ? "disputed-short" : "disputed");
        }

        await transaction.CommitAsync(cancellationToken);
        LogDisputed(logger, purchase.UserId, dispute.Id, dispute.Status, result.Outcome);
        return result;
    }

    /// <summary>
    /// At the credit of a payment: holds, out of its coins, those of its disputes reported before it and not settled in
    /// the platform's favour (never more than is left after refunds). Returns the coins held.
    /// </summary>
    private static async Task<long> WithholdDisputedAsync(LedgerTransaction transaction, PurchaseRow purchase, CancellationToken cancellationToken)
    {
        var pending = await transaction.Connection.QueryAsync<DisputeRow>(new CommandDefinition(
            """
            SELECT id, coins, held_coins, hold_transfer, closed_at, status FROM payment_disputes
            WHERE payment_intent_id = @Id AND held_coins IS NULL ORDER BY created_at, id FOR UPDATE
            """,
            new { purchase.Id }, transaction.Transaction, cancellationToken: cancellationToken));
        var left = purchase.Coins - purchase.RefundedCoins;
        var withheld = 0L;
        foreach (var dispute in pending)
        {
            var held = ReleasingStatuses.Contains(dispute.Status) ? 0 : Math.Min(dispute.Coins, left - withheld);
            await SetHeldAsync(transaction, dispute.Id, held, holdTransfer: null, cancellationToken);
            withheld += held;
        }

        return withheld;
    }

    private static Task SetHeldAsync(LedgerTransaction transaction, string disputeId, long held, long? holdTransfer, CancellationToken cancellationToken) =>
        transaction.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payment_disputes SET held_coins = @held, hold_transfer = @holdTransfer WHERE id = @disputeId",
            new { disputeId, held, holdTransfer }, transaction.Transaction, cancellationToken: cancellationToken));

    private sealed record DisputeRow
    {
        public string Id { get; init; } = "";
        public long Coins { get; init; }
        public long? HeldCoins { get; init; }
        public long? HoldTransfer { get; init; }
        public DateTime? ClosedAt { get; init; }
        public string Status { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} flagged: dispute {DisputeId} is {Status} ({Outcome})")]
    private static partial void LogDisputed(ILogger logger, Guid userId, string disputeId, string status, string outcome);
}

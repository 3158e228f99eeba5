using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Http;
using Nio.Api.Wallet;
using Stripe;

namespace Nio.Api.Payments;

/// <summary>
/// <c>POST /api/payments/webhook</c>: Stripe's events, verified with <c>STRIPE_WEBHOOK_SECRET</c> (signature and a
/// 5-minute timestamp window), the body capped at <see cref="PaymentsApi.MaxWebhookBytes"/> as it is read. A succeeded
/// PaymentIntent credits its coins once; a refunded charge takes back what is left of them and flags the account when
/// some were already spent; a dispute holds its coins the same way (see <c>StripeWebhook.Disputes.cs</c>). Stripe does
/// not promise the order of its events: a refund or dispute reported before its payment is recorded and taken off the
/// credit when the payment comes. Each event is recorded in the transaction that acts on it, so a delivery repeated any
/// number of times acts once.
/// </summary>
public static partial class StripeWebhook
{
    public static async Task<Results<Ok<WebhookResult>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, IOptions<PaymentsOptions> options, Ledger ledger, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(StripeWebhook));
        var secret = options.Value.StripeWebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return PaymentsApi.NotConfigured();
        }

        var signature = request.Headers["Stripe-Signature"].ToString();
        if (signature.Length == 0)
        {
            return Rejected("The event is not signed (no Stripe-Signature header).");
        }

        var body = await RequestBodies.ReadCappedAsync(request, PaymentsApi.MaxWebhookBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem($"An event can be at most {PaymentsApi.MaxWebhookBytes} bytes.",
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Webhook rejected");
        }

        if (ReadEvent(Encoding.UTF8.GetString(body), signature, secret, out var failure) is not { } stripeEvent)
        {
            LogRejected(logger, failure);
            return Rejected("The event's signature is wrong or too old, or the event is not one.");
        }

        try
        {
            return Subject(stripeEvent) switch
            {
                PaymentIntent intent => TypedResults.Ok(await CreditAsync(stripeEvent, intent, ledger, cancellationToken)),
                Charge charge => TypedResults.Ok(await RefundAsync(stripeEvent, charge, ledger, logger, cancellationToken)),
                Dispute dispute => TypedResults.Ok(await DisputeAsync(stripeEvent, dispute, ledger, logger, cancellationToken)),
                _ => TypedResults.Ok(new WebhookResult("ignored")),
            };
        }
        catch (UnknownIntentException exception)
        {
            LogRejected(logger, exception.Message);
            return Rejected(exception.Message);
        }
    }

    /// <summary>
    /// Checks a delivery's signature and 5-minute window and reads its event; null, with the reason in
    /// <paramref name="failure"/>, when the signature is wrong or too old or the body is not an event.
    /// </summary>
    public static Event? ReadEvent(string json, string signature, string secret, out string failure)
    {
        failure = "";
        try
        {
            return EventUtility.ConstructEvent(json, signature, secret, tolerance: 300, throwOnApiVersionMismatch: false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failure = exception.Message;
            return null;
        }
    }

    /// <summary>
    /// What NIO acts on in an event: the PaymentIntent that succeeded, the Charge that was refunded, the Dispute that was
    /// opened or closed; null for any other event.
    /// </summary>
    // A signed event may still lack "data" (Stripe.net then leaves Data null): such an event has nothing to act on.
    public static StripeEntity? Subject(Event stripeEvent) => stripeEvent.Type switch
    {
        EventTypes.PaymentIntentSucceeded => stripeEvent.Data?.Object as PaymentIntent,
        EventTypes.ChargeRefunded => stripeEvent.Data?.Object as Charge,
        EventTypes.ChargeDisputeCreated or EventTypes.ChargeDisputeClosed => stripeEvent.Data?.Object as Dispute,
        _ => null,
    };

    private static async Task<WebhookResult> CreditAsync(Event stripeEvent, PaymentIntent intent, Ledger ledger, CancellationToken cancellationToken)
    {
        await using var transaction = await ledger.BeginAsync($"purchase:{intent.Id}", new { intent.Id }, cancellationToken);
        if (!await RecordEventAsync(transaction, stripeEvent, cancellationToken) || transaction.Past is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("duplicate");
        }

        var purchase = await FindIntentAsync(transaction, intent.Id, cancellationToken);
        if (purchase.SucceededAt is not null)
        {
            // Credited before, or nothing was left to credit: no transfer carries this key then.
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("duplicate");
        }

        if (intent.AmountReceived != purchase.AmountCents || !string.Equals(intent.Currency, purchase.Currency, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnknownIntentException($"PaymentIntent {intent.Id} received {intent.AmountReceived} {intent.Currency}, not what its package costs.");
        }

        // What was refunded or disputed before this payment was reported never reaches the buyer.
        var withheld = await WithholdDisputedAsync(transaction, purchase, cancellationToken);
        var credit = purchase.Coins - purchase.RefundedCoins - withheld;
        long? transferId = null;
        if (credit > 0)
        {
            var coins = await Ledger.UserAccountAsync(transaction, AccountKind.Coins, purchase.UserId, cancellationToken);
            var clearing = await Ledger.PlatformAccountAsync(transaction, AccountKind.PaymentClearing, cancellationToken);
            transferId = await transaction.TransferAsync("purchase", [new(clearing, -credit), new(coins, credit)],
                new { paymentIntent = intent.Id, purchase.PackageId, Coins = credit, refundedBefore = purchase.RefundedCoins, disputedBefore = withheld, eventId = stripeEvent.Id },
                createdBy: null, corrects: null, cancellationToken);
        }

        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE payment_intents SET credited_transfer = @transferId, succeeded_at = now() WHERE id = @id",
            new { transferId, id = intent.Id }, transaction.Transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new WebhookResult(credit > 0 ? "credited" : "nothing-to-credit");
    }

    private static async Task<WebhookResult> RefundAsync(Event stripeEvent, Charge charge, Ledger ledger, ILogger logger, CancellationToken cancellationToken)
    {
        await using var transaction = await ledger.BeginAsync($"refund:{stripeEvent.Id}", new { stripeEvent.Id }, cancellationToken);
        if (!await RecordEventAsync(transaction, stripeEvent, cancellationToken) || transaction.Past is not null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("duplicate");
        }

        var purchase = await FindIntentAsync(transaction, charge.PaymentIntentId, cancellationToken);
        // Stripe reports the refunded amount so far; this event takes back the coins of what is new in it.
        var refundedCoins = CoinsOf(purchase, charge.AmountRefunded);
        if (purchase.SucceededAt is null)
        {
            // Reported before the payment: kept, and taken off the credit when the payment is reported.
            await transaction.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE payment_intents SET refunded_coins = greatest(refunded_coins, @refundedCoins) WHERE id = @id",
                new { refundedCoins, id = purchase.Id }, transaction.Transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("refund-recorded");
        }

        var newlyRefunded = refundedCoins - purchase.RefundedCoins;
        if (newlyRefunded <= 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new WebhookResult("ignored");
        }

        var coins = await Ledger.UserAccountAsync(transaction, AccountKind.Coins, purchase.UserId, cancellationToken);
        var clearing = await Ledger.PlatformAccountAsync(transaction, AccountKind.PaymentClearing, cancellationToken);
        var balance = await Ledger.BalanceForUpdateAsync(transaction, coins, cancellationToken);
        var takenBack = Math.Min(balance, newlyRefunded);
        if (takenBack > 0)
        {
            await transaction.TransferAsync("refund", [new(coins, -takenBack), new(clearing, takenBack)],
                new { paymentIntent = purchase.Id, refundedCoins = newlyRefunded, takenBack, eventId = stripeEvent.Id },
                createdBy: null, corrects: purchase.CreditedTransfer, cancellationToken);
        }

        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE payment_intents SET refunded_coins = @refundedCoins WHERE id = @id;
            UPDATE users SET payment_flagged_at = coalesce(payment_flagged_at, now()) WHERE id = @userId AND @shortfall;
            """,
            new { refundedCoins, id = purchase.Id, purchase.UserId, shortfall = takenBack < newlyRefunded }, transaction.Transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        if (takenBack < newlyRefunded)
        {
            LogFlagged(logger, purchase.UserId, newlyRefunded - takenBack);
        }

        return new WebhookResult(takenBack < newlyRefunded ? "refunded-flagged" : "refunded");
    }

    /// <summary>Records the event; false when it was recorded before (a repeated delivery).</summary>
    private static async Task<bool> RecordEventAsync(LedgerTransaction transaction, Event stripeEvent, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO stripe_events (id, type) VALUES (@Id, @Type) ON CONFLICT (id) DO NOTHING",
            new { stripeEvent.Id, stripeEvent.Type }, transaction.Transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>The coins that <paramref name="amountCents"/> of the purchase's price bought.</summary>
    private static long CoinsOf(PurchaseRow purchase, long amountCents) => Math.Clamp(purchase.Coins * amountCents / purchase.AmountCents, 0, purchase.Coins);

    /// <summary>The purchase, locked: every event about one payment acts after the one before it.</summary>
    private static async Task<PurchaseRow> FindIntentAsync(LedgerTransaction transaction, string? intentId, CancellationToken cancellationToken) =>
        await transaction.Connection.QuerySingleOrDefaultAsync<PurchaseRow>(new CommandDefinition(
            """
            SELECT id, user_id, package_id, coins, amount_cents, currency, credited_transfer, refunded_coins, succeeded_at
            FROM payment_intents WHERE id = @intentId FOR UPDATE
            """,
            new { intentId }, transaction.Transaction, cancellationToken: cancellationToken))
        ?? throw new UnknownIntentException($"PaymentIntent {intentId} was not created by NIO.");

    private static ProblemHttpResult Rejected(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Webhook rejected");

    private sealed record PurchaseRow
    {
        public string Id { get; init; } = "";
        public Guid UserId { get; init; }
        public string PackageId { get; init; } = "";
        public long Coins { get; init; }
        public long AmountCents { get; init; }
        public string Currency { get; init; } = "";
        public long? CreditedTransfer { get; init; }
        public long RefundedCoins { get; init; }
        public DateTime? SucceededAt { get; init; }
    }

    private sealed class UnknownIntentException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe webhook rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} flagged: a refund took back {Missing} coins fewer than it refunded (they were spent)")]
    private static partial void LogFlagged(ILogger logger, Guid userId, long missing);
}

/// <summary>
/// What the webhook did with an event: credited, nothing-to-credit, refunded, refunded-flagged, refund-recorded,
/// disputed, disputed-short, dispute-recorded, dispute-won, dispute-lost, duplicate or ignored.
/// </summary>
public sealed record WebhookResult(string Outcome);

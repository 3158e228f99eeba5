using System.Text;
using Nio.Api.Payments;
using Nio.Fuzz.Engine;
using Nio.TestSupport;
using Stripe;

namespace Nio.Fuzz.Targets;

/// <summary>
/// The Stripe webhook's reading of a delivery, in process: the input is the event's JSON, signed as Stripe signs it
/// (so the fuzzer reaches the JSON and not only the signature check), read by <see cref="StripeWebhook.ReadEvent"/> and
/// dispatched by <see cref="StripeWebhook.Subject"/>, then the fields the handler uses are read (payment, refund, dispute). A body that is not an
/// event is refused by <c>ReadEvent</c> returning null; nothing may throw, or the webhook would answer 500 and Stripe
/// would retry the delivery for days.
/// </summary>
public sealed class StripeWebhookTarget : FuzzTarget
{
    public override string Name => "stripe-webhook";

    public override int MaxInputLength => 4 * 1024;

    public override IReadOnlyList<byte[]> Dictionary { get; } =
        Tokens("\"type\":", "\"data\":", "\"object\":", "\"payment_intent.succeeded\"", "\"charge.refunded\"",
            "\"charge.dispute.created\"", "\"charge.dispute.closed\"", "\"payment_intent\"", "\"charge\"", "\"dispute\"", "\"won\"",
            "\"amount_received\":", "\"amount_refunded\":", "\"amount\":", "\"currency\":", "\"status\":", "\"id\":", "null", "true",
            "{}", "[]", "\"\"", "9223372036854775807", "-1", "1e400", "{\"id\":\"pi_1\",\"object\":\"payment_intent\"}",
            "\"previous_attributes\":");

    public override void Run(ReadOnlySpan<byte> input)
    {
        var json = Encoding.UTF8.GetString(input);
        if (StripeWebhook.ReadEvent(json, StripeStandIn.Sign(json), StripeStandIn.WebhookSecret, out _) is not { } stripeEvent)
        {
            return;
        }

        _ = (stripeEvent.Id, stripeEvent.Type);
        switch (StripeWebhook.Subject(stripeEvent))
        {
            case PaymentIntent intent:
                _ = (intent.Id, intent.AmountReceived, intent.Currency);
                break;
            case Charge charge:
                _ = (charge.PaymentIntentId, charge.AmountRefunded);
                break;
            case Dispute dispute:
                _ = (dispute.Id, dispute.PaymentIntentId, dispute.Amount, dispute.Status);
                break;
        }
    }

    public override bool IsRejection(Exception exception) => false;

    /// <summary>JSON becomes a tree of objects several times the size of its text before the event is read from it.</summary>
    public override long AllocationLimit(int inputLength) => 8L * 1024 * 1024 + 1024L * inputLength;
}

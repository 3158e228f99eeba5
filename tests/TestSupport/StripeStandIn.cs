using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Nio.TestSupport;

/// <summary>
/// Stands in for Stripe's PaymentIntents endpoint (Stripe's servers are out of reach here) on a loopback port:
/// <c>POST /v1/payment_intents</c> answers a new intent, the same one again for a repeated <c>Idempotency-Key</c>;
/// <c>POST /v1/payment_intents/{id}/confirm</c> (what Stripe.js calls when a buyer pays) succeeds the intent and, with
/// <see cref="WebhookUrl"/> set, delivers Stripe's signed <c>payment_intent.succeeded</c> event there.
/// It also signs webhook events the way Stripe does, for the Api's real signature check.
/// </summary>
public sealed class StripeStandIn : IAsyncDisposable
{
    public const string SecretKey = "sk_test_nio_stand_in";
    public const string WebhookSecret = "whsec_nio_stand_in";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, string> answersByKey = new();
    private readonly ConcurrentDictionary<string, long> amountsById = new();
    private readonly HttpClient webhooks = new();
    private int created;

    public StripeStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(BaseUrl);
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/v1/payment_intents", CreateAsync);
        app.MapPost("/v1/payment_intents/{id}/confirm", ConfirmAsync);
        app.StartAsync().GetAwaiter().GetResult();
    }

    public int Port { get; } = TestHost.FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Where confirmed payments are announced (the Api's <c>/api/payments/webhook</c>); null sends nothing.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The form fields and headers of every create request, in order.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string? Authorization)> Requests { get; } = new();

    /// <summary>A <c>Stripe-Signature</c> header for the payload, signed now or at the given time.</summary>
    public static string Sign(string payload, DateTimeOffset? at = null, string secret = WebhookSecret)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        return $"t={timestamp},v1={signature}";
    }

    /// <summary>A webhook event as Stripe sends it, with <paramref name="dataObject"/> as its <c>data.object</c>.</summary>
    public static string Event(string id, string type, string dataObject) =>
        $$"""{"id":"{{id}}","object":"event","api_version":"{{Stripe.StripeConfiguration.ApiVersion}}","created":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"{{type}}","data":{"object":""" + dataObject + "}}";

    public static string SucceededIntent(string intentId, long amount, string currency = "usd") =>
        $$"""{"id":"{{intentId}}","object":"payment_intent","amount":{{amount}},"amount_received":{{amount}},"currency":"{{currency}}","status":"succeeded"}""";

    public static string RefundedCharge(string chargeId, string intentId, long amount, long refunded) =>
        $$"""{"id":"{{chargeId}}","object":"charge","amount":{{amount}},"amount_refunded":{{refunded}},"currency":"usd","payment_intent":"{{intentId}}","refunded":{{(refunded == amount ? "true" : "false")}},"status":"succeeded"}""";

    /// <summary>A dispute of the intent's charge as Stripe reports it (<paramref name="status"/>: needs_response, won, lost...).</summary>
    public static string Dispute(string disputeId, string intentId, long amount, string status) =>
        $$"""{"id":"{{disputeId}}","object":"dispute","amount":{{amount}},"charge":"ch_{{intentId}}","currency":"usd","payment_intent":"{{intentId}}","reason":"fraudulent","status":"{{status}}","livemode":false}""";

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = request.Headers["Idempotency-Key"].ToString();
        Requests.Enqueue((form, key, request.Headers.Authorization.ToString()));
        var answer = answersByKey.GetOrAdd(key.Length > 0 ? key : Guid.NewGuid().ToString(), _ =>
        {
            var id = $"pi_test_{Interlocked.Increment(ref created)}_{Guid.NewGuid():N}";
            amountsById[id] = long.Parse(form["amount"], CultureInfo.InvariantCulture);
            return $$"""{"id":"{{id}}","object":"payment_intent","amount":{{form["amount"]}},"currency":"{{form["currency"]}}","client_secret":"{{id}}_secret_{{Guid.NewGuid():N}}","status":"requires_payment_method","livemode":false}""";
        });
        return Results.Content(answer, "application/json");
    }

    private async Task<IResult> ConfirmAsync(string id)
    {
        if (!amountsById.TryGetValue(id, out var amount))
        {
            return Results.NotFound();
        }

        var intent = SucceededIntent(id, amount);
        if (WebhookUrl is not null)
        {
            var payload = Event($"evt_{Guid.NewGuid():N}", "payment_intent.succeeded", intent);
            using var delivery = new HttpRequestMessage(HttpMethod.Post, WebhookUrl) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            delivery.Headers.Add("Stripe-Signature", Sign(payload));
            (await webhooks.SendAsync(delivery)).EnsureSuccessStatusCode();
        }

        return Results.Content(intent, "application/json");
    }

    public async ValueTask DisposeAsync()
    {
        webhooks.Dispose();
        await app.DisposeAsync();
    }
}

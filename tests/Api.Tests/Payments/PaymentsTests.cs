using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Nio.Api.Auth;
using Nio.Api.Payments;
using Nio.TestSupport;

namespace Nio.Api.Tests.Payments;

/// <summary>The real Api with Stripe.net pointed at a stand-in PaymentIntents server; webhooks signed with real HMAC.</summary>
public sealed class PaymentsTests(PaymentsTests.WithStripe api) : IClassFixture<PaymentsTests.WithStripe>
{
    public sealed class WithStripe : ApiFactory
    {
        public StripeStandIn Stripe { get; } = new();

        protected override Dictionary<string, string?> Settings
        {
            get
            {
                var settings = base.Settings;
                settings["Payments:StripeSecretKey"] = StripeStandIn.SecretKey;
                settings["Payments:StripeWebhookSecret"] = StripeStandIn.WebhookSecret;
                settings["Payments:StripeApiBase"] = Stripe.BaseUrl;
                settings["Payments:StripePublishableKey"] = "pk_test_nio";
                return settings;
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Stripe.DisposeAsync();
        }
    }

    [Fact]
    public async Task Config_tells_the_browser_stripe_is_on_with_its_publishable_key_and_never_the_secret()
    {
        var response = await api.CreateClient().GetAsync("/api/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(StripeStandIn.SecretKey, body);
        Assert.DoesNotContain(StripeStandIn.WebhookSecret, body);
        var config = JsonDocument.Parse(body).RootElement;
        Assert.Equal("pk_test_nio", config.GetProperty("stripePublishableKey").GetString());
        Assert.True(config.GetProperty("stripe").GetBoolean());
        Assert.False(config.GetProperty("paypal").GetBoolean());
    }

    [Fact]
    public async Task Creating_an_intent_asks_stripe_for_the_package_price_once_per_idempotency_key()
    {
        var buyer = await api.RegisterAsync();
        var client = api.ClientWithToken(buyer.AccessToken);
        var first = await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100", idempotencyKey = "buy-1" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var intent = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(intent.GetProperty("paymentIntentId").GetString()!, intent.GetProperty("clientSecret").GetString()!);
        Assert.Equal(100, intent.GetProperty("package").GetProperty("coins").GetInt64());

        var again = await (await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100", idempotencyKey = "buy-1" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(intent.GetProperty("paymentIntentId").GetString(), again.GetProperty("paymentIntentId").GetString());

        var sent = api.Stripe.Requests.Last();
        Assert.Equal("99", sent.Form["amount"]);
        Assert.Equal("usd", sent.Form["currency"]);
        Assert.Equal(buyer.User.Id.ToString(), sent.Form["metadata[userId]"]);
        Assert.Equal($"nio-intent:{buyer.User.Id}:buy-1", sent.IdempotencyKey);
        Assert.Equal($"Bearer {StripeStandIn.SecretKey}", sent.Authorization);

        await (await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-1", idempotencyKey = "x" })).AssertFieldErrorAsync("packageId");
        await (await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100" })).AssertFieldErrorAsync("idempotencyKey");
        await (await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100", idempotencyKey = "p", provider = "paypal" }))
            .AssertProblemAsync(HttpStatusCode.NotImplemented);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100", idempotencyKey = "y" })).StatusCode);
        var packages = await api.ClientWithToken(null).GetFromJsonAsync<JsonElement>("/api/payments/packages");
        Assert.Equal(4, packages.GetArrayLength());
    }

    [Fact]
    public async Task The_same_payment_reported_three_times_credits_its_coins_once()
    {
        var (buyer, intentId) = await IntentAsync("coins-550");
        var payload = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, 499));

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await PostWebhookAsync(payload, StripeStandIn.Sign(payload));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            outcomes.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!);
        }

        // Another event about the same intent (Stripe may send several) credits nothing either.
        var other = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, 499));
        outcomes.Add((await (await PostWebhookAsync(other, StripeStandIn.Sign(other))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!);

        Assert.Equal(["credited", "duplicate", "duplicate", "duplicate"], outcomes);
        Assert.Equal(550, await CoinsAsync(buyer));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Unsigned_tampered_stale_and_unknown_events_are_rejected_and_credit_nothing()
    {
        var (buyer, intentId) = await IntentAsync("coins-100");
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var payload = StripeStandIn.Event(eventId, "payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, 99));

        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, signature: null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload.Replace("\"amount\":99", "\"amount\":98"), StripeStandIn.Sign(payload))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, StripeStandIn.Sign(payload, secret: "whsec_someone_else"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(payload, StripeStandIn.Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        var unknown = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", StripeStandIn.SucceededIntent("pi_never_created", 99));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(unknown, StripeStandIn.Sign(unknown))).StatusCode);
        var wrongAmount = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, 1));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync(wrongAmount, StripeStandIn.Sign(wrongAmount))).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await PostWebhookAsync("not json {", StripeStandIn.Sign("not json {"))).StatusCode);

        Assert.Equal(0, await CoinsAsync(buyer));
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM stripe_events WHERE id = @eventId", new { eventId }));

        // The genuine event still works afterwards.
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(payload, StripeStandIn.Sign(payload))).StatusCode);
        Assert.Equal(100, await CoinsAsync(buyer));
    }

    // Found by fuzzing (tests/Fuzz, stripe-webhook): a genuine event of a type NIO acts on but without "data" threw in
    // the webhook, which answered 500, and Stripe retries a failed delivery for days.
    [Theory]
    [InlineData("payment_intent.succeeded")]
    [InlineData("charge.refunded")]
    [InlineData("charge.dispute.created")]
    [InlineData("charge.dispute.closed")]
    public async Task A_signed_event_without_data_is_ignored(string type)
    {
        var payload = $$"""{"id":"evt_{{Guid.NewGuid():N}}","object":"event","type":"{{type}}"}""";

        var response = await PostWebhookAsync(payload, StripeStandIn.Sign(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ignored", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_refund_takes_back_what_is_left_and_flags_the_account_when_coins_were_spent()
    {
        var (buyer, intentId) = await IntentAsync("coins-100");
        await CreditAsync(intentId, 99);
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var gift = await api.ClientWithToken(buyer.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts", new { giftId = "diamond", count = 1, idempotencyKey = "spend" });
        Assert.Equal(HttpStatusCode.Created, gift.StatusCode);

        var refund = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "charge.refunded", StripeStandIn.RefundedCharge("ch_1", intentId, 99, 99));
        var response = await PostWebhookAsync(refund, StripeStandIn.Sign(refund));
        Assert.Equal("refunded-flagged", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal("duplicate", (await (await PostWebhookAsync(refund, StripeStandIn.Sign(refund))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());

        Assert.Equal(0, await CoinsAsync(buyer));
        await using var connection = await api.Database.OpenConnectionAsync();
        Assert.NotNull(await connection.ExecuteScalarAsync<DateTime?>("SELECT payment_flagged_at FROM users WHERE id = @id", new { id = buyer.User.Id }));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_partial_refund_takes_back_its_share_of_the_coins()
    {
        var (buyer, intentId) = await IntentAsync("coins-1200");
        await CreditAsync(intentId, 999);
        var refund = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "charge.refunded", StripeStandIn.RefundedCharge("ch_2", intentId, 999, 333));
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(refund, StripeStandIn.Sign(refund))).StatusCode);
        Assert.Equal(800, await CoinsAsync(buyer));

        var rest = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "charge.refunded", StripeStandIn.RefundedCharge("ch_2", intentId, 999, 999));
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(rest, StripeStandIn.Sign(rest))).StatusCode);
        Assert.Equal(0, await CoinsAsync(buyer));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_refund_that_arrives_before_its_payment_is_kept_and_only_the_rest_is_credited()
    {
        var (buyer, intentId) = await IntentAsync("coins-1200");
        Assert.Equal("refund-recorded", await OutcomeAsync(NewEvent("charge.refunded", StripeStandIn.RefundedCharge("ch_early", intentId, 999, 333))));
        await CreditAsync(intentId, 999);
        Assert.Equal(800, await CoinsAsync(buyer));

        // Refunded whole before the payment: nothing to credit, then or on another report of the payment.
        var (other, otherIntent) = await IntentAsync("coins-100");
        Assert.Equal("refund-recorded", await OutcomeAsync(NewEvent("charge.refunded", StripeStandIn.RefundedCharge("ch_whole", otherIntent, 99, 99))));
        await CreditAsync(otherIntent, 99);
        Assert.Equal("duplicate", await OutcomeAsync(NewEvent("payment_intent.succeeded", StripeStandIn.SucceededIntent(otherIntent, 99))));
        Assert.Equal(0, await CoinsAsync(other));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_dispute_takes_back_what_is_left_flags_the_account_and_a_won_dispute_gives_it_back()
    {
        var (buyer, intentId) = await IntentAsync("coins-550");
        await CreditAsync(intentId, 499);
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var gift = await api.ClientWithToken(buyer.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts", new { giftId = "rocket", count = 1, idempotencyKey = "spend" });
        Assert.Equal(HttpStatusCode.Created, gift.StatusCode);
        var disputeId = "dp_" + Guid.NewGuid().ToString("N");

        var opened = NewEvent("charge.dispute.created", StripeStandIn.Dispute(disputeId, intentId, 499, "needs_response"));
        Assert.Equal("disputed-short", await OutcomeAsync(opened));
        Assert.Equal("duplicate", await OutcomeAsync(opened));
        Assert.Equal(0, await CoinsAsync(buyer));
        Assert.NotNull(await FlaggedAtAsync(buyer));

        Assert.Equal("dispute-won", await OutcomeAsync(NewEvent("charge.dispute.closed", StripeStandIn.Dispute(disputeId, intentId, 499, "won"))));
        Assert.Equal(450, await CoinsAsync(buyer));
        Assert.Equal("duplicate", await OutcomeAsync(NewEvent("charge.dispute.closed", StripeStandIn.Dispute(disputeId, intentId, 499, "won"))));
        Assert.Equal(450, await CoinsAsync(buyer));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_lost_dispute_keeps_the_coins_and_a_dispute_reported_before_its_payment_holds_them_back()
    {
        var (loser, lostIntent) = await IntentAsync("coins-100");
        await CreditAsync(lostIntent, 99);
        var lostId = "dp_" + Guid.NewGuid().ToString("N");
        Assert.Equal("disputed", await OutcomeAsync(NewEvent("charge.dispute.created", StripeStandIn.Dispute(lostId, lostIntent, 99, "needs_response"))));
        Assert.Equal("dispute-lost", await OutcomeAsync(NewEvent("charge.dispute.closed", StripeStandIn.Dispute(lostId, lostIntent, 99, "lost"))));
        Assert.Equal(0, await CoinsAsync(loser));
        Assert.NotNull(await FlaggedAtAsync(loser));

        var (buyer, intentId) = await IntentAsync("coins-1200");
        var disputeId = "dp_" + Guid.NewGuid().ToString("N");
        Assert.Equal("dispute-recorded", await OutcomeAsync(NewEvent("charge.dispute.created", StripeStandIn.Dispute(disputeId, intentId, 999, "needs_response"))));
        await CreditAsync(intentId, 999);
        Assert.Equal(0, await CoinsAsync(buyer));
        Assert.NotNull(await FlaggedAtAsync(buyer));
        Assert.Equal("dispute-won", await OutcomeAsync(NewEvent("charge.dispute.closed", StripeStandIn.Dispute(disputeId, intentId, 999, "won"))));
        Assert.Equal(1200, await CoinsAsync(buyer));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task A_webhook_body_over_the_limit_is_refused_by_the_bytes_read_even_without_a_content_length()
    {
        var (buyer, intentId) = await IntentAsync("coins-100");
        var payload = NewEvent("payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, 99)) + new string(' ', PaymentsApi.MaxWebhookBytes);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhook") { Content = new UnsizedContent(payload) };
        request.Headers.Add("Stripe-Signature", StripeStandIn.Sign(payload));

        var response = await api.ClientWithToken(null).SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await CoinsAsync(buyer));
    }

    [Fact]
    public async Task Beans_are_held_by_a_withdrawal_until_an_admin_decides()
    {
        var (streamer, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var (fan, intentId) = await IntentAsync("coins-6500");
        await CreditAsync(intentId, 4999);
        var fanClient = api.ClientWithToken(fan.AccessToken);
        for (var i = 0; i < 4; i++)
        {
            (await fanClient.PostAsJsonAsync($"/api/streams/{stream.Id}/gifts", new { giftId = "fire", count = 1, idempotencyKey = $"fire-{i}" })).EnsureSuccessStatusCode();
        }

        var client = api.ClientWithToken(streamer.AccessToken);
        // The wallet says the least a withdrawal asks for, so a page can say it before anyone is refused.
        Assert.Equal(1000, (await client.GetFromJsonAsync<JsonElement>("/api/wallet")).GetProperty("minimumWithdrawalBeans").GetInt64());
        await (await client.PostAsJsonAsync("/api/wallet/withdrawals", new { beans = 999, idempotencyKey = "w0" })).AssertFieldErrorAsync("beans");
        await (await client.PostAsJsonAsync("/api/wallet/withdrawals", new { beans = 2100, idempotencyKey = "w1" })).AssertProblemAsync(HttpStatusCode.Conflict);
        var first = await (await client.PostAsJsonAsync("/api/wallet/withdrawals", new { beans = 1000, idempotencyKey = "w2" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(500, first.GetProperty("amountCents").GetInt64());
        var second = await (await client.PostAsJsonAsync("/api/wallet/withdrawals", new { beans = 1000, idempotencyKey = "w3" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", second.GetProperty("status").GetString());
        var wallet = await client.GetFromJsonAsync<JsonElement>("/api/wallet");
        Assert.Equal(0, wallet.GetProperty("beans").GetInt64());
        Assert.Equal(2000, wallet.GetProperty("beansHeld").GetInt64());

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/admin/withdrawals/{first.GetProperty("id")}/approve", null)).StatusCode);
        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/withdrawals/{first.GetProperty("id")}/approve", new { payoutReference = "bank-transfer-1", note = "paid" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/admin/withdrawals/{second.GetProperty("id")}/reject", new { note = "no" })).StatusCode);
        await (await admin.PostAsJsonAsync($"/api/admin/withdrawals/{second.GetProperty("id")}/approve", new { payoutReference = "late" })).AssertProblemAsync(HttpStatusCode.Conflict);

        wallet = await client.GetFromJsonAsync<JsonElement>("/api/wallet");
        Assert.Equal(1000, wallet.GetProperty("beans").GetInt64());
        Assert.Equal(0, wallet.GetProperty("beansHeld").GetInt64());
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/wallet/withdrawals");
        Assert.Equal(["rejected", "approved"], mine.EnumerateArray().Select(w => w.GetProperty("status").GetString()));
        await AssertLedgerBalancesAsync();
    }

    [Fact]
    public async Task Random_purchases_gifts_refunds_and_adjustments_keep_every_invariant()
    {
        var random = new Random(5150);
        var (_, stream) = await api.CreateStreamAsync();
        await api.GoLiveAsync(stream);
        var admin = api.ClientWithToken((await api.LoginAdminAsync()).AccessToken);
        var buyers = new List<AuthResponse>();
        var paid = new List<(string IntentId, long Amount, long Refunded)>();
        for (var i = 0; i < 3; i++)
        {
            buyers.Add(await api.RegisterAsync($"Buyer {i}"));
        }

        var packages = new[] { ("coins-100", 99L), ("coins-550", 499L) };
        for (var step = 0; step < 50; step++)
        {
            var buyer = buyers[random.Next(buyers.Count)];
            switch (random.Next(4))
            {
                case 0:
                    var (packageId, amount) = packages[random.Next(packages.Length)];
                    var intent = await (await api.ClientWithToken(buyer.AccessToken).PostAsJsonAsync("/api/payments/create-intent",
                        new { packageId, idempotencyKey = Guid.NewGuid() })).Content.ReadFromJsonAsync<JsonElement>();
                    var intentId = intent.GetProperty("paymentIntentId").GetString()!;
                    await CreditAsync(intentId, amount);
                    paid.Add((intentId, amount, 0));
                    break;
                case 1 when paid.Count > 0:
                    var index = random.Next(paid.Count);
                    var (refundIntent, total, refunded) = paid[index];
                    var now = Math.Min(total, refunded + random.Next(1, (int)total + 1));
                    var refund = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "charge.refunded", StripeStandIn.RefundedCharge("ch_" + refundIntent, refundIntent, total, now));
                    Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(refund, StripeStandIn.Sign(refund))).StatusCode);
                    paid[index] = (refundIntent, total, now);
                    break;
                case 2:
                    var gift = await api.ClientWithToken(buyer.AccessToken).PostAsJsonAsync($"/api/streams/{stream.Id}/gifts",
                        new { giftId = random.Next(2) == 0 ? "rose" : "rocket", count = random.Next(1, 5), idempotencyKey = Guid.NewGuid() });
                    Assert.Contains(gift.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.PaymentRequired });
                    break;
                default:
                    var adjustment = await admin.PostAsJsonAsync($"/api/admin/users/{buyer.User.Id}/coins",
                        new { amount = random.Next(-200, 200) is var a && a != 0 ? a : 1, reason = "random", idempotencyKey = Guid.NewGuid() });
                    Assert.Contains(adjustment.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
                    break;
            }
        }

        await AssertLedgerBalancesAsync();
        await using var connection = await api.Database.OpenConnectionAsync();
        // Every intent of this run was credited once, and never more was taken back than it brought. (The class's other
        // tests share the database and leave intents never paid, or refunded before they were paid.)
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            """
            SELECT count(*) FROM payment_intents p
            WHERE p.id = ANY (@ids) AND (
                  p.credited_transfer IS NULL
               OR (SELECT count(*) FROM ledger_transfers t WHERE t.kind = 'purchase' AND t.details->>'paymentIntent' = p.id) <> 1
               OR (SELECT coalesce(sum((t.details->>'takenBack')::bigint), 0) FROM ledger_transfers t WHERE t.kind = 'refund' AND t.details->>'paymentIntent' = p.id) > p.coins)
            """, new { ids = paid.Select(p => p.IntentId).ToArray() }));
    }

    private async Task<(AuthResponse Buyer, string IntentId)> IntentAsync(string packageId)
    {
        var buyer = await api.RegisterAsync();
        var response = await api.ClientWithToken(buyer.AccessToken).PostAsJsonAsync("/api/payments/create-intent", new { packageId, idempotencyKey = Guid.NewGuid() });
        var intent = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        return (buyer, intent.GetProperty("paymentIntentId").GetString()!);
    }

    private async Task CreditAsync(string intentId, long amount)
    {
        var payload = StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", StripeStandIn.SucceededIntent(intentId, amount));
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(payload, StripeStandIn.Sign(payload))).StatusCode);
    }

    private Task<HttpResponseMessage> PostWebhookAsync(string payload, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("Stripe-Signature", signature);
        }

        return api.ClientWithToken(null).SendAsync(request);
    }

    private static string NewEvent(string type, string dataObject) => StripeStandIn.Event("evt_" + Guid.NewGuid().ToString("N"), type, dataObject);

    /// <summary>Delivers the signed event and returns what the webhook says it did.</summary>
    private async Task<string> OutcomeAsync(string payload)
    {
        var response = await PostWebhookAsync(payload, StripeStandIn.Sign(payload));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString()!;
    }

    private async Task<DateTime?> FlaggedAtAsync(AuthResponse user)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime?>("SELECT payment_flagged_at FROM users WHERE id = @id", new { id = user.User.Id });
    }

    private async Task<long> CoinsAsync(AuthResponse user) =>
        (await api.ClientWithToken(user.AccessToken).GetFromJsonAsync<JsonElement>("/api/wallet")).GetProperty("coins").GetInt64();

    private Task AssertLedgerBalancesAsync() => LedgerAssertions.AssertBalancedAsync(api.Database);
}

/// <summary>A body sent without a Content-Length (chunked on a real socket).</summary>
internal sealed class UnsizedContent(string text) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>The embedded default: no Stripe key, so purchases say payments are not configured.</summary>
public sealed class PaymentsNotConfiguredTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Purchases_answer_503_and_the_webhook_too()
    {
        var client = api.ClientWithToken((await api.RegisterAsync()).AccessToken);
        var problem = await (await client.PostAsJsonAsync("/api/payments/create-intent", new { packageId = "coins-100", idempotencyKey = "k" }))
            .AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Payments are not configured", problem.GetProperty("title").GetString());
        await (await client.PostAsync("/api/payments/webhook", new StringContent("{}"))).AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
    }
}

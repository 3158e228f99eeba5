using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Wallet;
using Stripe;

namespace Nio.Api.Payments;

public sealed record CreateIntentRequest(string? PackageId, string? IdempotencyKey, string? Provider);

public sealed record CreatedIntent(string PaymentIntentId, string ClientSecret, CoinPackage Package);

/// <summary>Buying coins: packages, Stripe PaymentIntents and Stripe's webhook, under <c>/api/payments</c>.</summary>
public static class PaymentsApi
{
    public const int MaxWebhookBytes = 256 * 1024;

    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/payments").WithTags("Payments");
        group.MapGet("/packages", Packages);
        group.MapPost("/create-intent", CreateIntentAsync).RequireAuthorization();
        group.MapPost("/webhook", StripeWebhook.HandleAsync);
        return group;
    }

    public static Ok<IReadOnlyList<CoinPackage>> Packages(IOptions<PaymentsOptions> options) => TypedResults.Ok(options.Value.OnSale);

    /// <summary>
    /// Starts a purchase: a Stripe PaymentIntent for the package, whose client secret the app confirms with Stripe.
    /// The coins are credited when Stripe's webhook says the payment succeeded. The same idempotency key gives the
    /// same intent. 503 while no Stripe key is configured; 501 for PayPal, which is not supported yet.
    /// </summary>
    public static async Task<Results<Ok<CreatedIntent>, ValidationProblem, ProblemHttpResult>> CreateIntentAsync(
        CreateIntentRequest request, ClaimsPrincipal user, IOptions<PaymentsOptions> options, IServiceProvider services, NpgsqlDataSource db,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new FieldErrors();
        var package = settings.OnSale.SingleOrDefault(p => p.Id == request.PackageId);
        if (package is null)
        {
            errors.Add("packageId", $"packageId must be one of {string.Join(", ", settings.OnSale.Select(p => p.Id))}.");
        }

        var key = IdempotencyKeys.Required(errors, request.IdempotencyKey);
        if (request.Provider is not (null or "stripe" or "paypal"))
        {
            errors.Add("provider", "provider must be stripe (the default) or paypal.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (request.Provider == "paypal")
        {
            return TypedResults.Problem("PayPal is not supported yet; pay with Stripe.", statusCode: StatusCodes.Status501NotImplemented, title: "PayPal not supported yet");
        }

        if (!settings.StripeConfigured)
        {
            return NotConfigured();
        }

        var userId = user.Id();
        var intents = new PaymentIntentService(services.GetRequiredService<IStripeClient>());
        PaymentIntent intent;
        try
        {
            intent = await intents.CreateAsync(
                new PaymentIntentCreateOptions
                {
                    Amount = package!.AmountCents,
                    Currency = package.Currency,
                    AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
                    Metadata = new Dictionary<string, string> { ["userId"] = userId.ToString(), ["packageId"] = package.Id, ["coins"] = package.Coins.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
                new RequestOptions { IdempotencyKey = $"nio-intent:{userId}:{key}" },
                cancellationToken);
        }
        catch (StripeException exception)
        {
            return TypedResults.Problem($"Stripe refused the payment: {exception.StripeError?.Message ?? exception.Message}",
                statusCode: StatusCodes.Status502BadGateway, title: "Payment provider error");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO payment_intents (id, user_id, package_id, coins, amount_cents, currency)
            VALUES (@Id, @userId, @packageId, @coins, @amount, @currency)
            ON CONFLICT (id) DO NOTHING
            """,
            new { intent.Id, userId, packageId = package.Id, coins = package.Coins, amount = package.AmountCents, currency = package.Currency },
            cancellationToken: cancellationToken));
        return TypedResults.Ok(new CreatedIntent(intent.Id, intent.ClientSecret, package));
    }

    public static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem("Payments are not configured (no STRIPE_SECRET_KEY). An admin can grant coins meanwhile.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payments are not configured");
}

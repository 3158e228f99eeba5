using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Nio.Api.Payments;

/// <summary>
/// What the web app needs to know before it shows a checkout. <see cref="StripePublishableKey"/> is Stripe's public key
/// (meant for browsers); the secret key never leaves the server, only whether one is set.
/// </summary>
public sealed record ClientConfig(string? StripePublishableKey, bool Stripe, [property: JsonPropertyName("paypal")] bool PayPal);

/// <summary>The browser's settings at <c>GET /api/config</c>.</summary>
public static class ClientConfigApi
{
    public static RouteHandlerBuilder MapClientConfigApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/config", GetConfig).WithTags("Config");

    /// <summary><c>paypal</c> stays false until PayPal checkout exists (create-intent answers 501 for it).</summary>
    public static Ok<ClientConfig> GetConfig(IOptions<PaymentsOptions> options)
    {
        var payments = options.Value;
        return TypedResults.Ok(new ClientConfig(
            string.IsNullOrWhiteSpace(payments.StripePublishableKey) ? null : payments.StripePublishableKey.Trim(),
            payments.StripeConfigured,
            PayPal: false));
    }
}

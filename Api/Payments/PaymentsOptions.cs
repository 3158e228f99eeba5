namespace Nio.Api.Payments;

/// <summary>A coin package for sale: <see cref="Coins"/> for <see cref="AmountCents"/> in <see cref="Currency"/>.</summary>
public sealed class CoinPackage
{
    public string Id { get; set; } = "";
    public long Coins { get; set; }
    public long AmountCents { get; set; }
    public string Currency { get; set; } = "usd";
}

/// <summary>
/// Payments settings (section <c>Payments</c>; <c>STRIPE_SECRET_KEY</c>, <c>STRIPE_PUBLISHABLE_KEY</c>,
/// <c>STRIPE_WEBHOOK_SECRET</c>, <c>PAYPAL_*</c>).
/// </summary>
public sealed class PaymentsOptions
{
    public string? StripeSecretKey { get; set; }

    /// <summary>Stripe's public key for Stripe.js in the browser, handed out by <c>GET /api/config</c>.</summary>
    public string? StripePublishableKey { get; set; }

    public string? StripeWebhookSecret { get; set; }

    /// <summary>Where Stripe's API answers; only changed to point at a stand-in server.</summary>
    public string? StripeApiBase { get; set; }

    public string? PayPalClientId { get; set; }

    public string? PayPalClientSecret { get; set; }

    /// <summary>Packages on sale; the defaults apply when none are configured.</summary>
    public List<CoinPackage> Packages { get; set; } = [];

    public static readonly IReadOnlyList<CoinPackage> DefaultPackages =
    [
        new() { Id = "coins-100", Coins = 100, AmountCents = 99 },
        new() { Id = "coins-550", Coins = 550, AmountCents = 499 },
        new() { Id = "coins-1200", Coins = 1200, AmountCents = 999 },
        new() { Id = "coins-6500", Coins = 6500, AmountCents = 4999 },
    ];

    public IReadOnlyList<CoinPackage> OnSale => Packages.Count > 0 ? Packages : DefaultPackages;

    public bool StripeConfigured => !string.IsNullOrWhiteSpace(StripeSecretKey);
}

/// <summary>Withdrawal settings (section <c>Withdrawals</c>).</summary>
public sealed class WithdrawalOptions
{
    /// <summary>The fewest beans one withdrawal may take.</summary>
    public long MinimumBeans { get; set; } = 1000;

    /// <summary>What 100 beans are worth, in cents of <see cref="Currency"/>.</summary>
    public long CentsPer100Beans { get; set; } = 50;

    public string Currency { get; set; } = "usd";
}

using Microsoft.Extensions.Options;
using Nio.Api.Gifts;
using Nio.Api.Payments;
using Stripe;

namespace Nio.Api.Wallet;

public static partial class WalletSetup
{
    public static void AddNioWallet(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<WalletRepository>();
        builder.Services.AddSingleton<GiftRepository>();
        builder.Services.Configure<PaymentsOptions>(builder.Configuration.GetSection("Payments"));
        builder.Services.Configure<WithdrawalOptions>(builder.Configuration.GetSection("Withdrawals"));
        builder.Services.AddSingleton<IStripeClient>(provider =>
        {
            var payments = provider.GetRequiredService<IOptions<PaymentsOptions>>().Value;
            return string.IsNullOrWhiteSpace(payments.StripeApiBase)
                ? new StripeClient(apiKey: payments.StripeSecretKey)
                : new StripeClient(apiKey: payments.StripeSecretKey, apiBase: payments.StripeApiBase);
        });
        builder.Services.AddHostedService<PaymentsStartupNotice>();
    }

    public static void MapNioWallet(this WebApplication app)
    {
        app.MapGiftsApi();
        app.MapWalletApi();
        app.MapWithdrawalsApi();
        app.MapPaymentsApi();
    }

    /// <summary>Says at start-up which payment providers are live, so a PayPal setting is never silently ignored.</summary>
    private sealed partial class PaymentsStartupNotice(IOptions<PaymentsOptions> options, ILogger<PaymentsStartupNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var payments = options.Value;
            if (!payments.StripeConfigured)
            {
                LogNoStripe();
            }

            if (!string.IsNullOrWhiteSpace(payments.PayPalClientId) || !string.IsNullOrWhiteSpace(payments.PayPalClientSecret))
            {
                LogPayPalNotSupported();
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "Payments are not configured (no STRIPE_SECRET_KEY): coin purchases answer 503; admins can grant coins")]
        private partial void LogNoStripe();

        [LoggerMessage(Level = LogLevel.Warning, Message = "PAYPAL_CLIENT_ID / PAYPAL_CLIENT_SECRET are set, but PayPal is not supported yet: only Stripe takes payments")]
        private partial void LogPayPalNotSupported();
    }
}

using Nio.Api.Gifts;

namespace Nio.Api.Wallet;

public static class WalletSetup
{
    public static void AddNioWallet(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<WalletRepository>();
        builder.Services.AddSingleton<GiftRepository>();
    }
}

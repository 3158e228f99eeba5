using Nio.Admin.ApiClient;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Money;

/// <summary>The ledger's platform and users' accounts, with its zero-sum invariant shown green or red.</summary>
public partial class Balances : OperatorPage
{
    private LedgerSummary? ledger;

    protected override async Task OnInitializedAsync() => ledger = await LoadAsync(Api.LedgerAsync);

    /// <summary>The ledger's account kinds as operators name them; an unknown kind shows as the Api writes it.</summary>
    private static string AccountName(string kind) => kind switch
    {
        "platform_revenue" => "Platform revenue",
        "payment_clearing" => "Payment clearing",
        "adjustments" => "Adjustments",
        "payouts" => "Payouts",
        "coins" => "Coins",
        "beans" => "Beans",
        "beans_held" => "Held beans",
        _ => kind,
    };
}

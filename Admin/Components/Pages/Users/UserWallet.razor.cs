using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Users;

/// <summary>A user's balances and ledger history; "Grant coins" adds (or removes) coins with a reason.</summary>
public partial class UserWallet : OperatorPage
{
    private Paged<WalletEntry>? history;

    [Parameter, EditorRequired]
    public UserDetail User { get; set; } = default!;

    /// <summary>Called after coins were granted, so the page reloads the balances.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    protected override Task OnParametersSetAsync() => LoadHistoryAsync(1);

    private async Task LoadHistoryAsync(int page) => history = await LoadAsync(ct => Api.WalletHistoryAsync(User.Id, page, ct)) ?? history;

    private async Task GrantAsync()
    {
        var answer = await CoinsDialog.AskAsync(Dialogs, User.DisplayName, T["Grant coins"]);
        if (answer is null)
        {
            return;
        }

        var key = Guid.NewGuid().ToString("N");
        if (await CallAsync(ct => Api.AdjustCoinsAsync(User.Id, answer.Amount, answer.Reason, key, ct),
                string.Format(T["{0} coins granted."], answer.Amount)))
        {
            await Changed.InvokeAsync();
        }
    }
}

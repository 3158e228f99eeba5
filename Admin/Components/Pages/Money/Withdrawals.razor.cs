using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Money;

/// <summary>Streamers' withdrawals, pending first: approve with the payout's reference, or reject with a note.</summary>
public partial class Withdrawals : OperatorPage
{
    private Paged<Withdrawal>? withdrawals;

    [SupplyParameterFromQuery]
    public string? Status { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private async Task ReloadAsync() => withdrawals = await LoadAsync(ct => Api.WithdrawalsAsync(Status, PageNumber ?? 1, ct)) ?? withdrawals;

    private async Task ApproveAsync(Withdrawal withdrawal)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Approve"],
            string.Format(T["Pay {0} to {1}? Enter the reference of the payout you made."], Amounts.Format(withdrawal.AmountCents, withdrawal.Currency), withdrawal.UserDisplayName),
            extraLabel: T["Payout reference"], reasonLabel: T["Note"]);
        if (answer is not null && await CallAsync(ct => Api.ApproveWithdrawalAsync(withdrawal.Id, answer.Extra!, answer.Reason, ct), T["Withdrawal approved."]))
        {
            await ReloadAsync();
        }
    }

    private async Task RejectAsync(Withdrawal withdrawal)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Reject"], T["The beans go back to the streamer. The note tells them why."],
            reasonRequired: true, destructive: true, reasonLabel: T["Note"]);
        if (answer is not null && await CallAsync(ct => Api.RejectWithdrawalAsync(withdrawal.Id, answer.Reason!, ct), T["Withdrawal rejected."]))
        {
            await ReloadAsync();
        }
    }
}

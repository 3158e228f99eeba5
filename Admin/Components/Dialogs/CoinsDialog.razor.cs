using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Nio.Admin.Components.Dialogs;

/// <summary>What the operator confirmed: the coins to add (negative: remove) and why.</summary>
public sealed record CoinsAnswer(long Amount, string Reason);

public partial class CoinsDialog
{
    /// <summary>The Api refuses adjustments larger than this either way.</summary>
    public const long MaxAmount = 1_000_000_000;

    private string? amountText;
    private string? reason;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public string UserName { get; set; } = "";

    /// <summary>The amount typed, when it is a whole number of coins the Api accepts; null otherwise.</summary>
    internal long? Amount =>
        long.TryParse(amountText?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
        && amount != 0 && Math.Abs(amount) <= MaxAmount ? amount : null;

    internal bool CanConfirm => Amount is not null && !string.IsNullOrWhiteSpace(reason) && reason.Length <= ReasonDialog.MaxLength;

    private string AmountError => string.Format(CultureInfo.CurrentCulture, T["A whole number of coins, not 0, at most {0} either way."], MaxAmount);

    private void Confirm()
    {
        if (Amount is { } amount && CanConfirm)
        {
            Dialog.Close(DialogResult.Ok(new CoinsAnswer(amount, reason!.Trim())));
        }
    }

    private void Cancel() => Dialog.Cancel();

    public static async Task<CoinsAnswer?> AskAsync(IDialogService dialogs, string userName, string title)
    {
        var dialog = await dialogs.ShowAsync<CoinsDialog>(title, new DialogParameters<CoinsDialog> { { d => d.UserName, userName } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: CoinsAnswer answer } ? answer : null;
    }
}

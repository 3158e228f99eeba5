using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Nio.Admin.Components.Dialogs;

/// <summary>What the operator confirmed: the reason (null when left empty) and the extra field's value.</summary>
public sealed record ReasonAnswer(string? Reason, string? Extra);

public partial class ReasonDialog
{
    /// <summary>The Api's limit on reasons and notes.</summary>
    public const int MaxLength = 500;

    private string? reason;
    private string? extra;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Title { get; set; } = "";

    [Parameter]
    public string? Text { get; set; }

    /// <summary>The reason field's label when it is not "Reason" (a withdrawal's "Note").</summary>
    [Parameter]
    public string? ReasonLabel { get; set; }

    [Parameter]
    public bool ReasonRequired { get; set; }

    /// <summary>The label of a second, required field (a payout reference); none when null.</summary>
    [Parameter]
    public string? ExtraLabel { get; set; }

    /// <summary>A destructive action's button is red.</summary>
    [Parameter]
    public bool Destructive { get; set; }

    internal bool CanConfirm =>
        (!ReasonRequired || !string.IsNullOrWhiteSpace(reason)) && (ExtraLabel is null || !string.IsNullOrWhiteSpace(extra))
        && (reason?.Length ?? 0) <= MaxLength && (extra?.Length ?? 0) <= MaxLength;

    private void Confirm()
    {
        if (CanConfirm)
        {
            Dialog.Close(DialogResult.Ok(new ReasonAnswer(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), extra?.Trim())));
        }
    }

    private void Cancel() => Dialog.Cancel();

    /// <summary>Shows the dialog; null when the operator cancelled.</summary>
    public static async Task<ReasonAnswer?> AskAsync(IDialogService dialogs, string title, string? text = null, bool reasonRequired = false,
        string? extraLabel = null, bool destructive = false, string? reasonLabel = null)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Title, title },
            { d => d.Text, text },
            { d => d.ReasonRequired, reasonRequired },
            { d => d.ExtraLabel, extraLabel },
            { d => d.Destructive, destructive },
            { d => d.ReasonLabel, reasonLabel },
        };
        var dialog = await dialogs.ShowAsync<ReasonDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: ReasonAnswer answer } ? answer : null;
    }
}

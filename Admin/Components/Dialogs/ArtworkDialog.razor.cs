using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Nio.Admin.Components.Dialogs;

/// <summary>The picture the operator chose (its bytes and type) and why.</summary>
public sealed record ArtworkAnswer(byte[] Picture, string ContentType, string? Reason);

public partial class ArtworkDialog
{
    /// <summary>What the Api takes as a picture, and its limit on one.</summary>
    public static readonly IReadOnlyList<string> AcceptedTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];
    public const long MaxBytes = 5 * 1024 * 1024;

    private byte[]? picture;
    private string? contentType;
    private string? reason;
    private string? error;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public string Title { get; set; } = "";

    internal bool CanConfirm => picture is not null && (reason?.Length ?? 0) <= ReasonDialog.MaxLength;

    private string Preview => $"data:{contentType};base64,{Convert.ToBase64String(picture!)}";

    private async Task PickAsync(InputFileChangeEventArgs change)
    {
        (picture, contentType, error) = (null, null, null);
        var file = change.File;
        if (!AcceptedTypes.Contains(file.ContentType))
        {
            error = T["Choose a JPEG, PNG, WebP or GIF picture."];
            return;
        }

        if (file.Size > MaxBytes)
        {
            error = T["The picture is larger than 5 MiB."];
            return;
        }

        using var bytes = new MemoryStream();
        await using (var stream = file.OpenReadStream(MaxBytes))
        {
            await stream.CopyToAsync(bytes);
        }

        (picture, contentType) = (bytes.ToArray(), file.ContentType);
    }

    private void Confirm()
    {
        if (CanConfirm)
        {
            Dialog.Close(DialogResult.Ok(new ArtworkAnswer(picture!, contentType!, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim())));
        }
    }

    private void Cancel() => Dialog.Cancel();

    /// <summary>Shows the dialog; null when the operator cancelled.</summary>
    public static async Task<ArtworkAnswer?> AskAsync(IDialogService dialogs, string title)
    {
        var dialog = await dialogs.ShowAsync<ArtworkDialog>(title, new DialogParameters<ArtworkDialog> { { d => d.Title, title } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: ArtworkAnswer answer } ? answer : null;
    }
}

using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Money;

/// <summary>
/// The gift catalog (all gifts, disabled too): prices, beans, artwork; a gift is enabled or disabled, and its artwork
/// changed or removed, with a reason.
/// </summary>
public partial class Gifts : OperatorPage
{
    private List<Gift>? gifts;

    [Inject]
    private ApiLinks Links { get; set; } = default!;

    protected override async Task OnInitializedAsync() => gifts = await LoadAsync(Api.GiftsAsync);

    private async Task SetEnabledAsync(Gift gift, bool enabled)
    {
        var title = enabled ? string.Format(T["Enable {0}"], gift.Name) : string.Format(T["Disable {0}"], gift.Name);
        var answer = await ReasonDialog.AskAsync(Dialogs, title, enabled ? T["Viewers can send it again."] : T["Viewers can no longer send it."], destructive: !enabled);
        if (answer is not null && await CallAsync(ct => Api.SetGiftEnabledAsync(gift.Id, enabled, answer.Reason, ct), T["Gift saved."]))
        {
            await ReloadAsync();
        }
    }

    private async Task ChangeArtworkAsync(Gift gift)
    {
        var answer = await ArtworkDialog.AskAsync(Dialogs, string.Format(T["Change artwork of {0}"], gift.Name));
        if (answer is not null && await CallAsync(async ct =>
            {
                var path = await Api.UploadGiftArtworkAsync(answer.Picture, answer.ContentType, ct);
                await Api.SetGiftArtworkAsync(gift.Id, path, answer.Reason, ct);
            }, T["Gift saved."]))
        {
            await ReloadAsync();
        }
    }

    private async Task RemoveArtworkAsync(Gift gift)
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, string.Format(T["Remove artwork of {0}"], gift.Name), T["Viewers see its emoji again."]);
        if (answer is not null && await CallAsync(ct => Api.SetGiftArtworkAsync(gift.Id, "", answer.Reason, ct), T["Gift saved."]))
        {
            await ReloadAsync();
        }
    }

    private async Task ReloadAsync() => gifts = await LoadAsync(Api.GiftsAsync) ?? gifts;
}

using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Money;

/// <summary>The gift catalog (all gifts, disabled too): prices, beans, artwork; a gift is enabled or disabled with a reason.</summary>
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
            gifts = await LoadAsync(Api.GiftsAsync) ?? gifts;
        }
    }
}

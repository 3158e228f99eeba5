using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Users;

/// <summary>One user: profile, status (ban, unban), wallet, roles and sessions (admins), streams, messages, audit.</summary>
public partial class UserPage : OperatorPage
{
    private UserDetail? user;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private ApiLinks Links { get; set; } = default!;

    protected override Task OnParametersSetAsync() => ReloadAsync();

    private async Task ReloadAsync() => user = await LoadAsync(ct => Api.UserAsync(Id, ct)) ?? user;

    private async Task BanAsync()
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Ban"], string.Format(T["Ban {0} from the platform? Their sessions end and their live stream stops."], user!.DisplayName), destructive: true);
        if (answer is not null && await CallAsync(ct => Api.BanAsync(Id, answer.Reason, ct), T["Banned."]))
        {
            await ReloadAsync();
        }
    }

    private async Task UnbanAsync()
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Unban"], string.Format(T["Lift the ban of {0}?"], user!.DisplayName));
        if (answer is not null && await CallAsync(ct => Api.UnbanAsync(Id, answer.Reason, ct), T["Ban lifted."]))
        {
            await ReloadAsync();
        }
    }

    private async Task RevokeSessionsAsync()
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Revoke all sessions"], T["Every device of this user must sign in again."], destructive: true);
        if (answer is not null && await CallAsync(ct => Api.RevokeSessionsAsync(Id, answer.Reason, ct), T["Sessions revoked."]))
        {
            await ReloadAsync();
        }
    }
}

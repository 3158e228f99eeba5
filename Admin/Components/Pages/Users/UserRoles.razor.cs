using Microsoft.AspNetCore.Components;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;
using Nio.Admin.Components.Dialogs;
using Nio.Admin.Components.Shared;

namespace Nio.Admin.Components.Pages.Users;

/// <summary>Grants or revokes the staff roles; a change ends the user's sessions, so it asks for a reason first.</summary>
public partial class UserRoles : OperatorPage
{
    private bool admin;
    private bool moderator;

    [Parameter, EditorRequired]
    public UserDetail User { get; set; } = default!;

    [Parameter]
    public EventCallback Changed { get; set; }

    private bool Edited => admin != User.Roles.Contains(OperatorRoles.Admin) || moderator != User.Roles.Contains(OperatorRoles.Moderator);

    protected override void OnParametersSet()
    {
        admin = User.Roles.Contains(OperatorRoles.Admin);
        moderator = User.Roles.Contains(OperatorRoles.Moderator);
    }

    private async Task SaveAsync()
    {
        var answer = await ReasonDialog.AskAsync(Dialogs, T["Save roles"], T["Changing roles ends the user's sessions."]);
        var roles = new[] { admin ? OperatorRoles.Admin : null, moderator ? OperatorRoles.Moderator : null }.OfType<string>();
        if (answer is not null && await CallAsync(ct => Api.SetRolesAsync(User.Id, roles, answer.Reason, ct), T["Roles saved."]))
        {
            await Changed.InvokeAsync();
        }
    }
}

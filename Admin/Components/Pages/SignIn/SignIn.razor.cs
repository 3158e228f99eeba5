using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using Nio.Admin.Auth;
using Nio.Admin.Localization;

namespace Nio.Admin.Components.Pages.SignIn;

/// <summary>
/// A plain HTML form (no live connection): the Api's answer is checked for an operator's role and the session kept
/// on the server, and the browser receives only the panel's cookie.
/// </summary>
public partial class SignIn
{
    public sealed class SignInInput
    {
        [Required, MaxLength(254)]
        public string Email { get; set; } = "";

        [Required, MaxLength(1024)]
        public string Password { get; set; } = "";
    }

    private string? error;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "signin")]
    private SignInInput? Input { get; set; }

    /// <summary>From the query string, which the form posts back to as well.</summary>
    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [Inject]
    private AuthClient Auth { get; set; } = default!;

    [Inject]
    private ApiSessions Sessions { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override void OnInitialized() => Input ??= new SignInInput();

    private async Task SignInAsync()
    {
        var input = Input!;
        AuthClient.LoginResult result;
        try
        {
            result = await Auth.LoginAsync(input.Email.Trim(), input.Password, HttpContext.Connection.RemoteIpAddress, HttpContext.RequestAborted);
        }
        catch (HttpRequestException)
        {
            error = T["The Api does not answer; try again shortly."];
            return;
        }

        switch (result)
        {
            case AuthClient.LoginResult.Refused { Status: HttpStatusCode.TooManyRequests }:
                error = T["Too many attempts; wait a minute and try again."];
                return;
            case AuthClient.LoginResult.Refused { Status: HttpStatusCode.Forbidden }:
                error = T["This account is banned."];
                return;
            case AuthClient.LoginResult.Refused:
                error = T["Email or password is incorrect."];
                return;
            case AuthClient.LoginResult.Success { Session: var session } when !OperatorRoles.MayEnter(session.Operator.Roles):
                // A valid account without an operator's role: its fresh Api session is not kept anywhere.
                await Auth.LogoutAsync(session, HttpContext.RequestAborted);
                error = T["This account may not use the panel: it is neither an administrator nor a moderator."];
                return;
            case AuthClient.LoginResult.Success { Session: var session }:
                var id = Sessions.Add(session);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, OperatorSignIn.Principal(id, session.Operator));
                Navigation.NavigateTo(Languages.IsLocal(ReturnUrl) && !ReturnUrl!.StartsWith(OperatorSignIn.SignInPath, StringComparison.Ordinal) ? ReturnUrl : "/");
                return;
        }
    }
}

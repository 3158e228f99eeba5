using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Nio.Admin.Auth;

namespace Nio.Admin.Tests.Components;

/// <summary>
/// A bUnit context with what the panel's components use: MudBlazor, the panel's texts and its real role policies,
/// signed in with the roles a test gives.
/// </summary>
public abstract class PanelComponentTest : BunitContext, IAsyncLifetime
{
    protected PanelComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddOperatorPolicies();
        // The real authorization in place of bUnit's stand-in, so the panel's own policies decide.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        Services.AddCascadingAuthenticationState();
        Services.AddSingleton<AuthenticationStateProvider>(new SignedIn(this));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services dispose only asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The roles of the signed-in operator; none means signed out.</summary>
    protected string[] Roles { get; set; } = [];

    private sealed class SignedIn(PanelComponentTest test) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            var identity = test.Roles.Length == 0
                ? new ClaimsIdentity()
                : new ClaimsIdentity(test.Roles.Select(r => new Claim(ClaimTypes.Role, r)).Append(new Claim(ClaimTypes.Name, "Operator")), "test");
            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity)));
        }
    }
}

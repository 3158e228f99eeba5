using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;
using Nio.Admin.Components;
using Nio.Admin.Components.Pages.Audit;
using Nio.Admin.Components.Pages.Dashboard;
using Nio.Admin.Localization;
using Nio.Shared.Hosting;

namespace Nio.Admin.Hosting;

/// <summary>Builds the panel: Blazor with server-side interactivity, the operators' sessions and the Api client.</summary>
public static class AdminHost
{
    public const int DefaultPort = 5001;

    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_HOST"] = "Http:Host",
        ["NIO_ADMIN_PORT"] = "Http:Port",
        ["NIO_ADMIN_API_URL"] = "Api:Url",
        ["NIO_ADMIN_PUBLIC_API_URL"] = "Api:PublicUrl",
        ["NIO_ADMIN_MAX_SESSIONS"] = "Sessions:MaxSessions",
    };

    /// <param name="configure">Lets tests add settings before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHosting.CreateServiceBuilder(args, configure, Aliases);
        // The build output serves the components' CSS and scripts from their packages (a published copy has them
        // in wwwroot, where this finds no manifest and does nothing).
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection("Api")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<OperatorSessionOptions>().Bind(builder.Configuration.GetSection("Sessions")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient<AuthClient>(ConfigureApiClient);
        builder.Services.AddHttpClient<NioApi>(ConfigureApiClient);
        builder.Services.AddSingleton<ApiSessions>();
        builder.Services.AddSingleton<ApiLinks>();
        builder.Services.AddHostedService<SessionRefresher>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentOperator>();
        builder.Services.AddTransient<AdminFeed>();
        builder.Services.AddOperatorSignIn(builder.Configuration);
        builder.Services.AddLocalization();
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddHealthChecks();

        var host = IPAddress.Parse(builder.BindHost());
        builder.WebHost.UseUrls($"http://{host}:{builder.Configuration.GetValue("Http:Port", DefaultPort)}");

        var app = builder.Build();
        app.UseRequestLocalization(new RequestLocalizationOptions()
            .AddSupportedCultures(Languages.Codes).AddSupportedUICultures(Languages.Codes).SetDefaultCulture(Languages.Codes[0]));
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapNioHealth();
        app.MapOperatorSignOut();
        app.MapLanguageSwitch();
        app.MapAuditExport();
        app.MapJobsLink();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static void ConfigureApiClient(IServiceProvider services, HttpClient client)
    {
        var api = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        client.BaseAddress = new Uri(api.Url.TrimEnd('/') + "/");
        client.Timeout = TimeSpan.FromSeconds(api.TimeoutSeconds);
    }
}

using Microsoft.Extensions.Options;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;
using Nio.Admin.Hosting;

namespace Nio.Admin.Components.Pages.Dashboard;

/// <summary>
/// <c>GET /jobs</c>: opens the Api's Hangfire dashboard signed in as the operator. The Api takes the access token
/// once from the query, keeps it in its own cookie scoped to the dashboard and redirects to a clean URL.
/// </summary>
public static class JobsLink
{
    public const string DefaultPath = "/hangfire";

    public static void MapJobsLink(this IEndpointRouteBuilder app) =>
        app.MapGet("/jobs", async (string? path, NioApi api, IOptions<ApiOptions> options, HttpContext http) =>
        {
            // Only a path on the Api, never another host.
            var dashboard = path is { Length: > 1 } && path[0] == '/' && path[1] != '/' && path[1] != '\\' ? path : DefaultPath;
            try
            {
                var token = await api.AccessTokenAsync(http.RequestAborted);
                return Results.Redirect($"{options.Value.BrowserUrl}{dashboard}?access_token={Uri.EscapeDataString(token)}");
            }
            catch (SessionEndedException)
            {
                return Results.LocalRedirect(OperatorSignIn.SignInPath);
            }
        }).RequireAuthorization(OperatorRoles.AdminPolicy);
}

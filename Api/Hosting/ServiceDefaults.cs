using Microsoft.OpenApi;
using Nio.Shared.Hosting;
using Nio.Shared.Security;
using Nio.Shared.Storage;

namespace Nio.Api.Hosting;

/// <summary>Listening address, error format, health, and the OpenAPI document with its browsable page.</summary>
public static class ServiceDefaults
{
    /// <summary>The listener of the Ingest's and the Transcoder's routes (<c>NIO_API_INTERNAL_PORT</c>).</summary>
    public const int DefaultInternalPort = 5010;

    /// <summary>Reads the documented variables and returns the instance's data folder.</summary>
    public static DataFolder AddNioDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentAliases(ApiEnvironment.Aliases);
        builder.Configuration.AddEnvironmentAliases(StorageEnvironment.Aliases);
        builder.WebHost.UseUrls(
            $"http://{builder.BindHost()}:{builder.Configuration.GetValue("Http:Port", 5000)}",
            $"http://{builder.BindHost()}:{builder.Configuration.InternalPort(DefaultInternalPort)}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.AddNioTrustedProxies();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Http.BadRequestExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "NIO API", Version = "v1", Description = "Accounts, streams and the Ingest side door." };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "The accessToken from /api/auth/login or /api/auth/register.",
            };
            return Task.CompletedTask;
        }));
        return builder.DataFolder();
    }

    public static void UseNioDefaults(this WebApplication app)
    {
        // First: everything after it, per-address limits included, sees the client rather than the proxy.
        app.UseNioTrustedProxies();
        app.UseExceptionHandler();
        // Framework-made errors with no body (malformed JSON, 401, 404, 405) get an RFC 7807 body too.
        app.UseStatusCodePages();
        app.UseInternalRoutes(app.Configuration.InternalPort(DefaultInternalPort));
        app.MapNioHealth();
        app.MapOpenApi();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi/v1.json", "NIO API v1");
            ui.DocumentTitle = "NIO API";
        });
    }
}

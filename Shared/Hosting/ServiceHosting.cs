using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Nio.Shared.Hosting;

/// <summary>What every NIO service does the same way: its private data folder and its health endpoint.</summary>
public static class ServiceHosting
{
    /// <summary>
    /// A service's builder with its documented environment variables mapped (<paramref name="aliases"/>), then
    /// <paramref name="configure"/> (tests use it to add settings and replace handlers).
    /// </summary>
    public static WebApplicationBuilder CreateServiceBuilder(string[] args, Action<WebApplicationBuilder>? configure, params IReadOnlyDictionary<string, string>[] aliases)
    {
        var builder = WebApplication.CreateBuilder(args);
        foreach (var map in aliases)
        {
            builder.Configuration.AddEnvironmentAliases(map);
        }

        // Every poll of the Ingest and push to the Origin would log four lines; keep failures only.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);
        return builder;
    }

    /// <summary>The instance's data folder: <c>DataDir</c> (<c>NIO_DATA_DIR</c>), default <c>.nio</c>.</summary>
    public static DataFolder DataFolder(this WebApplicationBuilder builder) => new(builder.Configuration["DataDir"] ?? ".nio");

    /// <summary>The address the service binds: <c>Http:Host</c> (<c>NIO_HOST</c>), default loopback only.</summary>
    public static string BindHost(this WebApplicationBuilder builder) => builder.Configuration["Http:Host"] ?? "127.0.0.1";

    /// <summary>
    /// The port of the service's internal listener (<c>Http:InternalPort</c>), the only one that serves the routes
    /// other NIO services call: deployments publish the public port and keep this one on their private network.
    /// </summary>
    public static int InternalPort(this IConfiguration configuration, int defaultPort) => configuration.GetValue("Http:InternalPort", defaultPort);

    /// <summary><c>/healthz</c>: 200 when every registered check passes, else 503, with each check's state as JSON.</summary>
    public static IEndpointConventionBuilder MapNioHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }, cancellationToken: context.RequestAborted);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Nio.Shared.Hosting;

namespace Nio.Shared.Security;

/// <summary>The secret one internal caller presents (named options: one per caller, from its section's <c>Secret</c>).</summary>
public sealed class InternalCallerOptions
{
    public string Secret { get; set; } = "";
}

/// <summary>Endpoint metadata: only <paramref name="Caller"/> may call the route, with a body of at most <paramref name="MaxBodyBytes"/>.</summary>
public sealed record InternalCaller(string Caller, long MaxBodyBytes);

/// <summary>
/// Routes that only another NIO service calls. Each group names its one caller; <see cref="UseInternalRoutes"/> then
/// serves it only on the internal listener, to requests that carry that caller's secret, before anything of the body
/// is read, and reads no more of a body than the group allows.
/// </summary>
public static class InternalRoutes
{
    /// <summary>
    /// The secret <paramref name="caller"/> must present: setting <c>{caller}:Secret</c>, else the data folder's
    /// <paramref name="secretName"/> (see <see cref="InternalSecrets"/>).
    /// </summary>
    public static IServiceCollection AddInternalCaller(
        this IServiceCollection services, IConfiguration configuration, DataFolder dataFolder, string caller, string secretName)
    {
        services.AddOptions<InternalCallerOptions>(caller)
            .Bind(configuration.GetSection(caller))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(secretName, o.Secret));
        return services;
    }

    public static TBuilder RequireInternalCaller<TBuilder>(this TBuilder builder, string caller, long maxBodyBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new InternalCaller(caller, maxBodyBytes));

    /// <summary>Guards the routes marked with <see cref="RequireInternalCaller"/>; runs after routing, before the endpoint binds its parameters.</summary>
    public static IApplicationBuilder UseInternalRoutes(this IApplicationBuilder app, int internalPort)
    {
        var secrets = app.ApplicationServices.GetRequiredService<IOptionsMonitor<InternalCallerOptions>>();
        return app.Use(next => context => context.GetEndpoint()?.Metadata.GetMetadata<InternalCaller>() is { } caller
            ? AdmitAsync(context, next, caller, internalPort, secrets.Get(caller.Caller).Secret)
            : next(context));
    }

    private static Task AdmitAsync(HttpContext context, RequestDelegate next, InternalCaller caller, int internalPort, string secret)
    {
        // To a client of the public listener the route does not exist.
        if (context.Connection.LocalPort != internalPort)
        {
            return RefuseAsync(context, TypedResults.NotFound());
        }

        if (!BearerSecret.Matches(context.Request, secret))
        {
            return RefuseAsync(context, TypedResults.Problem(
                $"This route takes the {caller.Caller}'s secret only.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        if (context.Request.ContentLength > caller.MaxBodyBytes)
        {
            return RefuseAsync(context, TooLarge(caller));
        }

        // A chunked body declares no length: Kestrel counts the bytes it reads and fails the read past the cap.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = caller.MaxBodyBytes;
        }

        return next(context);
    }

    private static IResult TooLarge(InternalCaller caller) => TypedResults.Problem(
        $"This route takes bodies of at most {caller.MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

    /// <summary>Answers without reading the body, and closes the connection rather than read it afterwards to reuse it.</summary>
    private static Task RefuseAsync(HttpContext context, IResult result)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = 0;
        }

        context.Response.Headers.Connection = "close";
        return result.ExecuteAsync(context);
    }
}

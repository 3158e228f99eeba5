using Nio.Api.Users;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Auth;

namespace Nio.Api.Streams;

/// <summary>
/// A live stream's health for the streamer's studio page: <c>GET /api/streams/{id}/health</c> (the owner, an admin or
/// a moderator of the streamer's room). The Ingest reports it with its live heartbeat; the latest report is kept.
/// </summary>
public static class StreamHealthApi
{
    public static void AddNioStreamHealth(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<StreamHealthOptions>(builder.Configuration.GetSection("Transcoder"));
        builder.Services.AddSingleton<StreamHealthRepository>();
    }

    public static RouteGroupBuilder MapStreamHealthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/streams").WithTags("Streams");
        group.MapGet("/{id:guid}/health", GetAsync).RequireAuthorization();
        return group;
    }

    public static async Task<Results<Ok<StreamHealthView>, NotFound, ForbidHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, StreamHealthRepository health, UserRepository users, IOptions<StreamHealthOptions> options,
        CancellationToken cancellationToken)
    {
        var row = await health.GetAsync(id, user.Id(), cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        if (row.OwnerId != user.Id() && !row.AskerModerates && !await users.IsAdminAsync(user.Id(), cancellationToken))
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(StreamHealth.From(id, row, options.Value));
    }

    /// <summary>
    /// On the Ingest's live heartbeat: once the Api has accepted it (204), keeps the health report it carried, if any.
    /// A heartbeat the Api refused stores nothing.
    /// </summary>
    internal static async ValueTask<object?> KeepReportedHealth(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is INestedHttpResult { Result: NoContent }
            && context.Arguments.OfType<Guid>().FirstOrDefault() is var streamId
            && context.Arguments.OfType<StreamKeyRequest>().FirstOrDefault()?.Health is { } report)
        {
            var http = context.HttpContext;
            await http.RequestServices.GetRequiredService<StreamHealthRepository>().SaveAsync(streamId, report, http.RequestAborted);
        }

        return result;
    }
}

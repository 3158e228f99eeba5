using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Chat;
using Nio.Shared.Security;

namespace Nio.Api.Streams;

/// <summary>The shared secret the Ingest presents (section <c>Ingest</c>; <c>NIO_INGEST_SECRET</c>).</summary>
public sealed class IngestOptions
{
    public string Secret { get; set; } = "";
}

/// <param name="Health">On the live heartbeat: what the Ingest measured of the media (see <see cref="StreamHealthApi"/>).</param>
public sealed record StreamKeyRequest(string? StreamKey, Nio.Shared.Media.StreamHealthReport? Health = null);

/// <summary>
/// The Ingest's side door under <c>/api/ingest</c>, authenticated by <c>Authorization: Bearer NIO_INGEST_SECRET</c>:
/// "whose stream does this key open?", "a publisher is live on it" (repeated as a heartbeat) and "it went offline".
/// </summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ingest").WithTags("Ingest (internal)").AddEndpointFilter(RequireIngestSecret);
        group.MapPost("/authorize", AuthorizeAsync);
        group.MapPost("/streams/{id:guid}/live", ReportLiveAsync).AddEndpointFilter(StreamHealthApi.KeepReportedHealth);
        group.MapPost("/streams/{id:guid}/offline", ReportOfflineAsync);
        return group;
    }

    public static async Task<Results<Ok<KeyOwner>, ProblemHttpResult>> AuthorizeAsync(
        StreamKeyRequest request, StreamRepository streams, CancellationToken cancellationToken)
    {
        var owner = StreamKeys.LooksLikeKey(request.StreamKey)
            ? await streams.FindByKeyAsync(StreamKeys.Hash(request.StreamKey!), cancellationToken)
            : null;
        return owner is null ? UnknownKey() : TypedResults.Ok(owner);
    }

    /// <summary>204 while the publisher may go on; 409 tells the Ingest to drop it (stream ended or key rotated).</summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ReportLiveAsync(
        Guid id, StreamKeyRequest request, StreamRepository streams, RoomEvents room, CancellationToken cancellationToken)
    {
        if (!StreamKeys.LooksLikeKey(request.StreamKey))
        {
            return UnknownKey();
        }

        var report = await streams.ReportLiveAsync(id, StreamKeys.Hash(request.StreamKey!), cancellationToken);
        if (report == LiveReport.Started)
        {
            await room.StreamStartedAsync(id, cancellationToken);
        }

        return report switch
        {
            LiveReport.Accepted or LiveReport.Started => TypedResults.NoContent(),
            LiveReport.UnknownStream => TypedResults.NotFound(),
            LiveReport.Ended => TypedResults.Problem("The stream has ended.", statusCode: StatusCodes.Status409Conflict, title: "Stream ended"),
            _ => TypedResults.Problem("The key was rotated; the publisher must reconnect with the new key.",
                statusCode: StatusCodes.Status409Conflict, title: "Stream key no longer valid"),
        };
    }

    public static async Task<Results<NoContent, NotFound>> ReportOfflineAsync(
        Guid id, StreamRepository streams, RoomEvents room, CancellationToken cancellationToken)
    {
        var (known, wentOffline) = await streams.ReportOfflineAsync(id, cancellationToken);
        if (wentOffline)
        {
            await room.StreamEndedAsync(id, forGood: false, cancellationToken);
        }

        return known ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static ProblemHttpResult UnknownKey() =>
        TypedResults.Problem("Unknown or revoked stream key.", statusCode: StatusCodes.Status403Forbidden, title: "Stream key refused");

    /// <summary>Lets through only requests that carry the internal secret the media services share.</summary>
    internal static async ValueTask<object?> RequireIngestSecret(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!BearerSecret.Matches(http.Request, http.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value.Secret))
        {
            return TypedResults.Problem("The Ingest secret is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        return await next(context);
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Chat;
using Nio.Shared.Security;

namespace Nio.Api.Streams;

/// <param name="Health">On the live heartbeat: what the Ingest measured of the media (see <see cref="StreamHealthApi"/>).</param>
public sealed record StreamKeyRequest(string? StreamKey, Nio.Shared.Media.StreamHealthReport? Health = null);

/// <summary>
/// The Ingest's side door under <c>/api/ingest</c>, on the internal listener, authenticated by
/// <c>Authorization: Bearer NIO_INGEST_TO_API_SECRET</c>: "whose stream does this key open?", "a publisher is live on
/// it" (repeated as a heartbeat) and "it went offline".
/// </summary>
public static class IngestApi
{
    /// <summary>The caller these routes admit (its secret: setting <c>Ingest:Secret</c>).</summary>
    public const string Caller = "Ingest";

    /// <summary>The largest body these routes read: a key check or a heartbeat with its health report is under 1 KiB.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ingest").WithTags("Ingest (internal)").RequireInternalCaller(Caller, MaxBodyBytes);
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
}

using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Shared.Media;

namespace Nio.Api.Streams;

/// <summary>
/// The Transcoder's side door under <c>/api/transcoder</c>, authenticated like the Ingest's
/// (<c>Authorization: Bearer NIO_INGEST_SECRET</c>).
/// </summary>
public static class TranscoderApi
{
    /// <summary>Where the Transcoder stores a stream's thumbnail, relative to the playback base (<c>NIO_PLAYBACK_URL</c>).</summary>
    public static string ThumbnailPath(Guid streamId) => $"{streamId}/{StreamFiles.Thumbnail}";

    public static RouteGroupBuilder MapTranscoderApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/transcoder").WithTags("Transcoder (internal)").AddEndpointFilter(IngestApi.RequireIngestSecret);
        group.MapPost("/streams/{id:guid}/thumbnail", ReportThumbnailAsync);
        return group;
    }

    /// <summary>
    /// "This stream has a fresh thumbnail": from now on its views carry the thumbnail's URL while it is live. Taken
    /// (204) whatever the stream's state, since the last thumbnail of a stream may arrive just after it went offline.
    /// </summary>
    public static async Task<Results<NoContent, NotFound>> ReportThumbnailAsync(Guid id, StreamRepository streams, CancellationToken cancellationToken) =>
        await streams.RecordThumbnailAsync(id, ThumbnailPath(id), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}

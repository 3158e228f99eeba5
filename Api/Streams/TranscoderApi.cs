using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Shared.Media;
using Nio.Shared.Security;

namespace Nio.Api.Streams;

/// <summary>
/// The Transcoder's side door under <c>/api/transcoder</c>, on the internal listener, authenticated by
/// <c>Authorization: Bearer NIO_TRANSCODER_TO_API_SECRET</c>.
/// </summary>
public static class TranscoderApi
{
    /// <summary>The caller these routes admit (its secret: setting <c>Transcoder:Secret</c>).</summary>
    public const string Caller = "Transcoder";

    /// <summary>The largest body these routes read: a retention report of 500 paths is under 100 KiB.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>Where the Transcoder stores a stream's thumbnail, relative to the playback base (<c>NIO_PLAYBACK_URL</c>).</summary>
    public static string ThumbnailPath(Guid streamId) => $"{streamId}/{StreamFiles.Thumbnail}";

    public static RouteGroupBuilder MapTranscoderApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/transcoder").WithTags("Transcoder (internal)").RequireInternalCaller(Caller, MaxBodyBytes);
        group.MapPost("/streams/{id:guid}/thumbnail", ReportThumbnailAsync);
        group.MapPost("/streams/{id:guid}/source-reencoded", ReportSourceReencodedAsync);
        return group;
    }

    /// <summary>
    /// "This stream has a fresh thumbnail": from now on its views carry the thumbnail's URL while it is live. Taken
    /// (204) whatever the stream's state, since the last thumbnail of a stream may arrive just after it went offline.
    /// </summary>
    public static async Task<Results<NoContent, NotFound>> ReportThumbnailAsync(Guid id, StreamRepository streams, CancellationToken cancellationToken) =>
        await streams.RecordThumbnailAsync(id, ThumbnailPath(id), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>
    /// "This stream's source video is re-encoded, its keyframes being too far apart": its health says so until the
    /// next broadcast. <c>400</c> for a negative or absurd duration.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ReportSourceReencodedAsync(
        Guid id, SourceReencodedReport report, StreamRepository streams, CancellationToken cancellationToken)
    {
        if (report.SecondsWithoutKeyframe is < 0 or > MaxSecondsWithoutKeyframe)
        {
            return TypedResults.Problem(
                $"secondsWithoutKeyframe must be between 0 and {MaxSecondsWithoutKeyframe}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid report");
        }

        return await streams.RecordSourceReencodedAsync(id, report.SecondsWithoutKeyframe, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    /// <summary>A day: the Transcoder decides within seconds, anything longer is a broken report.</summary>
    private const double MaxSecondsWithoutKeyframe = 86_400;
}

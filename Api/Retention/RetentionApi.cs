using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.Shared.Security;
using Nio.Shared.Storage;

namespace Nio.Api.Retention;

/// <summary>Media retention settings (section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// How long a file that left every playlist stays in the store (<c>NIO_RETENTION_GRACE_SECONDS</c>). A player that
    /// loaded a playlist just before may still fetch what it named: LL-HLS players reload within a target duration
    /// (1 s) and sit a few seconds behind live, so a minute leaves a wide margin for slow players and CDNs.
    /// </summary>
    public int GraceSeconds { get; set; } = 60;
}

public sealed record StreamRetention(bool Record);

public sealed record ExpiredMediaReport(string[]? Paths, bool UnlessLive);

/// <summary>
/// The Transcoder's side door for media retention under <c>/api/transcoder</c> (see <see cref="TranscoderApi"/>): is a
/// stream recorded, which of its files left every playlist, and its recording was written.
/// </summary>
public static class RetentionApi
{
    public const int MaxPathsPerReport = 500;

    public static RouteGroupBuilder MapRetentionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/transcoder/streams/{id:guid}").WithTags("Transcoder (internal)")
            .RequireInternalCaller(TranscoderApi.Caller, TranscoderApi.MaxBodyBytes);
        group.MapGet("/", GetRetentionAsync);
        group.MapPost("/expired-media", ReportExpiredAsync);
        group.MapPost("/recording", ReportRecordingAsync);
        return group;
    }

    public static async Task<Results<Ok<StreamRetention>, NotFound>> GetRetentionAsync(Guid id, StreamRepository streams, CancellationToken cancellationToken) =>
        await streams.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(new StreamRetention(row.Record)) : TypedResults.NotFound();

    /// <summary>
    /// Schedules the files for deletion after the grace time. Only files of this stream (<c>live/{id}/…</c>) are
    /// taken; a file reported twice is scheduled once.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> ReportExpiredAsync(
        Guid id, ExpiredMediaReport report, ExpiredMedia expired, IOptions<RetentionOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var paths = report.Paths ?? [];
        if (paths.Length is 0 or > MaxPathsPerReport)
        {
            errors.Add("paths", $"paths must hold 1 to {MaxPathsPerReport} media paths.");
        }
        else if (!paths.All(path => IsMediaOf(id, path)))
        {
            errors.Add("paths", $"Every path must be a media path under live/{id}/.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        await expired.AddAsync(id, paths.Distinct(StringComparer.Ordinal).ToList(), report.UnlessLive, TimeSpan.FromSeconds(options.Value.GraceSeconds), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The stream's recording now includes its latest broadcast: its views carry <c>recordingUrl</c> (recorded streams only).</summary>
    public static async Task<Results<NoContent, NotFound>> ReportRecordingAsync(Guid id, StreamRepository streams, CancellationToken cancellationToken) =>
        await streams.MarkRecordedAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static bool IsMediaOf(Guid id, string? path)
    {
        try
        {
            return path is not null && MediaPath.Validate(path).StartsWith($"live/{id}/", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

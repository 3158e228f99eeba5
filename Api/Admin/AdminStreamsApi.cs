using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Streams;

namespace Nio.Api.Admin;

/// <summary>A stream as operators list it: with how long it has run.</summary>
public sealed record AdminStream(
    Guid Id, string Title, string Status, StreamerView Streamer, int ViewerCount, string? ThumbnailUrl, string PlaybackUrl,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, long? DurationSeconds)
{
    public static AdminStream From(StreamRow row, MediaUrls urls, DateTime now)
    {
        var view = StreamView.From(row, urls);
        var end = row.Status == StreamStatus.Live ? now : row.EndedAt;
        long? duration = row.StartedAt is { } started && end is { } until ? (long)Math.Max(0, (until - started).TotalSeconds) : null;
        return new(view.Id, view.Title, view.Status, view.Streamer, view.ViewerCount, view.ThumbnailUrl, view.PlaybackUrl,
            view.CreatedAt, view.StartedAt, view.EndedAt, duration);
    }
}

/// <summary>Streams for operators under <c>/api/admin/streams</c> (admins and moderators).</summary>
public static class AdminStreamsApi
{
    public static void MapAdminStreamsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/streams").WithTags("Admin").RequireAuthorization(AuthSetup.StaffPolicy);
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:guid}/end", EndAsync);
        group.MapGet("/{id:guid}/health", HealthAsync);
    }

    public static async Task<Results<Ok<Page<AdminStream>>, ValidationProblem>> ListAsync(
        string? status, string? q, [AsParameters] PageQuery page, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (status is not (null or StreamStatus.Live or StreamStatus.Offline or StreamStatus.Ended))
        {
            errors.Add("status", "status must be live, offline or ended.");
        }

        if (q?.Length > Search.SearchText.MaxQueryLength)
        {
            errors.Add("q", $"q must be at most {Search.SearchText.MaxQueryLength} characters.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var pattern = string.IsNullOrWhiteSpace(q) ? null : Search.SearchText.ContainsPattern(q.Trim());
        var rows = await streams.AdminListAsync(status, pattern, ownerId: null, page, cancellationToken);
        var now = DateTime.UtcNow;
        return TypedResults.Ok(new Page<AdminStream>(rows.Items.Select(r => AdminStream.From(r, urls, now)).ToList(), rows.PageNumber, rows.PageSize, rows.TotalCount));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> EndAsync(
        Guid id, OptionalBody<ReasonRequest> body, ClaimsPrincipal caller, StreamEnding ending, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = AdminUsersApi.Reason(errors, body.Value?.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var ended = await ending.EndAsync(id, caller.Id(), reason, cancellationToken);
        if (ended is null)
        {
            return TypedResults.NotFound();
        }

        return ended.Value.Before.Status == StreamStatus.Ended
            ? TypedResults.Problem("The stream has ended already.", statusCode: StatusCodes.Status409Conflict, title: "Stream ended")
            : TypedResults.NoContent();
    }

    /// <summary>The same view as the studio's <c>GET /api/streams/{id}/health</c>, for any stream.</summary>
    public static async Task<Results<Ok<StreamHealthView>, NotFound>> HealthAsync(
        Guid id, ClaimsPrincipal caller, StreamHealthRepository health, IOptions<StreamHealthOptions> options, CancellationToken cancellationToken)
    {
        var row = await health.GetAsync(id, caller.Id(), cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(StreamHealth.From(id, row, options.Value));
    }
}

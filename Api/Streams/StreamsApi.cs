using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Http;

namespace Nio.Api.Streams;

public sealed record CreateStreamRequest(string? Title, bool? Record);

/// <summary>Fields left out (null) stay as they are.</summary>
public sealed record UpdateStreamRequest(string? Title, bool? Record);

/// <summary>The stream's key, for its owner only.</summary>
public sealed record StreamKeyView(string StreamKey);

public sealed record StreamerView(Guid Id, string DisplayName, string? AvatarUrl);

/// <summary>A stream as anyone may see it: never its key.</summary>
public sealed record StreamView(
    Guid Id, string Title, string Status, StreamerView Streamer, int ViewerCount, bool Record,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, string? ThumbnailUrl, string PlaybackUrl, string? RecordingUrl)
{
    /// <summary><see cref="RecordingUrl"/> is set once a broadcast of a recorded stream has been added to its recording.</summary>
    public static StreamView From(StreamRow row, MediaUrls urls) => new(
        row.Id, row.Title, row.Status, new StreamerView(row.OwnerId, row.OwnerDisplayName, row.OwnerAvatarUrl), row.ViewerCount,
        row.Record, row.CreatedAt, row.StartedAt, row.EndedAt,
        row is { Status: StreamStatus.Live, ThumbnailUrl: { } thumbnail } ? urls.Media(thumbnail) : null, urls.Playback(row.Id),
        row.RecordedAt is null ? null : urls.Recording(row.Id));
}

/// <summary>The caller's own stream: everything in <see cref="StreamView"/> and where to publish (the key is asked for apart).</summary>
public sealed record OwnStreamView(
    Guid Id, string Title, string Status, StreamerView Streamer, int ViewerCount, bool Record,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, string? ThumbnailUrl, string PlaybackUrl, string? RecordingUrl,
    string RtmpUrl, string WhipUrl)
{
    public static OwnStreamView From(StreamRow row, MediaUrls urls)
    {
        var view = StreamView.From(row, urls);
        return new(view.Id, view.Title, view.Status, view.Streamer, view.ViewerCount, view.Record, view.CreatedAt, view.StartedAt,
            view.EndedAt, view.ThumbnailUrl, view.PlaybackUrl, view.RecordingUrl, urls.RtmpUrl, urls.WhipUrl);
    }
}

/// <summary>What the streamer gets when a key is made (later only its owner can read it again, at <c>GET /api/streams/{id}/key</c>).</summary>
public sealed record StreamCredentials(
    Guid Id, string Title, string Status, bool Record, DateTime CreatedAt, string StreamKey, string RtmpUrl, string WhipUrl, string PlaybackUrl)
{
    public static StreamCredentials From(StreamRow row, string key, MediaUrls urls) =>
        new(row.Id, row.Title, row.Status, row.Record, row.CreatedAt, key, urls.RtmpUrl, urls.WhipUrl, urls.Playback(row.Id));
}

/// <summary>Stream lifecycle under <c>/api/streams</c>.</summary>
public static class StreamsApi
{
    public const int MaxTitleLength = 140;

    public static RouteGroupBuilder MapStreamsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/streams").WithTags("Streams");
        group.MapGet("/", ListLiveAsync);
        group.MapPost("/", CreateAsync).RequireAuthorization();
        group.MapGet("/following", ListFollowingAsync).RequireAuthorization();
        group.MapGet("/mine", GetMineAsync).RequireAuthorization();
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync).RequireAuthorization();
        group.MapPost("/{id:guid}/end", EndAsync).RequireAuthorization();
        group.MapGet("/{id:guid}/key", GetKeyAsync).RequireAuthorization();
        group.MapPost("/{id:guid}/key/rotate", RotateKeyAsync).RequireAuthorization();
        app.MapGet("/api/users/{id:guid}/streams", ListChannelAsync).WithTags("Streams");
        return group;
    }

    public static async Task<Results<Ok<Page<StreamView>>, ValidationProblem>> ListLiveAsync(
        [AsParameters] PageQuery page, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var live = await streams.ListLiveAsync(page, cancellationToken);
        return TypedResults.Ok(new Page<StreamView>(live.Items.Select(s => StreamView.From(s, urls)).ToList(), live.PageNumber, live.PageSize, live.TotalCount));
    }

    /// <summary>
    /// Creates the caller's stream. A streamer has at most one stream that has not ended: a second create answers
    /// 409 with that stream's id (end it, or rotate its key if the key was lost).
    /// </summary>
    public static async Task<Results<Created<StreamCredentials>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateStreamRequest request, ClaimsPrincipal user, StreamRepository streams, StreamKeySeal seal, MediaUrls urls,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var title = errors.RequiredText("title", request.Title, MaxTitleLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var key = StreamKeys.NewKey();
        var id = Guid.CreateVersion7();
        try
        {
            var row = await streams.CreateAsync(id, user.Id(), title!, request.Record ?? false, StreamKeys.Hash(key), seal.Seal(id, key), cancellationToken);
            return TypedResults.Created($"/api/streams/{row.Id}", StreamCredentials.From(row, key, urls));
        }
        catch (OpenStreamExistsException exception)
        {
            return TypedResults.Problem(
                "You already have a stream that has not ended. End it first, or rotate its key if you lost it.",
                statusCode: StatusCodes.Status409Conflict, title: "Stream already open",
                extensions: new Dictionary<string, object?> { ["streamId"] = exception.StreamId });
        }
    }

    public static async Task<Results<Ok<StreamView>, NotFound>> GetAsync(
        Guid id, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var row = await streams.GetAsync(id, cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(StreamView.From(row, urls));
    }

    /// <summary>Ends the stream (its owner or an admin) and revokes its key. Ending twice answers the ended stream.</summary>
    public static async Task<Results<Ok<StreamView>, NotFound, ForbidHttpResult>> EndAsync(
        Guid id, ClaimsPrincipal user, StreamRepository streams, StreamEnding ending, MediaUrls urls,
        CancellationToken cancellationToken)
    {
        var row = await streams.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        if (row.OwnerId != user.Id() && !user.IsAdmin())
        {
            return TypedResults.Forbid();
        }

        var ended = await ending.EndAsync(id, user.Id(), reason: null, cancellationToken);
        return ended is null ? TypedResults.NotFound() : TypedResults.Ok(StreamView.From(ended.Value.After, urls));
    }

    /// <summary>Gives the stream a new key (owner only); the old one stops working at once.</summary>
    public static async Task<Results<Ok<StreamCredentials>, NotFound, ForbidHttpResult, ProblemHttpResult>> RotateKeyAsync(
        Guid id, ClaimsPrincipal user, StreamRepository streams, StreamKeySeal seal, MediaUrls urls,
        CancellationToken cancellationToken)
    {
        var row = await streams.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        if (row.OwnerId != user.Id())
        {
            return TypedResults.Forbid();
        }

        var key = StreamKeys.NewKey();
        if (!await streams.ReplaceKeyAsync(id, StreamKeys.Hash(key), seal.Seal(id, key), cancellationToken))
        {
            return StreamEnded();
        }

        return TypedResults.Ok(StreamCredentials.From(row, key, urls));
    }

    /// <summary>Live streams of the people the caller follows.</summary>
    public static async Task<Results<Ok<Page<StreamView>>, ValidationProblem>> ListFollowingAsync(
        [AsParameters] PageQuery page, ClaimsPrincipal user, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var live = await streams.ListLiveFollowedAsync(user.Id(), page, cancellationToken);
        return TypedResults.Ok(new Page<StreamView>(live.Items.Select(s => StreamView.From(s, urls)).ToList(), live.PageNumber, live.PageSize, live.TotalCount));
    }

    /// <summary>The caller's stream that has not ended, with where to publish; 404 when there is none.</summary>
    public static async Task<Results<Ok<OwnStreamView>, NotFound>> GetMineAsync(
        ClaimsPrincipal user, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var row = await streams.GetOpenStreamOfAsync(user.Id(), cancellationToken);
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(OwnStreamView.From(row, urls));
    }

    /// <summary>The stream's key, to its owner only (a streamer who reloaded the page); 409 once the stream ended.</summary>
    public static async Task<Results<Ok<StreamKeyView>, NotFound, ForbidHttpResult, ProblemHttpResult>> GetKeyAsync(
        Guid id, ClaimsPrincipal user, StreamRepository streams, StreamKeySeal seal, CancellationToken cancellationToken)
    {
        var (exists, ownerId, status, sealedKey) = await streams.GetSealedKeyAsync(id, cancellationToken);
        if (!exists)
        {
            return TypedResults.NotFound();
        }

        if (ownerId != user.Id())
        {
            return TypedResults.Forbid();
        }

        if (status == StreamStatus.Ended)
        {
            return StreamEnded();
        }

        var key = sealedKey is null ? null : seal.Open(id, sealedKey);
        return key is null
            // Made before keys were kept sealed, or sealed under another data folder's secret: only a new key helps.
            ? TypedResults.Problem("This stream's key cannot be shown again; rotate it to get a new one.",
                statusCode: StatusCodes.Status409Conflict, title: "Key not kept")
            : TypedResults.Ok(new StreamKeyView(key));
    }

    /// <summary>Changes the title and/or whether broadcasts are recorded (owner or admin); 409 once the stream ended.</summary>
    public static async Task<Results<Ok<StreamView>, ValidationProblem, NotFound, ForbidHttpResult, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateStreamRequest request, ClaimsPrincipal user, StreamRepository streams, AuditLog audit, RoomEvents room, MediaUrls urls,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var title = request.Title is null ? null : errors.RequiredText("title", request.Title, MaxTitleLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var row = await streams.GetAsync(id, cancellationToken);
        if (row is null)
        {
            return TypedResults.NotFound();
        }

        var isOwner = row.OwnerId == user.Id();
        if (!isOwner && !user.IsAdmin())
        {
            return TypedResults.Forbid();
        }

        var updated = await streams.UpdateAsync(id, title, request.Record, cancellationToken);
        if (updated is null)
        {
            return StreamEnded();
        }

        if (!isOwner)
        {
            await audit.RecordAsync(user.Id(), "stream.update", "stream", id.ToString(),
                new { row.OwnerId, before = new { row.Title, row.Record }, after = new { updated.Title, updated.Record } }, cancellationToken);
        }

        if (updated.Status == StreamStatus.Live && updated.Title != row.Title)
        {
            await room.TitleChangedAsync(id, updated.Title, cancellationToken);
        }

        return TypedResults.Ok(StreamView.From(updated, urls));
    }

    /// <summary>A channel: the user's open stream first (live or offline), then their recorded broadcasts, newest first.</summary>
    public static async Task<Results<Ok<Page<StreamView>>, ValidationProblem>> ListChannelAsync(
        Guid id, [AsParameters] PageQuery page, StreamRepository streams, MediaUrls urls, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var channel = await streams.ListChannelAsync(id, page, cancellationToken);
        return TypedResults.Ok(new Page<StreamView>(channel.Items.Select(s => StreamView.From(s, urls)).ToList(), channel.PageNumber, channel.PageSize, channel.TotalCount));
    }

    private static ProblemHttpResult StreamEnded() =>
        TypedResults.Problem("The stream has ended; create a new stream.", statusCode: StatusCodes.Status409Conflict, title: "Stream ended");
}

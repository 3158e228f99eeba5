using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Http;
using Nio.Api.Users;

namespace Nio.Api.Admin;

public sealed record TimeoutRequest(Guid? UserId, int? Seconds, string? Reason);

public sealed record RoomBanRequest(Guid? UserId, string? Reason);

public sealed record BlockedWordsRequest(string?[]? Words, string? Reason);

public sealed record BlockedWordsView(IReadOnlyList<string> Words);

/// <summary>
/// Chat moderation across every room under <c>/api/admin/chat</c> (admins and moderators), through the same
/// <see cref="ChatModeration"/> the rooms' own moderators use in the hub; the live feed is <see cref="ModerationHub"/>.
/// </summary>
public static class AdminChatApi
{
    public static void MapAdminChatApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/chat").WithTags("Admin").RequireAuthorization(AuthSetup.StaffPolicy);
        group.MapGet("/messages", ListAsync);
        group.MapDelete("/messages/{id:long}", DeleteAsync);
        group.MapPost("/rooms/{streamId:guid}/timeouts", TimeoutAsync);
        group.MapPost("/rooms/{streamId:guid}/bans", BanAsync);
        group.MapDelete("/rooms/{streamId:guid}/bans/{userId:guid}", LiftAsync);
        group.MapGet("/blocked-words", PlatformWordsAsync);
        group.MapPut("/blocked-words", SetPlatformWordsAsync);
        group.MapGet("/rooms/{streamId:guid}/blocked-words", RoomWordsAsync);
        group.MapPut("/rooms/{streamId:guid}/blocked-words", SetRoomWordsAsync);
    }

    public static async Task<Results<Ok<Page<AdminChatMessage>>, ValidationProblem>> ListAsync(
        Guid? streamId, Guid? userId, string? word, string? kind, bool? includeDeleted, [AsParameters] PageQuery page, ChatRepository chat,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (word?.Length > BlockedWords.MaxWordLength)
        {
            errors.Add("word", $"word must be at most {BlockedWords.MaxWordLength} characters.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var filter = new ChatFilter(streamId, userId, string.IsNullOrWhiteSpace(word) ? null : Search.SearchText.ContainsPattern(word.Trim()),
            kind == "all" ? null : kind ?? ChatKind.Message, includeDeleted ?? false);
        return TypedResults.Ok(await chat.AdminListAsync(filter, page, AuditLog.CountLimit, cancellationToken));
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> DeleteAsync(
        long id, string? reason, ClaimsPrincipal caller, ChatModeration moderation, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        reason = AdminUsersApi.Reason(errors, reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return await moderation.DeleteMessageAsync(streamId: null, id, caller.Id(), reason, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> TimeoutAsync(
        Guid streamId, TimeoutRequest request, ClaimsPrincipal caller, HttpContext http, ChatRepository chat, UserRepository users,
        ChatModeration moderation, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Seconds is not { } seconds || seconds < 1 || seconds > RoomHub.MaxTimeoutSeconds)
        {
            errors.Add("seconds", $"seconds must be between 1 and {RoomHub.MaxTimeoutSeconds}.");
            seconds = 0;
        }

        var reason = AdminUsersApi.Reason(errors, request.Reason);
        var target = await SanctionTargetAsync(streamId, request.UserId, caller, http, chat, users, moderation, errors, cancellationToken);
        if (target.Result is { } refused)
        {
            return refused;
        }

        await moderation.TimeoutAsync(target.Room!, target.User!, seconds, caller.Id(), reason, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> BanAsync(
        Guid streamId, RoomBanRequest request, ClaimsPrincipal caller, HttpContext http, ChatRepository chat, UserRepository users,
        ChatModeration moderation, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = AdminUsersApi.Reason(errors, request.Reason);
        var target = await SanctionTargetAsync(streamId, request.UserId, caller, http, chat, users, moderation, errors, cancellationToken);
        if (target.Result is { } refused)
        {
            return refused;
        }

        await moderation.BanAsync(target.Room!, target.User!, caller.Id(), reason, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> LiftAsync(
        Guid streamId, Guid userId, string? reason, ClaimsPrincipal caller, ChatRepository chat, UserRepository users, ChatModeration moderation,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        reason = AdminUsersApi.Reason(errors, reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var room = await chat.GetRoomAsync(streamId, cancellationToken);
        var target = await users.FindByIdAsync(userId, cancellationToken);
        if (room is null || target is null)
        {
            return TypedResults.NotFound();
        }

        await moderation.LiftAsync(room, target, caller.Id(), reason, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<BlockedWordsView>> PlatformWordsAsync(ChatRepository chat, CancellationToken cancellationToken) =>
        TypedResults.Ok(new BlockedWordsView(await chat.PlatformBlockedWordsAsync(cancellationToken)));

    public static async Task<Results<Ok<BlockedWordsView>, ValidationProblem>> SetPlatformWordsAsync(
        BlockedWordsRequest request, ClaimsPrincipal caller, ChatRepository chat, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = AdminUsersApi.Reason(errors, request.Reason);
        var words = BlockedWords.Normalize(request.Words, out var error);
        if (words is null)
        {
            errors.Add("words", error!.Message);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var before = await chat.SetPlatformBlockedWordsAsync(words!, cancellationToken);
        await audit.RecordAsync(new AuditRecord(caller.Id(), "chat.platform.blocked_words", "platform", "chat")
        {
            Reason = reason, Before = before, After = words,
        }, cancellationToken);
        return TypedResults.Ok(new BlockedWordsView(words!));
    }

    public static async Task<Results<Ok<BlockedWordsView>, NotFound>> RoomWordsAsync(Guid streamId, ChatRepository chat, CancellationToken cancellationToken) =>
        await chat.GetRoomAsync(streamId, cancellationToken) is { } room ? TypedResults.Ok(new BlockedWordsView(room.BlockedWords)) : TypedResults.NotFound();

    public static async Task<Results<Ok<BlockedWordsView>, NotFound, ValidationProblem>> SetRoomWordsAsync(
        Guid streamId, BlockedWordsRequest request, ClaimsPrincipal caller, ChatRepository chat, ChatModeration moderation, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = AdminUsersApi.Reason(errors, request.Reason);
        var words = BlockedWords.Normalize(request.Words, out var error);
        if (words is null)
        {
            errors.Add("words", error!.Message);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await chat.GetRoomAsync(streamId, cancellationToken) is not { } room)
        {
            return TypedResults.NotFound();
        }

        await moderation.SetBlockedWordsAsync(room, words!, caller.Id(), reason, cancellationToken);
        return TypedResults.Ok(new BlockedWordsView(words!));
    }

    /// <summary>The room and the user to sanction, or the answer that refuses it (the same rules as in the hub).</summary>
    private static async Task<(RoomRow? Room, UserRow? User, Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>? Result)> SanctionTargetAsync(
        Guid streamId, Guid? userId, ClaimsPrincipal caller, HttpContext http, ChatRepository chat, UserRepository users, ChatModeration moderation,
        FieldErrors errors, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            errors.Add("userId", "userId is required.");
        }

        if (errors.Any)
        {
            return (null, null, errors.ToProblem());
        }

        var room = await chat.GetRoomAsync(streamId, cancellationToken);
        var target = await users.FindByIdAsync(userId!.Value, cancellationToken);
        if (room is null || target is null)
        {
            return (null, null, TypedResults.NotFound());
        }

        if (await moderation.SanctionRefusalAsync(room, target, caller.Id(), StaffRoles.Of(http).IsAdmin, cancellationToken) is { } refusal)
        {
            return (null, null, TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status409Conflict, title: "Cannot sanction this user"));
        }

        return (room, target, null);
    }
}

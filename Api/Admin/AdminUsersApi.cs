using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.Api.Users;

namespace Nio.Api.Admin;

public sealed record BanRequest(string? Reason);

/// <summary>Operators' powers over accounts, under <c>/api/admin/users</c> (admin role; every action audited).</summary>
public static class AdminUsersApi
{
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapPost("/{id:guid}/ban", BanAsync);
        group.MapDelete("/{id:guid}/ban", LiftBanAsync);
        return group;
    }

    /// <summary>
    /// Bans the user from the platform: their sessions are revoked (access tokens stop within seconds), they cannot
    /// log in, chat or stream, and their open stream is ended.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> BanAsync(
        Guid id, BanRequest? request, ClaimsPrincipal admin, UserRepository users, RefreshTokens refreshTokens, StreamRepository streams,
        PlatformBans bans, AuditLog audit, RoomEvents room, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = errors.OptionalText("reason", request?.Reason, MaxReasonLength, allowLineBreaks: true);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (id == admin.Id())
        {
            return TypedResults.Problem("Admins cannot ban themselves.", statusCode: StatusCodes.Status409Conflict, title: "Cannot ban yourself");
        }

        if (!await users.SetBannedAsync(id, banned: true, reason, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        bans.Forget(id);
        await refreshTokens.RevokeAllAsync(id, cancellationToken);
        var ended = await streams.EndOpenStreamOfAsync(id, cancellationToken);
        if (ended is { } streamId)
        {
            await room.StreamEndedAsync(streamId, forGood: true, cancellationToken);
        }

        await audit.RecordAsync(admin.Id(), "user.ban", "user", id.ToString(), new { reason, endedStream = ended }, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound>> LiftBanAsync(
        Guid id, ClaimsPrincipal admin, UserRepository users, PlatformBans bans, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!await users.SetBannedAsync(id, banned: false, reason: null, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        bans.Forget(id);
        await audit.RecordAsync(admin.Id(), "user.unban", "user", id.ToString(), null, cancellationToken);
        return TypedResults.NoContent();
    }
}

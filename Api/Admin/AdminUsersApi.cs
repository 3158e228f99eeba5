using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Chat;
using Nio.Api.Http;
using Nio.Api.Streams;
using Nio.Api.Users;
using Nio.Api.Wallet;

namespace Nio.Api.Admin;

public sealed record BanRequest(string? Reason);

public sealed record CoinAdjustmentRequest(long? Amount, string? Reason, string? IdempotencyKey);

public sealed record CoinAdjustment(long TransferId, Guid UserId, long Amount, string Reason, long Balance);

/// <summary>Operators' powers over accounts, under <c>/api/admin/users</c> (admin role; every action audited).</summary>
public static class AdminUsersApi
{
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapPost("/{id:guid}/ban", BanAsync);
        group.MapDelete("/{id:guid}/ban", LiftBanAsync);
        group.MapPost("/{id:guid}/coins", AdjustCoinsAsync);
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

    public const long MaxAdjustment = 1_000_000_000;

    /// <summary>
    /// Grants (positive <c>amount</c>) or removes (negative) coins: a correcting transfer against the platform's
    /// adjustments account, audited. Removing more than the user holds is refused with their balance (409).
    /// </summary>
    public static async Task<Results<Created<CoinAdjustment>, Ok<CoinAdjustment>, NotFound, ValidationProblem, ProblemHttpResult>> AdjustCoinsAsync(
        Guid id, CoinAdjustmentRequest request, ClaimsPrincipal admin, UserRepository users, Ledger ledger, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Amount is not { } amount || amount == 0 || Math.Abs(amount) > MaxAdjustment)
        {
            errors.Add("amount", $"amount must be a non-zero number of coins between -{MaxAdjustment} and {MaxAdjustment}.");
            amount = 0;
        }

        var reason = errors.RequiredText("reason", request.Reason, MaxReasonLength);
        var key = IdempotencyKeys.Required(errors, request.IdempotencyKey);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await users.FindByIdAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        try
        {
            await using var transaction = await ledger.BeginAsync($"adjust:{admin.Id()}:{key}", new { id, amount, reason }, cancellationToken);
            if (transaction.Past is { } past)
            {
                return TypedResults.Ok(past.Details.Deserialize<CoinAdjustment>(JsonSerializerOptions.Web)! with { TransferId = past.Id });
            }

            var coins = await Ledger.UserAccountAsync(transaction, AccountKind.Coins, id, cancellationToken);
            var adjustments = await Ledger.PlatformAccountAsync(transaction, AccountKind.Adjustments, cancellationToken);
            var balance = await Ledger.BalanceForUpdateAsync(transaction, coins, cancellationToken);
            var adjustment = new CoinAdjustment(0, id, amount, reason!, balance + amount);
            var transferId = await transaction.TransferAsync("adjustment", [new(adjustments, -amount), new(coins, amount)], adjustment, admin.Id(), corrects: null, cancellationToken);
            await audit.RecordAsync(admin.Id(), "user.coins.adjust", "user", id.ToString(), new { amount, reason, transferId }, cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Created("/api/wallet", adjustment with { TransferId = transferId });
        }
        catch (InsufficientFundsException exception)
        {
            return TypedResults.Problem($"The user has {exception.Balance} coins; {exception.Needed} cannot be removed.",
                statusCode: StatusCodes.Status409Conflict, title: "Not enough coins",
                extensions: new Dictionary<string, object?> { ["balance"] = exception.Balance });
        }
        catch (IdempotencyKeyReusedException exception)
        {
            return IdempotencyKeys.Reused(exception);
        }
    }
}

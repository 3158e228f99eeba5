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

public sealed record ReasonRequest(string? Reason);

public sealed record RolesRequest(string[]? Roles, string? Reason);

public sealed record RolesView(string[] Roles);

public sealed record CoinAdjustmentRequest(long? Amount, string? Reason, string? IdempotencyKey);

public sealed record CoinAdjustment(long TransferId, Guid UserId, long Amount, string Reason, long Balance);

public sealed record StaffMe(Guid Id, string Email, string DisplayName, string[] Roles, bool IsAdmin, bool IsModerator);

public sealed record WalletBalances(long Coins, long Beans, long BeansHeld);

/// <summary>A user as the admin panel's user page shows them; money fields are null for moderators.</summary>
public sealed record UserDetail(
    Guid Id, string Email, string DisplayName, string Bio, string? AvatarUrl, string[] Roles, DateTime CreatedAt, DateTime? BannedAt,
    string? BanReason, DateTime? PaymentFlaggedAt, long ActiveSessions, IReadOnlyList<AdminStream> Streams, WalletBalances? Wallet);

/// <summary>Operators' powers over accounts, under <c>/api/admin/users</c>; every change audited.</summary>
public static class AdminUsersApi
{
    public const int MaxReasonLength = 500;
    public const long MaxAdjustment = 1_000_000_000;

    public static void MapAdminUsersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/me", Me).WithTags("Admin").RequireAuthorization(AuthSetup.StaffPolicy);
        var staff = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(AuthSetup.StaffPolicy);
        staff.MapGet("/", SearchAsync);
        staff.MapGet("/{id:guid}", DetailAsync);
        staff.MapGet("/{id:guid}/messages", MessagesAsync);
        staff.MapGet("/{id:guid}/audit", AuditAsync);
        staff.MapPost("/{id:guid}/ban", BanAsync);
        staff.MapDelete("/{id:guid}/ban", LiftBanAsync);
        var admins = app.MapGroup("/api/admin/users").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admins.MapGet("/{id:guid}/wallet/history", WalletHistoryAsync);
        admins.MapPost("/{id:guid}/sessions/revoke", RevokeSessionsAsync);
        admins.MapPut("/{id:guid}/roles", SetRolesAsync);
        admins.MapPost("/{id:guid}/coins", AdjustCoinsAsync);
    }

    public static async Task<Results<Ok<StaffMe>, NotFound>> Me(ClaimsPrincipal caller, HttpContext http, UserRepository users, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(caller.Id(), cancellationToken);
        var roles = StaffRoles.Of(http);
        return user is null ? TypedResults.NotFound() : TypedResults.Ok(new StaffMe(user.Id, user.Email, user.DisplayName, user.Roles, roles.IsAdmin, roles.IsModerator));
    }

    public static async Task<Results<Ok<Page<UserSummary>>, ValidationProblem>> SearchAsync(
        string? q, string? role, bool? banned, string? sort, [AsParameters] PageQuery page, UserRepository users, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (q?.Length > Search.SearchText.MaxQueryLength)
        {
            errors.Add("q", $"q must be at most {Search.SearchText.MaxQueryLength} characters.");
        }

        if (role is not null && !Role.Staff.Contains(role))
        {
            errors.Add("role", "role must be admin or moderator.");
        }

        if (sort is not (null or "newest" or "oldest" or "name"))
        {
            errors.Add("sort", "sort must be newest, oldest or name.");
        }

        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await users.AdminSearchAsync(new UserSearch(q, role, banned, sort ?? "newest"), page, cancellationToken));
    }

    public static async Task<Results<Ok<UserDetail>, NotFound>> DetailAsync(
        Guid id, HttpContext http, UserRepository users, RefreshTokens sessions, StreamRepository streams, Ledger ledger, MediaUrls urls,
        CancellationToken cancellationToken)
    {
        if (await users.AdminFindAsync(id, cancellationToken) is not var (user, bio))
        {
            return TypedResults.NotFound();
        }

        var money = StaffRoles.Of(http).IsAdmin;
        var recent = await streams.AdminListAsync(status: null, pattern: null, ownerId: id, new PageQuery(1, 20), cancellationToken);
        WalletBalances? wallet = null;
        if (money)
        {
            var balances = await ledger.BalancesAsync(id, cancellationToken);
            wallet = new WalletBalances(balances.GetValueOrDefault(AccountKind.Coins), balances.GetValueOrDefault(AccountKind.Beans), balances.GetValueOrDefault(AccountKind.BeansHeld));
        }

        return TypedResults.Ok(new UserDetail(
            user.Id, user.Email, user.DisplayName, bio, user.AvatarUrl, user.Roles, user.CreatedAt, user.BannedAt, user.BanReason,
            money ? user.PaymentFlaggedAt : null, await sessions.ActiveCountAsync(id, cancellationToken),
            recent.Items.Select(s => AdminStream.From(s, urls, DateTime.UtcNow)).ToList(), wallet));
    }

    public static async Task<Results<Ok<Page<WalletEntry>>, ValidationProblem>> WalletHistoryAsync(
        Guid id, [AsParameters] PageQuery page, WalletRepository wallets, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await wallets.HistoryAsync(id, page, cancellationToken));
    }

    public static async Task<Results<Ok<Page<AdminChatMessage>>, ValidationProblem>> MessagesAsync(
        Guid id, [AsParameters] PageQuery page, ChatRepository chat, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await chat.AdminListAsync(
            new ChatFilter(StreamId: null, UserId: id, WordPattern: null, Kind: ChatKind.Message, IncludeDeleted: true), page, AuditLog.CountLimit, cancellationToken));
    }

    public static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> AuditAsync(
        Guid id, [AsParameters] PageQuery page, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await audit.ListAsync(
            new AuditFilter(ActorId: null, Action: null, TargetType: "user", TargetId: id.ToString(), From: null, To: null), page, cancellationToken));
    }

    /// <summary>
    /// Bans the user from the platform: their sessions are revoked (access tokens stop within seconds), they cannot
    /// log in, chat or stream, their open stream is ended, and the rooms they are in are told. The body (<c>{ "reason" }</c>) is optional, and so is
    /// its content type. A moderator may not ban an admin or a moderator.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> BanAsync(
        Guid id, OptionalBody<ReasonRequest> body, ClaimsPrincipal caller, HttpContext http, UserRepository users, RefreshTokens refreshTokens,
        StreamRepository streams, PlatformBans bans, AuditLog audit, RoomEvents room, ChatModeration moderation, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = Reason(errors, body.Value?.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (id == caller.Id())
        {
            return TypedResults.Problem("Operators cannot ban themselves.", statusCode: StatusCodes.Status409Conflict, title: "Cannot ban yourself");
        }

        var target = await users.FindByIdAsync(id, cancellationToken);
        if (target is null)
        {
            return TypedResults.NotFound();
        }

        if (!StaffRoles.Of(http).IsAdmin && target.Roles.Any(Role.Staff.Contains))
        {
            return TypedResults.Problem("Only an admin can ban an admin or a moderator.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        await users.SetBannedAsync(id, banned: true, reason, cancellationToken);
        bans.Forget(id);
        await refreshTokens.RevokeAllAsync(id, cancellationToken);
        var ended = await streams.EndOpenStreamOfAsync(id, cancellationToken);
        if (ended is { } streamId)
        {
            await room.StreamEndedAsync(streamId, forGood: true, cancellationToken);
        }

        await moderation.PlatformBannedAsync(id, target.DisplayName, cancellationToken);

        await audit.RecordAsync(new AuditRecord(caller.Id(), "user.ban", "user", id.ToString())
        {
            Reason = reason, Before = new { banned = target.BannedAt is not null }, After = new { banned = true }, Details = new { reason, endedStream = ended },
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ValidationProblem>> LiftBanAsync(
        Guid id, string? reason, ClaimsPrincipal caller, UserRepository users, PlatformBans bans, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        reason = Reason(errors, reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var target = await users.FindByIdAsync(id, cancellationToken);
        if (target is null || !await users.SetBannedAsync(id, banned: false, reason: null, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        bans.Forget(id);
        await audit.RecordAsync(new AuditRecord(caller.Id(), "user.unban", "user", id.ToString())
        {
            Reason = reason, Before = new { banned = target.BannedAt is not null }, After = new { banned = false },
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Signs the user out everywhere: every refresh token revoked (access tokens run out within minutes).</summary>
    public static async Task<Results<NoContent, NotFound, ValidationProblem>> RevokeSessionsAsync(
        Guid id, OptionalBody<ReasonRequest> body, ClaimsPrincipal caller, UserRepository users, RefreshTokens refreshTokens, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = Reason(errors, body.Value?.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (await users.FindByIdAsync(id, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var before = await refreshTokens.ActiveCountAsync(id, cancellationToken);
        await refreshTokens.RevokeAllAsync(id, cancellationToken);
        await audit.RecordAsync(new AuditRecord(caller.Id(), "user.sessions.revoke", "user", id.ToString())
        {
            Reason = reason, Before = new { activeSessions = before }, After = new { activeSessions = 0 },
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Gives the user exactly these staff roles. When they change, the user's sessions are revoked: a session must
    /// not go on with roles it no longer has (or be refreshed into ones granted without a new sign-in).
    /// </summary>
    public static async Task<Results<Ok<RolesView>, NotFound, ValidationProblem, ProblemHttpResult>> SetRolesAsync(
        Guid id, RolesRequest request, ClaimsPrincipal caller, UserRepository users, RefreshTokens refreshTokens, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var roles = request.Roles ?? [];
        if (request.Roles is null || roles.Any(r => !Role.Staff.Contains(r)))
        {
            errors.Add("roles", "roles must list any of admin, moderator (an empty list removes both).");
        }

        var reason = Reason(errors, request.Reason);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (id == caller.Id() && !roles.Contains(Role.Admin))
        {
            return TypedResults.Problem("An admin cannot take their own admin role away.", statusCode: StatusCodes.Status409Conflict, title: "Cannot demote yourself");
        }

        if (await users.SetStaffRolesAsync(id, roles, cancellationToken) is not var (before, after))
        {
            return TypedResults.NotFound();
        }

        if (!before.Order().SequenceEqual(after.Order()))
        {
            await refreshTokens.RevokeAllAsync(id, cancellationToken);
            await audit.RecordAsync(new AuditRecord(caller.Id(), "user.roles", "user", id.ToString())
            {
                Reason = reason, Before = new { roles = before }, After = new { roles = after },
            }, cancellationToken);
        }

        return TypedResults.Ok(new RolesView(after));
    }

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
            await audit.RecordAsync(new AuditRecord(admin.Id(), "user.coins.adjust", "user", id.ToString())
            {
                Reason = reason, Before = new { coins = balance }, After = new { coins = balance + amount }, Details = new { amount, reason, transferId },
            }, cancellationToken, transaction);
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

    /// <summary>The optional reason every operator action takes; null when not given or blank.</summary>
    public static string? Reason(FieldErrors errors, string? reason)
    {
        var cleaned = errors.OptionalText("reason", reason, MaxReasonLength, allowLineBreaks: true);
        return string.IsNullOrEmpty(cleaned) ? null : cleaned;
    }
}

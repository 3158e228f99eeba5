using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Payments;

namespace Nio.Api.Wallet;

/// <summary>Balances and history; <c>MinimumWithdrawalBeans</c> is the least a withdrawal may ask for.</summary>
public sealed record WalletView(long Coins, long Beans, long BeansHeld, long MinimumWithdrawalBeans, Page<WalletEntry> History);

public sealed record EarningsView(
    long Beans, long BeansHeld, int Days, IReadOnlyList<DayEarnings> PerDay, IReadOnlyList<StreamEarnings> PerStream, IReadOnlyList<TopGifter> TopGifters);

/// <summary>A user's balances and history, and a streamer's earnings, under <c>/api/wallet</c>.</summary>
public static class WalletApi
{
    public static RouteGroupBuilder MapWalletApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/wallet").WithTags("Wallet").RequireAuthorization();
        group.MapGet("/", GetAsync);
        group.MapGet("/earnings", EarningsAsync);
        return group;
    }

    public static async Task<Results<Ok<WalletView>, ValidationProblem>> GetAsync(
        [AsParameters] PageQuery page, ClaimsPrincipal user, Ledger ledger, WalletRepository wallet, IOptions<WithdrawalOptions> withdrawals,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var balances = await ledger.BalancesAsync(user.Id(), cancellationToken);
        return TypedResults.Ok(new WalletView(
            balances.GetValueOrDefault(AccountKind.Coins), balances.GetValueOrDefault(AccountKind.Beans), balances.GetValueOrDefault(AccountKind.BeansHeld),
            withdrawals.Value.MinimumBeans, await wallet.HistoryAsync(user.Id(), page, cancellationToken)));
    }

    /// <summary>Beans received from gifts over the last <paramref name="days"/> days (1–366, default 30).</summary>
    public static async Task<Results<Ok<EarningsView>, ValidationProblem>> EarningsAsync(
        int? days, ClaimsPrincipal user, Ledger ledger, WalletRepository wallet, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 366)
        {
            var errors = new FieldErrors();
            errors.Add("days", "days must be between 1 and 366.");
            return errors.ToProblem();
        }

        var balances = await ledger.BalancesAsync(user.Id(), cancellationToken);
        var (perDay, perStream, top) = await wallet.EarningsAsync(user.Id(), days ?? 30, cancellationToken);
        return TypedResults.Ok(new EarningsView(
            balances.GetValueOrDefault(AccountKind.Beans), balances.GetValueOrDefault(AccountKind.BeansHeld), days ?? 30, perDay, perStream, top));
    }
}

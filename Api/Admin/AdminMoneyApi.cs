using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Payments;
using Nio.Api.Users;
using Nio.Api.Wallet;

namespace Nio.Api.Admin;

/// <summary>The books and the payments, for admins only: <c>/api/admin/ledger</c> and <c>/api/admin/payments</c>.</summary>
public static class AdminMoneyApi
{
    public static void MapAdminMoneyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/ledger", LedgerAsync);
        group.MapGet("/payments", PurchasesAsync);
        group.MapGet("/payments/disputes", DisputesAsync);
        group.MapGet("/payments/flagged", FlaggedAsync);
    }

    public static async Task<Ok<LedgerCheck>> LedgerAsync(Ledger ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ledger.CheckAsync(cancellationToken));

    public static async Task<Results<Ok<Page<PurchaseRecord>>, ValidationProblem>> PurchasesAsync(
        string? status, Guid? userId, [AsParameters] PageQuery page, PaymentRecords payments, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (status is not (null or "pending" or "succeeded" or "refunded"))
        {
            errors.Add("status", "status must be pending, succeeded or refunded.");
        }

        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await payments.PurchasesAsync(status, userId, page, cancellationToken));
    }

    public static async Task<Results<Ok<Page<DisputeRecord>>, ValidationProblem>> DisputesAsync(
        [AsParameters] PageQuery page, PaymentRecords payments, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await payments.DisputesAsync(page, cancellationToken));
    }

    public static async Task<Results<Ok<Page<UserSummary>>, ValidationProblem>> FlaggedAsync(
        [AsParameters] PageQuery page, UserRepository users, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await users.PaymentFlaggedAsync(page, cancellationToken));
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Http;
using Nio.Api.Wallet;

namespace Nio.Api.Admin;

public sealed record DecisionRequest(string? Note, string? PayoutReference);

/// <summary>Streamers' withdrawals for admins under <c>/api/admin/withdrawals</c>: the queue, approve and reject.</summary>
public static class AdminWithdrawalsApi
{
    public const int MaxPayoutReferenceLength = 200;

    public static void MapAdminWithdrawalsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/withdrawals").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:guid}/approve", ApproveAsync);
        group.MapPost("/{id:guid}/reject", RejectAsync);
    }

    public static async Task<Results<Ok<Page<AdminWithdrawal>>, ValidationProblem>> ListAsync(
        string? status, [AsParameters] PageQuery page, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        if (status is not (null or "pending" or "approved" or "rejected"))
        {
            errors.Add("status", "status must be pending, approved or rejected.");
        }

        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await WithdrawalsApi.ListAsync(db, status, page, cancellationToken));
    }

    /// <summary>Pays the withdrawal out; the admin says where the money went (<c>payoutReference</c>, required).</summary>
    public static async Task<Results<Ok<Withdrawal>, NotFound, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        Guid id, OptionalBody<DecisionRequest> body, ClaimsPrincipal admin, Ledger ledger, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reference = errors.RequiredText("payoutReference", body.Value?.PayoutReference, MaxPayoutReferenceLength);
        var note = AdminUsersApi.Reason(errors, body.Value?.Note);
        return errors.Any ? errors.ToProblem() : Widen(await WithdrawalsApi.DecideAsync(id, approve: true, note, reference, admin, ledger, audit, cancellationToken));
    }

    /// <summary>Gives the beans back; the streamer is told why (<c>note</c>, required).</summary>
    public static async Task<Results<Ok<Withdrawal>, NotFound, ValidationProblem, ProblemHttpResult>> RejectAsync(
        Guid id, OptionalBody<DecisionRequest> body, ClaimsPrincipal admin, Ledger ledger, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var note = errors.RequiredText("note", body.Value?.Note, AdminUsersApi.MaxReasonLength);
        return errors.Any ? errors.ToProblem() : Widen(await WithdrawalsApi.DecideAsync(id, approve: false, note, payoutReference: null, admin, ledger, audit, cancellationToken));
    }

    private static Results<Ok<Withdrawal>, NotFound, ValidationProblem, ProblemHttpResult> Widen(Results<Ok<Withdrawal>, NotFound, ProblemHttpResult> decided) =>
        decided.Result switch
        {
            Ok<Withdrawal> ok => ok,
            NotFound notFound => notFound,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected decision result."),
        };
}

using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Http;

namespace Nio.Api.Wallet;

/// <summary>The <c>idempotencyKey</c> every money request carries, as every money endpoint checks and answers it.</summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 100;

    /// <summary>The request's key, or null with a field error when it is missing or too long.</summary>
    public static string? Required(FieldErrors errors, string? key) => errors.RequiredText("idempotencyKey", key, MaxLength);

    public static ProblemHttpResult Reused(IdempotencyKeyReusedException exception) =>
        TypedResults.Problem(exception.Message + " Use a new key for a new request.", statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused");
}

using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Audit;
using Nio.Api.Auth;
using Nio.Api.Http;

namespace Nio.Api.Admin;

/// <summary>The audit log for admins under <c>/api/admin/audit</c>: filtered pages and a CSV export.</summary>
public static class AdminAuditApi
{
    public const int MaxExportRows = 100_000;

    public static void MapAdminAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/audit").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        group.MapGet("/", ListAsync);
        group.MapGet("/export", ExportAsync);
    }

    public static async Task<Results<Ok<Page<AuditEntry>>, ValidationProblem>> ListAsync(
        Guid? actorId, string? action, string? targetType, string? targetId, DateTimeOffset? from, DateTimeOffset? to, [AsParameters] PageQuery page,
        AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        page.Validate(errors);
        var filter = Filter(errors, actorId, action, targetType, targetId, from, to);
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(await audit.ListAsync(filter, page, cancellationToken));
    }

    /// <summary>The entries as CSV, written as they are read (at most <see cref="MaxExportRows"/>, newest first).</summary>
    public static async Task<Results<EmptyHttpResult, ValidationProblem>> ExportAsync(
        Guid? actorId, string? action, string? targetType, string? targetId, DateTimeOffset? from, DateTimeOffset? to,
        HttpResponse response, AuditLog audit, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var filter = Filter(errors, actorId, action, targetType, targetId, from, to);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=audit.csv";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync("id,createdAt,actorId,actorName,action,targetType,targetId,reason,before,after,details");
        await foreach (var entry in audit.ExportAsync(filter, MaxExportRows, cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',',
                entry.Id.ToString(CultureInfo.InvariantCulture), entry.CreatedAt.ToString("O", CultureInfo.InvariantCulture), entry.ActorId?.ToString(),
                Csv.Field(entry.ActorName), Csv.Field(entry.Action), Csv.Field(entry.TargetType), Csv.Field(entry.TargetId), Csv.Field(entry.Reason),
                Csv.Field(entry.Before?.GetRawText()), Csv.Field(entry.After?.GetRawText()), Csv.Field(entry.Details.GetRawText())));
        }

        return TypedResults.Empty;
    }

    private static AuditFilter Filter(
        FieldErrors errors, Guid? actorId, string? action, string? targetType, string? targetId, DateTimeOffset? from, DateTimeOffset? to)
    {
        foreach (var (name, value) in new[] { ("action", action), ("targetType", targetType), ("targetId", targetId) })
        {
            if (value?.Length > 200)
            {
                errors.Add(name, $"{name} must be at most 200 characters.");
            }
        }

        if (from > to)
        {
            errors.Add("from", "from must not be after to.");
        }

        return new AuditFilter(actorId, Blank(action), Blank(targetType), Blank(targetId), from?.UtcDateTime, to?.UtcDateTime);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>RFC 4180 fields, safe to open in a spreadsheet.</summary>
public static class Csv
{
    /// <summary>
    /// Quoted when it holds a comma, a quote or a line break. A field a spreadsheet would run as a formula
    /// (starting with <c>= + - @</c> or a tab) is prefixed with a quote mark: audit entries hold what users typed.
    /// </summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}

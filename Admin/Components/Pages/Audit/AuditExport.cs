using System.Globalization;
using Nio.Admin.ApiClient;
using Nio.Admin.Auth;

namespace Nio.Admin.Components.Pages.Audit;

/// <summary>
/// <c>GET /audit/export</c>: the audit log as the Api's CSV, streamed through the panel (which holds the operator's
/// token), with the page's filters.
/// </summary>
public static class AuditExport
{
    public const string Path = "audit/export";
    public const string DayFormat = "yyyy-MM-dd";

    public static void MapAuditExport(this IEndpointRouteBuilder app) =>
        app.MapGet("/" + Path, async (string? action, string? actor, string? targetType, string? targetId, string? from, string? to, NioApi api, HttpContext http) =>
        {
            try
            {
                var csv = await api.AuditCsvAsync(Filter(action, actor, targetType, targetId, from, to), http.RequestAborted);
                return Results.Stream(csv, "text/csv", "audit.csv");
            }
            catch (SessionEndedException)
            {
                return Results.LocalRedirect(OperatorSignIn.SignInPath);
            }
            catch (ApiProblemException problem)
            {
                return Results.Problem(problem.Detail, statusCode: (int)problem.Status, title: problem.Title);
            }
        }).RequireAuthorization(OperatorRoles.AdminPolicy);

    /// <summary>The URL's filters as the Api takes them; the "until" day is included (the Api's <c>to</c> is exclusive).</summary>
    public static AuditFilter Filter(string? action, string? actor, string? targetType, string? targetId, string? from, string? to) => new(
        Guid.TryParse(actor, out var actorId) ? actorId : null,
        Blank(action), Blank(targetType), Blank(targetId),
        ParseDay(from),
        ParseDay(to)?.AddDays(1));

    public static DateTime? ParseDay(string? text) =>
        DateTime.TryParseExact(text, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? day
            : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

using Microsoft.AspNetCore.Http.HttpResults;
using Nio.Api.Auth;
using Nio.Api.Jobs;
using Nio.Api.Streams;

namespace Nio.Api.Admin;

public sealed record DashboardDay(DateOnly Day, long SignUps, long CoinsBought, long GiftsSent, long BeansEarned);

public sealed record Dashboard(
    long LiveStreams, long Viewers, Figures Today, Figures Last7Days, Figures Last30Days, IReadOnlyList<DashboardDay> Days, DateTime? RolledUpAt);

/// <summary>The dashboard (<c>/api/admin/dashboard</c>, admins) and the services' health (<c>/api/admin/health</c>, staff).</summary>
public static class AdminDashboardApi
{
    public static void MapAdminDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/dashboard", DashboardAsync).WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        app.MapGet("/api/admin/health", HealthAsync).WithTags("Admin").RequireAuthorization(AuthSetup.StaffPolicy);
    }

    public static async Task<Ok<Dashboard>> DashboardAsync(StreamRepository streams, DailyFigures figures, CancellationToken cancellationToken)
    {
        var (live, viewers) = await streams.LiveNowAsync(cancellationToken);
        var (days, rolledUpAt) = await figures.ReadAsync(cancellationToken);
        return TypedResults.Ok(new Dashboard(
            live, viewers, days[^1].Figures, Figures.Sum(days.TakeLast(7).Select(d => d.Figures)), Figures.Sum(days.Select(d => d.Figures)),
            days.Select(d => new DashboardDay(DateOnly.FromDateTime(d.Day), d.SignUps, d.CoinsBought, d.GiftsSent, d.BeansEarned)).ToList(), rolledUpAt));
    }

    public static async Task<Ok<ServicesHealth>> HealthAsync(ServiceHealth health, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ServicesHealth(await health.CheckAsync(cancellationToken), JobsSetup.DashboardPath));
}

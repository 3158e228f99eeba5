using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Nio.Api.Database;

/// <summary>Healthy when PostgreSQL answers and every migration this build knows is applied.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var applied = await Migrator.AppliedVersionAsync(connection, cancellationToken);
            var data = new Dictionary<string, object> { ["migration"] = applied ?? 0, ["expectedMigration"] = Migrator.LatestVersion };
            return applied >= Migrator.LatestVersion
                ? HealthCheckResult.Healthy("database reachable, migrations applied", data)
                : HealthCheckResult.Unhealthy("database reachable, migrations not applied", data: data);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable", exception);
        }
    }
}

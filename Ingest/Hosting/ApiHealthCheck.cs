using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Nio.Ingest.ApiLink;

namespace Nio.Ingest.Hosting;

/// <summary>The Ingest can accept no publisher while the Api, which checks stream keys, is unreachable.</summary>
public sealed class ApiHealthCheck(ApiClient api) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await api.HealthAsync(cancellationToken);
            return status == HttpStatusCode.OK
                ? HealthCheckResult.Healthy("the Api answers")
                : HealthCheckResult.Unhealthy($"the Api answers {(int)status}");
        }
        catch (HttpRequestException exception)
        {
            return HealthCheckResult.Unhealthy("the Api is unreachable", exception);
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Nio.Ingest.ApiLink;

namespace Nio.Ingest.Hosting;

/// <summary>The Ingest can accept no publisher while the Api, which checks stream keys, is unreachable.</summary>
public sealed class ApiHealthCheck(IHttpClientFactory clients, IOptions<ApiLinkOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await clients.CreateClient(nameof(ApiHealthCheck))
                .GetAsync(new Uri(new Uri(options.Value.Url.TrimEnd('/') + "/"), "healthz"), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy("the Api answers")
                : HealthCheckResult.Unhealthy($"the Api answers {(int)response.StatusCode}");
        }
        catch (HttpRequestException exception)
        {
            return HealthCheckResult.Unhealthy("the Api is unreachable", exception);
        }
    }
}

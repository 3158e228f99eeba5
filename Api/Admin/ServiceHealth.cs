using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Nio.Api.Admin;

/// <summary>
/// Where the dashboard asks each service's <c>/healthz</c> (section <c>ServiceHealth</c>); the defaults are
/// <c>./nio up</c>'s ports on this machine.
/// </summary>
public sealed class ServiceHealthOptions
{
    public string Api { get; set; } = "http://127.0.0.1:5000/healthz";

    public string Origin { get; set; } = "http://127.0.0.1:8080/healthz";

    public string Ingest { get; set; } = "http://127.0.0.1:8081/healthz";

    public string Transcoder { get; set; } = "http://127.0.0.1:8082/healthz";

    public int TimeoutSeconds { get; set; } = 3;
}

public sealed record ServiceState(string Name, string Url, bool Healthy, int? StatusCode, string? Error, JsonElement? Body);

public sealed record ServicesHealth(IReadOnlyList<ServiceState> Services, string HangfireUrl);

/// <summary>Asks every service's <c>/healthz</c> at once, each within the timeout; a service that does not answer is unhealthy.</summary>
public sealed class ServiceHealth(HttpClient http, IOptions<ServiceHealthOptions> options)
{
    /// <summary>A health answer larger than this is not read (a healthz body is a few hundred bytes).</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public async Task<IReadOnlyList<ServiceState>> CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var services = new[] { ("Api", settings.Api), ("Origin", settings.Origin), ("Ingest", settings.Ingest), ("Transcoder", settings.Transcoder) };
        return await Task.WhenAll(services.Select(s => CheckOneAsync(s.Item1, s.Item2, TimeSpan.FromSeconds(settings.TimeoutSeconds), cancellationToken)));
    }

    private async Task<ServiceState> CheckOneAsync(string name, string url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            JsonElement? json = null;
            if (body.Length <= MaxBodyBytes)
            {
                try
                {
                    json = JsonDocument.Parse(body).RootElement.Clone();
                }
                catch (JsonException)
                {
                    // A body that is not JSON is still an answer: the status code says whether the service is healthy.
                }
            }

            return new ServiceState(name, url, response.IsSuccessStatusCode, (int)response.StatusCode, null, json);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ServiceState(name, url, false, null, exception is OperationCanceledException ? $"no answer within {timeout.TotalSeconds} s" : exception.Message, null);
        }
    }
}

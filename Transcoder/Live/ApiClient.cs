using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Nio.Transcoder.Live;

/// <summary>Where the Api is (section <c>Api</c>; <c>NIO_API_URL</c>).</summary>
public sealed class ApiOptions
{
    public string Url { get; set; } = "http://127.0.0.1:5000";
}

/// <summary>
/// The Api's internal routes under <c>/api/transcoder</c> as the Transcoder calls them: authorized with the internal
/// secret the Ingest also requires, each request bounded by its own timeout.
/// </summary>
public sealed class ApiClient(IHttpClientFactory clients, IOptions<ApiOptions> api, IOptions<IngestOptions> secret)
{
    /// <param name="body">Sent as JSON when not null.</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(api.Value.Url.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret.Value.Secret);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        return await clients.CreateClient(nameof(ApiClient)).SendAsync(request, bounded.Token);
    }
}

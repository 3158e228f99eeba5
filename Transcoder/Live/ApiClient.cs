using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Nio.Transcoder.Live;

/// <summary>
/// Where the Api's internal listener is (section <c>Api</c>; <c>NIO_API_URL</c>) and the Transcoder's secret for it
/// (<c>NIO_TRANSCODER_TO_API_SECRET</c>).
/// </summary>
public sealed class ApiOptions
{
    public string Url { get; set; } = "http://127.0.0.1:5010";

    public string Secret { get; set; } = "";
}

/// <summary>
/// The Api's internal routes under <c>/api/transcoder</c> as the Transcoder calls them: authorized with the
/// Transcoder's own secret, each request bounded by its own timeout.
/// </summary>
public sealed class ApiClient(IHttpClientFactory clients, IOptions<ApiOptions> api)
{
    /// <param name="body">Sent as JSON when not null.</param>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(api.Value.Url.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Value.Secret);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        return await clients.CreateClient(nameof(ApiClient)).SendAsync(request, bounded.Token);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Nio.Bench.Gifts;

public sealed record Credentials(string Email, string Password);

public sealed record AuthUser(Guid Id);

public sealed record AuthResponse(string AccessToken, AuthUser User);

public sealed record StreamCredentials(Guid Id, string StreamKey);

/// <summary>One HTTP client for every sender, with a connection each, and the few Api calls the benchmark makes.</summary>
public sealed class BenchClient(Uri api, int senders) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        // Every sender keeps its own keep-alive connection, as a browser would.
        MaxConnectionsPerServer = senders + 16,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public HttpClient Http => http;

    /// <summary>POSTs <paramref name="body"/> as JSON and reads the answer, failing unless it has the expected status.</summary>
    public async Task<T> PostAsync<T>(string path, object body, string? bearer, HttpStatusCode expected)
    {
        using var response = await SendAsync(path, body, bearer);
        await EnsureAsync(response, path, expected);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public async Task PostAsync(string path, object body, string? bearer, HttpStatusCode expected)
    {
        using var response = await SendAsync(path, body, bearer);
        await EnsureAsync(response, path, expected);
    }

    public async Task<HttpResponseMessage> SendAsync(string path, object body, string? bearer, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string path, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public void Dispose() => http.Dispose();
}

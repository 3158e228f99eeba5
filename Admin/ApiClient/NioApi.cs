using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.Admin.Auth;

namespace Nio.Admin.ApiClient;

/// <summary>The operator's session has ended (renewal refused, signed out): the page sends them to sign in.</summary>
public sealed class SessionEndedException() : Exception("The operator's session has ended.");

/// <summary>The Api refused a call; <see cref="Detail"/> is its problem's text, shown to the operator.</summary>
public sealed class ApiProblemException(HttpStatusCode status, string title, string? detail)
    : Exception($"{(int)status} {title}: {detail}")
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;
}

/// <summary>
/// The Api as the signed-in operator calls it: every request carries the operator's access token (renewed when due,
/// and once more when the Api refuses it), and every refusal becomes an <see cref="ApiProblemException"/>.
/// </summary>
public sealed partial class NioApi(HttpClient http, ApiSessions sessions, CurrentOperator current)
{
    private sealed record Problem(string? Title, string? Detail, Dictionary<string, string[]>? Errors);

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    public Task PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    public Task PutAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(() => new HttpRequestMessage(HttpMethod.Put, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    public Task PatchAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(() => new HttpRequestMessage(HttpMethod.Patch, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    public Task DeleteAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(() => new HttpRequestMessage(HttpMethod.Delete, path) { Content = body is null ? null : JsonContent.Create(body) }, cancellationToken);

    /// <summary>The raw answer of a GET (the audit log's CSV), as a stream the caller disposes.</summary>
    public async Task<Stream> DownloadAsync(string path, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }

    /// <summary>The operator's current access token (for the SignalR connection of the chat page).</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken) =>
        await sessions.AccessTokenAsync(await current.SessionIdAsync(), cancellationToken) ?? throw new SessionEndedException();

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default!;
        }

        return (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken))!;
    }

    private async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var sessionId = await current.SessionIdAsync();
        var token = await sessions.AccessTokenAsync(sessionId, cancellationToken) ?? throw new SessionEndedException();
        var response = await SendWithTokenAsync(request(), token, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // Refused: the token may be stale (the Api restarted with another key) or the operator may have lost a
            // role (the Api then revokes their sessions). One renewal tells which: refused, the session ends here too.
            response.Dispose();
            token = await sessions.RenewAfterRefusalAsync(sessionId, token, cancellationToken) ?? throw new SessionEndedException();
            response = await SendWithTokenAsync(request(), token, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Dispose();
                throw new SessionEndedException();
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ProblemAsync(response, cancellationToken);
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, string token, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
    }

    private static async Task<ApiProblemException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<Problem>(JsonSerializerOptions.Web, cancellationToken);
            }
            catch (JsonException)
            {
                // Not a problem document after all: the status alone says what went wrong.
            }
        }

        var fieldErrors = problem?.Errors?.SelectMany(e => e.Value);
        var detail = fieldErrors?.Any() == true ? string.Join(" ", fieldErrors) : problem?.Detail;
        return new ApiProblemException(response.StatusCode, problem?.Title ?? response.ReasonPhrase ?? response.StatusCode.ToString(), detail);
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;

namespace Nio.Ingest.ApiLink;

/// <summary>The stream a key opens, as the Api's <c>/api/ingest/authorize</c> answers it.</summary>
public sealed record KeyOwner(Guid StreamId, Guid UserId, string Title, bool Record);

public enum LiveAnswer
{
    /// <summary>The publisher may go on.</summary>
    Continue,

    /// <summary>The stream ended, its key was rotated or it no longer exists: drop the publisher.</summary>
    Stop,
}

/// <summary>
/// Where the Api's internal listener is (section <c>Api</c>; <c>NIO_API_URL</c>) and the Ingest's secret for it
/// (<c>NIO_INGEST_TO_API_SECRET</c>).
/// </summary>
public sealed class ApiLinkOptions
{
    public string Url { get; set; } = "http://127.0.0.1:5010";

    public string Secret { get; set; } = "";

    /// <summary>
    /// How often a live publisher is reported; the Api's reaper allows 30 s of silence by default. The report carries
    /// the stream's health, which the studio page wants at least every <see cref="MaxHealthReportSeconds"/>, so a
    /// longer setting is shortened to that.
    /// </summary>
    public double HeartbeatSeconds { get; set; } = 5;

    public const double MaxHealthReportSeconds = 5;

    /// <summary>
    /// How long the Ingest waits for the Api to answer one call: past it the call counts as failed, like an unreachable
    /// Api (a heartbeat or offline report is tried again, a publisher is asked to retry).
    /// </summary>
    [Range(0.1, 100)]
    public double RequestTimeoutSeconds { get; set; } = 10;

    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(Math.Min(HeartbeatSeconds, MaxHealthReportSeconds));

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);
}

/// <summary>
/// The Ingest's side of the Api contract under <c>/api/ingest</c> (see the README). Every call either answers within
/// <see cref="ApiLinkOptions.RequestTimeout"/> or throws <see cref="HttpRequestException"/>: callers handle an Api that
/// does not answer like one that cannot be reached.
/// </summary>
public sealed class ApiClient(HttpClient http, IOptions<ApiLinkOptions> options)
{
    /// <summary>Whose stream the key opens, or null when the Api refuses the key.</summary>
    public async Task<KeyOwner?> AuthorizeAsync(string streamKey, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/ingest/authorize", new { streamKey }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<KeyOwner>(cancellationToken);
    }

    /// <summary>The live heartbeat, with what the Ingest measured of the stream's media when it has it.</summary>
    public async Task<LiveAnswer> ReportLiveAsync(KeyOwner owner, string streamKey, StreamHealthReport? health, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/ingest/streams/{owner.StreamId}/live", new { streamKey, health }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return LiveAnswer.Stop;
        }

        response.EnsureSuccessStatusCode();
        return LiveAnswer.Continue;
    }

    public async Task ReportOfflineAsync(KeyOwner owner, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/ingest/streams/{owner.StreamId}/offline", null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Whether the Api answers its health check.</summary>
    public async Task<HttpStatusCode> HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "healthz", null, cancellationToken);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(method, new Uri(new Uri(settings.Url.TrimEnd('/') + "/"), path))
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Secret);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            // The whole answer is read within the timeout: SendAsync buffers the body before it returns.
            return await http.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // This timeout or HttpClient's own; an exception type the callers would not expect used to end their loops.
            throw new HttpRequestException($"the Api did not answer {method} /{path} within {settings.RequestTimeoutSeconds} s", exception);
        }
    }
}

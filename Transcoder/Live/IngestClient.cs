using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>
/// Where the Ingest's internal listener is (section <c>Ingest</c>; <c>NIO_INGEST_URL</c>) and the Transcoder's secret
/// for it (<c>NIO_TRANSCODER_TO_INGEST_SECRET</c>).
/// </summary>
public sealed class IngestOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8091";

    public string Secret { get; set; } = "";

    public double PollSeconds { get; set; } = 0.5;

    /// <summary>How long one request to the Ingest may take, its answer included; one that takes longer counts as no answer.</summary>
    public double RequestTimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// The Ingest's internal API as the Transcoder reads it: which streams are live, what each carries, and its HTTP-FLV.
/// Every request but the HTTP-FLV's (which lasts as long as the stream) is bounded by
/// <see cref="IngestOptions.RequestTimeoutSeconds"/>.
/// </summary>
public sealed class IngestClient(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    /// <summary>
    /// The stream's live HTTP-FLV, from the start of its current group of pictures; it ends when the publisher leaves.
    /// Throws when the stream is not being published or the Ingest does not answer.
    /// </summary>
    public async Task<Stream> OpenFlvAsync(Guid streamId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Address($"live/{streamId}.flv"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Secret);
        var response = await clients.CreateClient(nameof(IngestClient)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            // The body's stream owns the connection: disposing it releases all the response holds.
            return await response.Content.ReadAsStreamAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The streams that have a publisher; throws when the Ingest does not answer in time, or not as it should.</summary>
    public Task<Guid[]> ListLiveAsync(CancellationToken cancellationToken) => GetAsync("live", async (response, token) =>
    {
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Guid[]>(token) ?? [];
    }, cancellationToken);

    /// <summary>The stream's codecs; null while it has no publisher or no video yet, or the Ingest does not answer.</summary>
    public async Task<SourceCodecs?> CodecsAsync(Guid streamId, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync($"live/{streamId}", async (response, token) =>
            {
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                response.EnsureSuccessStatusCode();
                return await response.Content.ReadFromJsonAsync<SourceCodecs>(token);
            }, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unreachable, slow or garbled for now: the same as "not live yet"; the caller asks again until its grace
            // period ends.
            return null;
        }
    }

    private async Task<T> GetAsync<T>(string path, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds));
        using var request = new HttpRequestMessage(HttpMethod.Get, Address(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Secret);
        using var response = await clients.CreateClient(nameof(IngestClient)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        return await read(response, bounded.Token);
    }

    private Uri Address(string path) => new(new Uri(options.Value.Url.TrimEnd('/') + "/"), path);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Nio.Shared.Media;

namespace Nio.Transcoder.Live;

/// <summary>Where the Ingest is and the secret it requires (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8081";

    public string Secret { get; set; } = "";

    public double PollSeconds { get; set; } = 0.5;

    /// <summary>How long one request to the Ingest may take, its answer included; one that takes longer counts as no answer.</summary>
    public double RequestTimeoutSeconds { get; set; } = 5;
}

/// <summary>
/// The Ingest's internal API as the Transcoder reads it: which streams are live, what each carries, and where its
/// HTTP-FLV is. Every request is bounded by <see cref="IngestOptions.RequestTimeoutSeconds"/>.
/// </summary>
public sealed class IngestClient(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    public string Secret => options.Value.Secret;

    public string FlvUrl(Guid streamId) => Address($"live/{streamId}.flv").ToString();

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

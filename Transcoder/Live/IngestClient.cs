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
}

/// <summary>The Ingest's internal API as the Transcoder reads it: which streams are live, what each carries, and where its HTTP-FLV is.</summary>
public sealed class IngestClient(IHttpClientFactory clients, IOptions<IngestOptions> options)
{
    public string Secret => options.Value.Secret;

    public string FlvUrl(Guid streamId) => Address($"live/{streamId}.flv").ToString();

    /// <summary>The streams that have a publisher.</summary>
    public async Task<IReadOnlyCollection<Guid>> ListLiveAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync("live", cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Guid[]>(cancellationToken) ?? [];
    }

    /// <summary>The stream's codecs; null while it has no publisher or no video yet, or the Ingest does not answer.</summary>
    public async Task<SourceCodecs?> CodecsAsync(Guid streamId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync($"live/{streamId}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<SourceCodecs>(cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Unreachable for now: the same as "not live yet"; the caller asks again until its grace period ends.
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Address(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Secret);
        return await clients.CreateClient(nameof(IngestClient)).SendAsync(request, cancellationToken);
    }

    private Uri Address(string path) => new(new Uri(options.Value.Url.TrimEnd('/') + "/"), path);
}

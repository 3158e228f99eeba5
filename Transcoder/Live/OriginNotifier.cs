using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Nio.Shared.LlHls;

namespace Nio.Transcoder.Live;

/// <summary>
/// Where the Origin's internal listener is (section <c>Origin</c>; <c>NIO_ORIGIN_URL</c>) and the Transcoder's secret for
/// it (<c>NIO_TRANSCODER_TO_ORIGIN_SECRET</c>).
/// </summary>
public sealed class OriginOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8090";

    public string Secret { get; set; } = "";
}

/// <summary>
/// Pushes every playlist change to the Origin, which wakes the players waiting for it: one request per change,
/// no polling. An unreachable Origin never stops packaging; it reads the stored playlist when it comes back.
/// </summary>
public sealed partial class OriginNotifier(IHttpClientFactory clients, IOptions<OriginOptions> origin, ILogger<OriginNotifier> logger)
    : IPlaylistListener
{
    public async Task PlaylistChangedAsync(PlaylistUpdate update, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(origin.Value.Url.TrimEnd('/') + "/"), "internal/playlists"))
            {
                Content = JsonContent.Create(update),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", origin.Value.Secret);
            using var response = await clients.CreateClient(nameof(OriginNotifier)).SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Origin did not take a playlist update: {Reason}")]
    private partial void LogUnreachable(string reason);
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Nio.Transcoder.Live;

/// <summary>Where the Ingest is and the secret it requires (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8081";

    public string Secret { get; set; } = "";

    public double PollSeconds { get; set; } = 0.5;
}

/// <summary>
/// Asks the Ingest which streams have a publisher, twice a second, and keeps one <see cref="LivePackager"/> running
/// for each: a stream that appears is packaged within half a second, one that disappears ends its playlists after
/// the grace period a reconnecting publisher gets.
/// </summary>
public sealed partial class IngestWatcher(IHttpClientFactory clients, LivePackager packager, IOptions<IngestOptions> options, ILogger<IngestWatcher> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> running = new();
    private volatile IReadOnlyCollection<Guid> live = [];

    /// <summary>Whether the Ingest answered the last poll; the health check reports it.</summary>
    public bool IngestReachable { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            try
            {
                live = await ListLiveAsync(stoppingToken);
                IngestReachable = true;
            }
            catch (HttpRequestException exception)
            {
                IngestReachable = false;
                LogIngestUnreachable(exception.Message);
                continue;
            }

            foreach (var streamId in live)
            {
                _ = running.GetOrAdd(streamId, id => Task.Run(() => PackageAsync(id, stoppingToken), CancellationToken.None));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(running.Values);
    }

    private async Task PackageAsync(Guid streamId, CancellationToken stoppingToken)
    {
        try
        {
            var input = new Uri(new Uri(options.Value.Url.TrimEnd('/') + "/"), $"live/{streamId}.flv").ToString();
            await packager.RunAsync(streamId, input, options.Value.Secret, _ => Task.FromResult(live.Contains(streamId)), stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(streamId, exception.Message);
        }
        finally
        {
            running.TryRemove(streamId, out _);
        }
    }

    private async Task<IReadOnlyCollection<Guid>> ListLiveAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(options.Value.Url.TrimEnd('/') + "/"), "live"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.Secret);
        using var response = await clients.CreateClient(nameof(IngestWatcher)).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Guid[]>(cancellationToken) ?? [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Ingest is unreachable: {Reason}")]
    private partial void LogIngestUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging stopped: {Reason}")]
    private partial void LogFailed(Guid streamId, string reason);
}

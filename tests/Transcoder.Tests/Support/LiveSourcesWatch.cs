using Nio.Shared.Media;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Support;

/// <summary>
/// The Ingest's pushed list of live streams, held open for a test as the Transcoder's watcher holds it: what a packager
/// is told of a stream's codecs. Reconnects when the Ingest hangs up; stops when disposed.
/// </summary>
public sealed class LiveSourcesWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task watching;
    private volatile LiveSources current = new([]);

    public LiveSourcesWatch(IngestClient ingest) => watching = Task.Run(() => WatchAsync(ingest));

    /// <summary>The stream's codecs as last pushed; null while it is not live or has no video yet.</summary>
    public Task<SourceCodecs?> CodecsAsync(Guid streamId, CancellationToken cancellationToken) =>
        Task.FromResult(current.Streams.FirstOrDefault(source => source.StreamId == streamId)?.Codecs);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await watching;
        stop.Dispose();
    }

    private async Task WatchAsync(IngestClient ingest)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var sources in ingest.WatchAsync(stop.Token))
                {
                    current = sources;
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                current = new([]);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.Delay(200, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

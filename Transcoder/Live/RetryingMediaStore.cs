using Nio.Shared.Hosting;
using Nio.Shared.Storage;

namespace Nio.Transcoder.Live;

/// <summary>
/// One live stream's media store as its packagers write to it: a write that fails (a full disk, an S3 server that is
/// gone, one that does not answer within <see cref="AttemptTimeout"/>) is tried again with backoff until it succeeds or
/// its caller gives up, so no playlist ever names a file that was not stored. The stream's state hears of every
/// failure, which ends the FFmpeg run (<see cref="LivePackager"/>), and of the write that succeeds again.
/// </summary>
internal sealed class RetryingMediaStore(IMediaStore store, StreamState state, Action<string> failed) : IMediaStore
{
    /// <summary>One attempt: far above what a part or segment takes, so only a store that does not answer hits it.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);

    // Short: once the store is back, the stream should be too within a couple of seconds.
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(2);

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(AttemptTimeout);
                await store.WriteAsync(path, content, contentType, attempt.Token);
                state.StoreWorks();
                return;
            }
            catch (Exception exception) when (exception is not ArgumentException && !cancellationToken.IsCancellationRequested)
            {
                // An ArgumentException is a path no store takes: a bug, never retried.
                var reason = exception is OperationCanceledException ? $"no answer within {AttemptTimeout.TotalSeconds} s" : exception.Message;
                state.StoreFailed(reason);
                failed(reason);
            }

            await Task.Delay(Backoff.Delay(failures, FirstWait, LongestWait), cancellationToken);
        }
    }

    public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) => store.ReadAsync(path, cancellationToken);

    public Task DeleteAsync(string path, CancellationToken cancellationToken) => store.DeleteAsync(path, cancellationToken);
}

using Nio.Shared.Storage;

namespace Nio.Api.Retention;

/// <summary>
/// Recurring job: deletes from the media store the files whose grace is over (parts and segments that left the live
/// window, what an unrecorded broadcast left behind). A file is forgotten only after its deletion, and deleting twice
/// is harmless, so a failed or repeated run loses nothing. A file the store refuses to delete is tried again
/// <see cref="RetryFailedAfter"/> later while the others go on; a batch the store refuses whole (the store is down)
/// ends the run.
/// </summary>
public sealed partial class MediaRetentionSweeper(ExpiredMedia expired, IMediaStore store, ILogger<MediaRetentionSweeper> logger)
{
    public const string JobId = "media-retention";

    /// <summary>How long a file whose deletion failed waits before the next try.</summary>
    public static readonly TimeSpan RetryFailedAfter = TimeSpan.FromMinutes(10);

    private const int BatchSize = 500;

    /// <summary>Returns how many files were deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await expired.SpareLiveAsync(cancellationToken);
        var deleted = 0;
        while (await expired.DueAsync(BatchSize, cancellationToken) is { Count: > 0 } due)
        {
            var done = new List<string>(due.Count);
            var failed = new List<(string Path, string Reason)>();
            foreach (var path in due)
            {
                try
                {
                    await store.DeleteAsync(path, cancellationToken);
                    done.Add(path);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    failed.Add((path, exception.Message));
                }
            }

            if (failed.Count > 0)
            {
                await expired.PostponeAsync([.. failed.Select(failure => failure.Path)], RetryFailedAfter, cancellationToken);
            }

            if (done.Count == 0)
            {
                // Nothing went: the store itself fails. One line, not one per file.
                LogStoreRefused(failed.Count, failed[0].Reason);
                break;
            }

            failed.ForEach(failure => LogNotDeleted(failure.Path, failure.Reason));
            await expired.ForgetAsync(done, cancellationToken);
            deleted += done.Count;
        }

        if (deleted > 0)
        {
            LogDeleted(deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired media files")]
    private partial void LogDeleted(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired media file {Path} could not be deleted ({Reason}); trying again later")]
    private partial void LogNotDeleted(string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The media store deleted none of {Count} expired files ({Reason}); they are tried again later")]
    private partial void LogStoreRefused(int count, string reason);
}

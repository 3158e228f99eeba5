using Nio.Shared.Storage;

namespace Nio.Api.Retention;

/// <summary>
/// Recurring job: deletes from the media store the files whose grace is over (parts and segments that left the live
/// window, what an unrecorded broadcast left behind). A file is forgotten only after its deletion, and deleting twice
/// is harmless, so a failed or repeated run loses nothing.
/// </summary>
public sealed partial class MediaRetentionSweeper(ExpiredMedia expired, IMediaStore store, ILogger<MediaRetentionSweeper> logger)
{
    public const string JobId = "media-retention";

    private const int BatchSize = 500;

    /// <summary>Returns how many files were deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await expired.SpareLiveAsync(cancellationToken);
        var deleted = 0;
        while (await expired.DueAsync(BatchSize, cancellationToken) is { Count: > 0 } due)
        {
            foreach (var path in due)
            {
                await store.DeleteAsync(path, cancellationToken);
            }

            await expired.ForgetAsync(due, cancellationToken);
            deleted += due.Count;
        }

        if (deleted > 0)
        {
            LogDeleted(deleted);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired media files")]
    private partial void LogDeleted(int count);
}

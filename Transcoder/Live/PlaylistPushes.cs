using Nio.Shared.LlHls;

namespace Nio.Transcoder.Live;

/// <summary>
/// Hands playlist changes to an <see cref="IPlaylistListener"/> (the Origin) with one ordered lane per media playlist:
/// a rendition's change goes out as soon as its own previous one is answered, whatever the other renditions' pushes
/// are doing, and the packager that made it never waits for it.
/// </summary>
/// <remarks>
/// Within a lane, changes go out one at a time and in order, so the listener never sees part N+1 before part N of
/// the same playlist. A change still waiting when a newer one of the same playlist arrives is replaced by it: each
/// change carries the whole playlist, so the newer one names everything the older one did, and a slow listener gets
/// the newest state next instead of a growing backlog.
/// </remarks>
public sealed partial class PlaylistPushes(IPlaylistListener listener, ILogger logger) : IAsyncDisposable
{
    private readonly IPlaylistListener listener = listener;
    private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);
    // Cancelled, never disposed: a lane may still read its token after DisposeAsync.
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Queues <paramref name="update"/> on its playlist's lane and returns at once.</summary>
    public void Push(PlaylistUpdate update)
    {
        Lane lane;
        lock (lanes)
        {
            if (!lanes.TryGetValue(update.Path, out lane!))
            {
                lanes[update.Path] = lane = new Lane(this);
            }
        }

        lane.Offer(update);
    }

    /// <summary>Completes once every change pushed so far has been answered (or given up on), or when cancelled.</summary>
    public Task DrainAsync(CancellationToken cancellationToken)
    {
        List<Lane> all;
        lock (lanes)
        {
            all = [.. lanes.Values];
        }

        return Task.WhenAll(all.Select(lane => lane.Idle())).WaitAsync(cancellationToken);
    }

    /// <summary>Stops every lane: a push in flight is cancelled, waiting ones are dropped.</summary>
    public async ValueTask DisposeAsync() => await stopping.CancelAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A playlist push for {Path} failed: {Reason}")]
    private partial void LogFailed(string path, string reason);

    /// <summary>One playlist's pushes: at most one in flight, at most one waiting (the newest).</summary>
    private sealed class Lane(PlaylistPushes owner)
    {
        private readonly Lock gate = new();
        private PlaylistUpdate? waiting;
        private TaskCompletionSource? idle;
        private bool sending;

        public void Offer(PlaylistUpdate update)
        {
            lock (gate)
            {
                waiting = update;
                if (sending)
                {
                    return;
                }

                sending = true;
            }

            // Started here: up to its first wait, the send runs on the packager's thread, with no hop to the pool.
            _ = SendAsync();
        }

        public Task Idle()
        {
            lock (gate)
            {
                return sending ? (idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
            }
        }

        private async Task SendAsync()
        {
            while (true)
            {
                PlaylistUpdate next;
                lock (gate)
                {
                    if (waiting is null || owner.stopping.IsCancellationRequested)
                    {
                        waiting = null;
                        sending = false;
                        idle?.SetResult();
                        idle = null;
                        return;
                    }

                    next = waiting;
                    waiting = null;
                }

                try
                {
                    await owner.listener.PlaylistChangedAsync(next, owner.stopping.Token);
                }
                catch (Exception exception)
                {
                    // A lane outlives any one failure: the next change carries the whole playlist again.
                    if (!owner.stopping.IsCancellationRequested)
                    {
                        owner.LogFailed(next.Path, exception.Message);
                    }
                }
            }
        }
    }
}

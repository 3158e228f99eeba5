using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Nio.Shared.LlHls;

namespace Nio.Origin.Live;

/// <summary>How long the Origin keeps a playlist in memory once it stops changing (section <c>Origin</c>).</summary>
public sealed class LiveEdgeOptions
{
    /// <summary>
    /// An ended playlist stays this long for the players still reloading it, then the stored copy answers, which
    /// retention deletes with the broadcast's media (<c>NIO_ORIGIN_ENDED_PLAYLIST_SECONDS</c>). Keep it below the Api's
    /// retention grace, or the Origin names files the store no longer has.
    /// </summary>
    [Range(1, 3600)]
    public int EndedPlaylistSeconds { get; set; } = 10;

    /// <summary>
    /// A live playlist that no update reached for this long (its Transcoder went away without ending it) leaves memory
    /// too (<c>NIO_ORIGIN_IDLE_PLAYLIST_SECONDS</c>).
    /// </summary>
    [Range(1, 86400)]
    public int IdlePlaylistSeconds { get; set; } = 60;
}

/// <summary>
/// The newest state of every live media playlist, kept in memory as the Transcoder pushes it. Requests waiting for
/// a playlist to change share one signal per playlist: an update wakes all of them at once, whatever their number.
/// An update older than the one held, of the same broadcast, is ignored: the Transcoder sends a rendition's updates
/// one at a time, but one it gave up waiting for may still be taken after the next. A playlist leaves memory once it
/// has ended and its players had time to see the end, or when no update reached it for long; the stored copy answers
/// then, so memory follows the streams that are live, not every stream that ever was.
/// </summary>
public sealed class LiveEdge : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Rendition> renditions = new(StringComparer.Ordinal);
    // Each stream in memory and the stamp of its latest change (a number from `changes`).
    private readonly ConcurrentDictionary<Guid, long> streams = new();
    private readonly long endedMilliseconds;
    private readonly long idleMilliseconds;
    private readonly ITimer sweeper;
    private long changes;
    private long lastRemoval;

    public LiveEdge(IOptions<LiveEdgeOptions> options)
    {
        endedMilliseconds = options.Value.EndedPlaylistSeconds * 1000L;
        idleMilliseconds = options.Value.IdlePlaylistSeconds * 1000L;
        sweeper = TimeProvider.System.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    /// <summary>How many playlists are in memory.</summary>
    public int Count => renditions.Count;

    public void Update(PlaylistUpdate update)
    {
        var stamp = Interlocked.Increment(ref changes);
        while (true)
        {
            var rendition = renditions.GetOrAdd(update.Path, static _ => new Rendition());
            if (rendition.TrySet(update))
            {
                break;
            }

            // The sweep let it go a moment ago: a new one takes its place.
            renditions.TryRemove(KeyValuePair.Create(update.Path, rendition));
        }

        if (TryParseStream(update.Path, out var streamId))
        {
            streams.AddOrUpdate(streamId, static (_, added) => added, static (_, held, added) => Math.Max(held, added), stamp);
        }
    }

    /// <summary>The current playlist at the path, or null when it is not in memory.</summary>
    public PlaylistUpdate? Current(string path) => renditions.TryGetValue(path, out var rendition) ? rendition.Current : null;

    /// <summary>Completes when the playlist at the path changes next or leaves memory; at once when it is not in memory.</summary>
    public Task Changed(string path) => renditions.TryGetValue(path, out var rendition) ? rendition.Changed : Task.CompletedTask;

    /// <summary>
    /// A number that changes whenever a playlist of the stream that <paramref name="path"/> (<c>live/{streamId}/…</c>)
    /// belongs to is updated, or the stream leaves memory, and never comes back. The Transcoder stores a stream's
    /// files before the playlist update that follows them, so a file missing from the store cannot have appeared while
    /// this number stays the same.
    /// </summary>
    public long Version(string path) =>
        TryParseStream(path, out var streamId) && streams.TryGetValue(streamId, out var stamp) ? stamp : Volatile.Read(ref lastRemoval);

    public void Dispose() => sweeper.Dispose();

    private void Sweep()
    {
        var now = Environment.TickCount64;
        HashSet<Guid>? held = null;
        foreach (var (path, rendition) in renditions)
        {
            if (rendition.TryRetire(now, endedMilliseconds, idleMilliseconds))
            {
                renditions.TryRemove(KeyValuePair.Create(path, rendition));
            }
            else if (TryParseStream(path, out var streamId))
            {
                (held ??= []).Add(streamId);
            }
        }

        foreach (var (streamId, _) in streams)
        {
            if (held is null || !held.Contains(streamId))
            {
                // Stamped before it goes, so no reader sees this stream's old number again once it is gone.
                Volatile.Write(ref lastRemoval, Interlocked.Increment(ref changes));
                streams.TryRemove(streamId, out _);
            }
        }
    }

    private static bool TryParseStream(string path, out Guid streamId)
    {
        streamId = default;
        const string Live = "live/";
        if (!path.StartsWith(Live, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path.AsSpan(Live.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && Guid.TryParse(rest[..slash], out streamId);
    }

    private sealed class Rendition
    {
        private readonly Lock gate = new();
        private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long updatedAt = Environment.TickCount64;
        private bool retired;

        public PlaylistUpdate? Current { get; private set; }

        public Task Changed
        {
            get
            {
                lock (gate)
                {
                    return changed.Task;
                }
            }
        }

        /// <summary>Takes the update unless it is older than the one held; false when this rendition has left memory.</summary>
        public bool TrySet(PlaylistUpdate update)
        {
            TaskCompletionSource fired;
            lock (gate)
            {
                if (retired)
                {
                    return false;
                }

                if (Current is { } current && IsOlder(update.Playlist, current.Playlist))
                {
                    return true;
                }

                Current = update;
                updatedAt = Environment.TickCount64;
                fired = changed;
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            fired.SetResult();
            return true;
        }

        /// <summary>Leaves memory when ended for <paramref name="ended"/> ms, or not updated for <paramref name="idle"/> ms; waiters wake to the stored copy.</summary>
        public bool TryRetire(long now, long ended, long idle)
        {
            TaskCompletionSource fired;
            lock (gate)
            {
                if (retired || now - updatedAt < (Current is { Playlist.Ended: true } ? ended : idle))
                {
                    return false;
                }

                retired = true;
                Current = null;
                fired = changed;
            }

            fired.SetResult();
            return true;
        }

        /// <summary>
        /// Whether <paramref name="candidate"/> comes before <paramref name="current"/> in one broadcast: parts are
        /// numbered across a broadcast (its tag before each name), so the next part's number orders its updates, and an
        /// ended playlist follows the last one with the same next part. Another broadcast's update always counts.
        /// </summary>
        private static bool IsOlder(MediaPlaylist candidate, MediaPlaylist current)
        {
            if (!MediaUris.TryParsePart(candidate.NextPartUri, out var broadcast, out var number)
                || !MediaUris.TryParsePart(current.NextPartUri, out var currentBroadcast, out var currentNumber)
                || broadcast != currentBroadcast)
            {
                return false;
            }

            return number < currentNumber || (number == currentNumber && current.Ended && !candidate.Ended);
        }
    }
}

using System.Collections.Concurrent;
using Nio.Shared.LlHls;

namespace Nio.Origin.Live;

/// <summary>
/// The newest state of every live media playlist, kept in memory as the Transcoder pushes it. Requests waiting for
/// a playlist to change share one signal per playlist: an update wakes all of them at once, whatever their number.
/// An update older than the one held, of the same broadcast, is ignored: the Transcoder sends a rendition's updates
/// one at a time, but one it gave up waiting for may still be taken after the next.
/// </summary>
public sealed class LiveEdge
{
    private readonly ConcurrentDictionary<string, Rendition> renditions = new(StringComparer.Ordinal);

    public void Update(PlaylistUpdate update) => renditions.GetOrAdd(update.Path, _ => new Rendition()).Set(update);

    /// <summary>The current playlist at the path, or null when the Transcoder has not announced it.</summary>
    public PlaylistUpdate? Current(string path) => renditions.TryGetValue(path, out var rendition) ? rendition.Current : null;

    /// <summary>Completes when the playlist at the path changes next (created if unknown yet).</summary>
    public Task Changed(string path) => renditions.GetOrAdd(path, _ => new Rendition()).Changed;

    private sealed class Rendition
    {
        private readonly Lock gate = new();
        private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

        public void Set(PlaylistUpdate update)
        {
            TaskCompletionSource fired;
            lock (gate)
            {
                if (Current is { } current && IsOlder(update.Playlist, current.Playlist))
                {
                    return;
                }

                Current = update;
                fired = changed;
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            fired.SetResult();
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

using System.Collections.Concurrent;
using Nio.Shared.LlHls;

namespace Nio.Origin.Live;

/// <summary>
/// The newest state of every live media playlist, kept in memory as the Transcoder pushes it. Requests waiting for
/// a playlist to change share one signal per playlist: an update wakes all of them at once, whatever their number.
/// </summary>
public sealed class LiveEdge
{
    private readonly ConcurrentDictionary<string, Rendition> renditions = new(StringComparer.Ordinal);

    public void Update(PlaylistUpdate update) => renditions.GetOrAdd(update.Path, _ => new Rendition()).Set(update);

    /// <summary>The current playlist at the path, or null when the Transcoder has not announced it.</summary>
    public PlaylistUpdate? Current(string path) => renditions.TryGetValue(path, out var rendition) ? rendition.Current : null;

    /// <summary>
    /// Counts the broadcasts the playlist at the path has had, or null when it is unknown. A stream that goes live again
    /// restarts its file names, so whatever is kept by name must be kept per broadcast.
    /// </summary>
    public long? Broadcast(string path) => renditions.TryGetValue(path, out var rendition) && rendition.Current is not null ? rendition.Broadcast : null;

    /// <summary>Completes when the playlist at the path changes next (created if unknown yet).</summary>
    public Task Changed(string path) => renditions.GetOrAdd(path, _ => new Rendition()).Changed;

    private sealed class Rendition
    {
        private readonly Lock gate = new();
        private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PlaylistUpdate? Current { get; private set; }

        public long Broadcast { get; private set; }

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
                if (Current is { } previous && StartsAgain(previous.Playlist, update.Playlist))
                {
                    Broadcast++;
                }

                Current = update;
                fired = changed;
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            fired.SetResult();
        }

        // A new broadcast follows an ended one, or begins behind the live edge the previous one had reached.
        private static bool StartsAgain(MediaPlaylist previous, MediaPlaylist next) =>
            previous.Ended && !next.Ended || next.LastPart is { } last && previous.LastPart is { } reached && last.CompareTo(reached) < 0;
    }
}

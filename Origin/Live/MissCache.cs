using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Nio.Shared.Storage;

namespace Nio.Origin.Live;

/// <summary>How the Origin remembers names its media store does not have (section <c>Origin</c>).</summary>
public sealed class MissCacheOptions
{
    /// <summary>
    /// How long a missing name is answered 404 without asking the store again (<c>NIO_ORIGIN_MISS_CACHE_SECONDS</c>;
    /// 0: always ask). A live stream's playlist updates end it sooner: each may come with new files.
    /// </summary>
    [Range(0, 60)]
    public int MissCacheSeconds { get; set; } = 1;

    /// <summary>How many missing names are remembered at most, oldest out first (<c>NIO_ORIGIN_MISS_CACHE_ENTRIES</c>).</summary>
    [Range(1, 1_000_000)]
    public int MissCacheEntries { get; set; } = 10_000;
}

/// <summary>
/// The Origin's reads of the media store, which remember for a short while the names the store did not have: players
/// and CDNs ask again and again for what is not there (a stream that ended and was deleted, a thumbnail not made yet,
/// a part asked for ahead of the live edge), and each would otherwise cost a store read. A miss holds only while its
/// stream's playlists have not changed since (<see cref="LiveEdge.Version"/>): the Transcoder stores a stream's files
/// before the update that follows them, so a part that appears is served with the update that names it.
/// </summary>
public sealed class MissCache(IMediaStore store, LiveEdge edge, IOptions<MissCacheOptions> options)
{
    private readonly long lifetime = options.Value.MissCacheSeconds * 1000L;
    private readonly int capacity = options.Value.MissCacheEntries;
    private readonly ConcurrentDictionary<string, Miss> misses = new(StringComparer.Ordinal);
    private readonly Queue<(string Path, Miss Miss)> oldestFirst = new();
    private readonly Lock accounting = new();

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var version = edge.Version(path);
        if (misses.TryGetValue(path, out var miss) && miss.Version == version && Environment.TickCount64 < miss.Until)
        {
            return null;
        }

        var bytes = await store.ReadAsync(path, cancellationToken);
        if (bytes is null && lifetime > 0)
        {
            Remember(path, new Miss(version, Environment.TickCount64 + lifetime));
        }

        return bytes;
    }

    private void Remember(string path, Miss miss)
    {
        lock (accounting)
        {
            misses[path] = miss;
            oldestFirst.Enqueue((path, miss));
            var now = Environment.TickCount64;
            while (oldestFirst.TryPeek(out var oldest) && (oldestFirst.Count > capacity || oldest.Miss.Until <= now))
            {
                oldestFirst.Dequeue();
                // Unless the name was found missing again since: that newer miss has its own place in the queue.
                misses.TryRemove(KeyValuePair.Create(oldest.Path, oldest.Miss));
            }
        }
    }

    // Compared by reference: the queue removes only the very miss it holds.
    private sealed class Miss(long version, long until)
    {
        public long Version { get; } = version;

        public long Until { get; } = until;
    }
}

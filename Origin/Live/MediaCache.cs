using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Nio.Origin.Live;

/// <summary>How much memory the Origin keeps parts and segments in (section <c>Origin</c>).</summary>
public sealed class MediaCacheOptions
{
    public int MediaCacheMegabytes { get; set; } = 128;
}

/// <summary>
/// Parts and segments of live broadcasts in memory: every viewer of a live edge asks for the same few files, and they
/// never change once announced (their names carry the broadcast's tag), so each costs one store read and one hash
/// rather than one per request. The oldest entries leave first once the cache holds more than its bound: viewers read
/// near the live edge.
/// </summary>
public sealed class MediaCache(IOptions<MediaCacheOptions> options)
{
    private readonly long capacity = options.Value.MediaCacheMegabytes * 1024L * 1024L;
    private readonly ConcurrentDictionary<string, Task<MediaFile?>> entries = new();
    private readonly Queue<(string Key, MediaFile File)> oldestFirst = new();
    private readonly Lock accounting = new();
    private long size;

    /// <summary>
    /// The cached file, or the one <paramref name="read"/> gives (null: it does not exist, which is not kept), held for
    /// the caller, who releases it (<see cref="MediaFile.Release"/>) when its response has ended. Requests that arrive
    /// while it is read share that one read, which belongs to none of them, so none can cancel it for the others.
    /// </summary>
    public async Task<MediaFile?> GetAsync(string path, Func<Task<byte[]?>> read, CancellationToken cancellationToken)
    {
        var key = path;
        MediaFile? file;
        while (true)
        {
            if (entries.TryGetValue(key, out var cached))
            {
                file = await cached.WaitAsync(cancellationToken);
                break;
            }

            var reading = new TaskCompletionSource<MediaFile?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (entries.TryAdd(key, reading.Task))
            {
                _ = FillAsync(key, read, reading);
                file = await reading.Task.WaitAsync(cancellationToken);
                break;
            }
        }

        if (file is null || file.TryHold())
        {
            return file;
        }

        // Evicted between being read and being held (the oldest file, or one larger than the whole cache): this
        // request gets a copy of its own.
        return await read() is { } bytes ? new MediaFile(bytes) : null;
    }

    private async Task FillAsync(string key, Func<Task<byte[]?>> read, TaskCompletionSource<MediaFile?> reading)
    {
        MediaFile? file;
        try
        {
            file = await read() is { } bytes ? MediaFile.Shared(bytes) : null;
        }
        catch (Exception exception)
        {
            entries.TryRemove(key, out _);
            reading.SetException(exception);
            return;
        }

        if (file is null)
        {
            entries.TryRemove(key, out _);
        }
        else
        {
            Keep(key, file);
        }

        reading.SetResult(file);
    }

    private void Keep(string key, MediaFile file)
    {
        lock (accounting)
        {
            oldestFirst.Enqueue((key, file));
            size += file.Length;
            while (size > capacity && oldestFirst.TryDequeue(out var oldest))
            {
                entries.TryRemove(oldest.Key, out _);
                size -= oldest.File.Length;
                // Its memory and descriptor now, not when the collector finds it, unless a response still holds it.
                oldest.File.Evict();
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;

namespace Nio.Transcoder.Live;

/// <summary>
/// What every stream this Transcoder packages is doing, for <c>/healthz</c>: a stream whose media store fails or whose
/// FFmpeg keeps failing shows there (and in the log) instead of freezing silently.
/// </summary>
public sealed class StreamStates
{
    private readonly ConcurrentDictionary<Guid, StreamState> streams = new();

    /// <summary>Starts tracking a stream; <see cref="Remove"/> ends it.</summary>
    public StreamState Add(Guid streamId) => streams[streamId] = new StreamState();

    /// <summary>Stops tracking the stream, unless a newer packaging of it has replaced <paramref name="state"/>.</summary>
    public void Remove(Guid streamId, StreamState state) => streams.TryRemove(KeyValuePair.Create(streamId, state));

    public IReadOnlyDictionary<Guid, StreamState> Current => streams;
}

/// <summary>One stream's packaging state. Written by its packager, read by the health check.</summary>
public sealed class StreamState
{
    private readonly Lock gate = new();
    private string description = "waiting for the publisher";
    private DateTimeOffset? failingSince;
    private volatile bool storeFailing;
    private volatile bool packaging;

    /// <summary>Whether the stream cannot be packaged right now (its store fails, or FFmpeg is being restarted after a fault).</summary>
    public bool Failing
    {
        get
        {
            lock (gate)
            {
                return failingSince is not null;
            }
        }
    }

    /// <summary>
    /// <c>packaging</c>, <c>waiting for the publisher</c>, or what went wrong and since when: the text an operator reads.
    /// </summary>
    public override string ToString()
    {
        lock (gate)
        {
            return failingSince is { } since
                ? string.Create(CultureInfo.InvariantCulture, $"{description} (since {since:HH:mm:ss} UTC)")
                : description;
        }
    }

    /// <summary>A run of FFmpeg delivers: every failure before it is over. Cheap when nothing changes (called per part).</summary>
    public void Packaging()
    {
        if (packaging)
        {
            return;
        }

        lock (gate)
        {
            packaging = true;
            storeFailing = false;
            failingSince = null;
            description = "packaging";
        }
    }

    /// <summary>FFmpeg exited: the publisher left or is reconnecting. A failure stays reported until packaging resumes.</summary>
    public void Waiting()
    {
        lock (gate)
        {
            packaging = false;
            if (failingSince is null)
            {
                description = "waiting for the publisher";
            }
        }
    }

    /// <summary>A write to the media store failed (it is being retried).</summary>
    public void StoreFailed(string reason) => Fail($"the media store fails: {reason}", store: true);

    /// <summary>A store write went through: the store works again; packaging resumes with the next FFmpeg run.</summary>
    public void StoreWorks()
    {
        if (!storeFailing)
        {
            return;
        }

        lock (gate)
        {
            storeFailing = false;
            description = "the media store works again, restarting FFmpeg";
        }
    }

    /// <summary>FFmpeg or a packager failed: FFmpeg is restarted.</summary>
    public void Restarting(string reason) => Fail($"restarting FFmpeg after: {reason}", store: false);

    private void Fail(string text, bool store)
    {
        lock (gate)
        {
            packaging = false;
            storeFailing |= store;
            failingSince ??= DateTimeOffset.UtcNow;
            description = text;
        }
    }
}

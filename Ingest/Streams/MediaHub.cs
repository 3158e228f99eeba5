using System.Collections.Concurrent;
using Nio.Ingest.ApiLink;

namespace Nio.Ingest.Streams;

/// <summary>Owns which streams are live in this Ingest and who publishes them.</summary>
public sealed class MediaHub
{
    private readonly ConcurrentDictionary<Guid, Publication> publications = new();

    /// <summary>
    /// Makes the caller the stream's publisher. A publisher already on that stream is stopped: only the key's owner can
    /// get here, so a second publish is a reconnect (the old TCP connection may not have noticed it died yet).
    /// </summary>
    public Publication Publish(KeyOwner owner, string streamKey, Action<string> stopPublisher)
    {
        var publication = new Publication(this, owner, streamKey, stopPublisher);
        publications.AddOrUpdate(owner.StreamId, publication, (_, previous) =>
        {
            previous.Replace();
            return publication;
        });
        return publication;
    }

    /// <summary>The streams that have a publisher right now.</summary>
    public IReadOnlyCollection<Guid> LiveStreamIds => [.. publications.Keys];

    public bool TryGetStream(Guid streamId, out LiveStream stream)
    {
        var found = publications.TryGetValue(streamId, out var publication);
        stream = publication?.Stream!;
        return found;
    }

    /// <summary>Whether a publication other than this one holds its stream now: its publisher reconnected.</summary>
    public bool IsPublishedByAnother(Publication publication) =>
        publications.TryGetValue(publication.Owner.StreamId, out var current) && !ReferenceEquals(current, publication);

    internal void Remove(Publication publication) =>
        publications.TryRemove(new KeyValuePair<Guid, Publication>(publication.Owner.StreamId, publication));
}

/// <summary>One publisher's hold on a live stream, from publish until it leaves or is replaced.</summary>
public sealed class Publication(MediaHub hub, KeyOwner owner, string streamKey, Action<string> stopPublisher) : IDisposable
{
    private readonly CancellationTokenSource ended = new();

    public KeyOwner Owner { get; } = owner;

    public string StreamKey { get; } = streamKey;

    public LiveStream Stream { get; } = new(owner.StreamId);

    /// <summary>True when a newer publisher took the stream over: then this one must not report it offline.</summary>
    public bool WasReplaced { get; private set; }

    /// <summary>Cancelled when the publication ends, for work that lives as long as it (the Api heartbeat).</summary>
    public CancellationToken Ended => ended.Token;

    /// <summary>Disconnects the publisher, e.g. when the Api says its key was rotated.</summary>
    public void Stop(string reason) => stopPublisher(reason);

    internal void Replace()
    {
        WasReplaced = true;
        Stop("another publisher took the stream over");
    }

    public void Dispose()
    {
        hub.Remove(this);
        Stream.End();
        ended.Cancel();
    }
}

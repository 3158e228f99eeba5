using System.Collections.Concurrent;
using System.Net;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Media;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>Why the hub refused a publisher; each protocol tells its client in its own words.</summary>
public enum AdmissionRefusal
{
    /// <summary>The Api does not know the key, or it was revoked (RTMP: <c>NetStream.Publish.BadName</c>; WHIP: 401).</summary>
    UnknownKey,

    /// <summary>The client's address had too many keys refused lately; the Api was not asked (WHIP: 429).</summary>
    TooManyRefusedKeys,

    /// <summary>The Api could not be reached or did not answer in time: the client may try again (WHIP: 503).</summary>
    KeyCheckUnavailable,
}

/// <summary>The hub's answer to a publisher: its publication, or why there is none.</summary>
public readonly record struct Admission(Publication? Publication, AdmissionRefusal? Refusal);

/// <summary>
/// Owns which streams are live in this Ingest and who publishes them, for every protocol: checks the stream key with
/// the Api (and how many an address had refused), makes the admitted publisher the stream's only one, keeps the Api told
/// it is live until it leaves, and tells the Transcoder (<see cref="Watch"/>) which streams are live and what they carry.
/// </summary>
public sealed partial class MediaHub(ApiClient api, LiveReporter reporter, RefusedKeys refusedKeys, ILogger<MediaHub> logger)
{
    /// <summary>Longer keys are refused without asking the Api; NIO's are 47 characters.</summary>
    public const int MaxStreamKeyLength = 256;

    private readonly ConcurrentDictionary<Guid, Publication> publications = new();
    private readonly Lock changeGate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Admits a publisher of <paramref name="streamKey"/> from <paramref name="client"/>: on success it is the stream's
    /// publisher (one already on that stream is stopped, see <see cref="Publish"/>) and the Api hears that it is live.
    /// The publisher feeds its media into the publication and disposes it when it leaves.
    /// </summary>
    /// <param name="stopPublisher">
    /// Disconnects the publisher, with the reason (taken over, key rotated, stream ended); it must not wait for the
    /// publication's disposal, which waits for the Api reports that may be calling it.
    /// </param>
    public async Task<Admission> AdmitAsync(string streamKey, IPAddress client, Action<string> stopPublisher, CancellationToken cancellationToken)
    {
        if (!refusedKeys.MayCheck(client))
        {
            return new Admission(null, AdmissionRefusal.TooManyRefusedKeys);
        }

        KeyOwner? owner;
        try
        {
            owner = streamKey.Length is > 0 and <= MaxStreamKeyLength ? await api.AuthorizeAsync(streamKey, cancellationToken) : null;
        }
        catch (HttpRequestException exception)
        {
            LogApiUnavailable(exception.Message);
            return new Admission(null, AdmissionRefusal.KeyCheckUnavailable);
        }

        if (owner is null)
        {
            refusedKeys.Refused(client);
            return new Admission(null, AdmissionRefusal.UnknownKey);
        }

        var publication = Publish(owner, streamKey, stopPublisher);
        publication.Reporting = reporter.RunAsync(publication);
        return new Admission(publication, null);
    }

    /// <summary>
    /// Makes the caller the stream's publisher. A publisher already on that stream is stopped: only the key's owner can
    /// get here, so a second publish is a reconnect (the old connection may not have noticed it died yet).
    /// </summary>
    private Publication Publish(KeyOwner owner, string streamKey, Action<string> stopPublisher)
    {
        var publication = new Publication(this, owner, streamKey, stopPublisher);
        publications.AddOrUpdate(owner.StreamId, publication, (_, previous) =>
        {
            previous.Replace();
            return publication;
        });
        Changed();
        return publication;
    }

    /// <summary>The streams that have a publisher right now, with their codecs once known.</summary>
    public LiveSources LiveSources => new([.. publications.Values.Select(p => new LiveSource(p.Owner.StreamId, p.Stream.Codecs))]);

    /// <summary>The live streams now, and a task that completes at their next change.</summary>
    public (LiveSources Now, Task Changed) Watch()
    {
        lock (changeGate)
        {
            return (LiveSources, changed.Task);
        }
    }

    public bool TryGetStream(Guid streamId, out LiveStream stream)
    {
        var found = publications.TryGetValue(streamId, out var publication);
        stream = publication?.Stream!;
        return found;
    }

    /// <summary>Whether a publication other than this one holds its stream now: its publisher reconnected.</summary>
    internal bool IsPublishedByAnother(Publication publication) =>
        publications.TryGetValue(publication.Owner.StreamId, out var current) && !ReferenceEquals(current, publication);

    internal void Remove(Publication publication)
    {
        if (publications.TryRemove(new KeyValuePair<Guid, Publication>(publication.Owner.StreamId, publication)))
        {
            Changed();
        }
    }

    internal void Changed()
    {
        lock (changeGate)
        {
            changed.TrySetResult();
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream key check failed: the Api is unreachable ({Reason})")]
    private partial void LogApiUnavailable(string reason);
}

/// <summary>
/// One publisher's hold on a live stream, from admission until it leaves or is replaced: the publisher writes its media
/// into it (<see cref="IMediaSink"/>) and disposes it when it leaves.
/// </summary>
public sealed class Publication : IMediaSink, IAsyncDisposable
{
    private readonly MediaHub hub;
    private readonly Action<string> stopPublisher;
    private readonly CancellationTokenSource ended = new();
    private int disposed;

    internal Publication(MediaHub hub, KeyOwner owner, string streamKey, Action<string> stopPublisher)
    {
        this.hub = hub;
        this.stopPublisher = stopPublisher;
        Owner = owner;
        StreamKey = streamKey;
        Stream = new LiveStream(owner.StreamId, hub.Changed);
    }

    public KeyOwner Owner { get; }

    public string StreamKey { get; }

    public LiveStream Stream { get; }

    /// <summary>True when a newer publisher took the stream over: then this one must not report it offline.</summary>
    public bool WasReplaced { get; private set; }

    /// <summary>Whether another publication holds the stream now (its publisher came back on a new connection).</summary>
    public bool IsSuperseded => hub.IsPublishedByAnother(this);

    /// <summary>Cancelled when the publication ends, for work that lives as long as it (the Api heartbeat).</summary>
    public CancellationToken Ended => ended.Token;

    /// <summary>The live reports to the Api, which end with the offline report once the publication ends.</summary>
    internal Task Reporting { get; set; } = Task.CompletedTask;

    public void SetFormat(TrackFormat format) => Stream.SetFormat(format);

    public void Write(AccessUnit unit) => Stream.Write(unit);

    public void Declare(PublisherMetadata metadata) => Stream.Declare(metadata);

    /// <summary>Disconnects the publisher, e.g. when the Api says its key was rotated.</summary>
    public void Stop(string reason) => stopPublisher(reason);

    internal void Replace()
    {
        WasReplaced = true;
        Stop("another publisher took the stream over");
    }

    /// <summary>The publisher left: the stream ends for its readers, and the Api hears it went offline (unless taken over).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        hub.Remove(this);
        Stream.End();
        await ended.CancelAsync();
        await Reporting;
    }
}

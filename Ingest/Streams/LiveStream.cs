using System.Threading.Channels;
using Nio.Ingest.Codecs;
using Nio.Ingest.Media;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>
/// One live stream's media as it arrives from its publisher, whatever the protocol, fanned out to readers as access
/// units. Each reader has its own bounded queue: a reader that falls too far behind is disconnected (it may reconnect)
/// and never slows the publisher. A reader that joins gets the declared metadata, the current track formats and the
/// current group of pictures first, so its decoder can start at once.
/// </summary>
/// <param name="codecsKnown">Called once, outside the lock, when <see cref="Codecs"/> becomes known.</param>
public sealed class LiveStream(Guid id, Action? codecsKnown = null) : IMediaSink
{
    public const int ReaderQueueLength = 1024;
    private const int MaxCachedGopBytes = 16 * 1024 * 1024;

    private readonly Lock gate = new();
    private readonly List<Channel<AccessUnit>> readers = [];
    private readonly List<AccessUnit> gop = [];
    private readonly StreamHealthMeter health = new();
    private long gopBytes;
    private PublisherMetadata metadata = PublisherMetadata.None;
    private TrackFormat? videoFormat;
    private TrackFormat? audioFormat;
    private bool ended;
    private string? firstAudioCodec;
    private string? firstVideoCodec;

    public Guid Id { get; } = id;

    /// <summary>
    /// The codecs of the first audio and video tracks, known once the first video frame has arrived: publishers
    /// configure their tracks before any frame, so by then an audio track has shown itself if there is one.
    /// </summary>
    public SourceCodecs? Codecs { get; private set; }

    public void SetFormat(TrackFormat format)
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            health.ObserveFormat(format);
            if (format.Kind == MediaKind.Video)
            {
                firstVideoCodec ??= format.Codec;
                videoFormat = format;
            }
            else
            {
                firstAudioCodec ??= format.Codec;
                audioFormat = format;
            }
        }
    }

    public void Declare(PublisherMetadata declared)
    {
        lock (gate)
        {
            metadata = declared;
        }
    }

    /// <summary>Relays the unit to every reader and keeps what joining readers need; the caller keeps its own reference.</summary>
    public void Write(AccessUnit unit)
    {
        var announce = false;
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            health.Observe(unit, Environment.TickCount64);
            if (unit.Kind == MediaKind.Video && Codecs is null)
            {
                Codecs = new SourceCodecs(firstVideoCodec ?? unit.Format.Codec, firstAudioCodec, metadata.Height, metadata.FrameRate);
                announce = true;
            }

            Remember(unit);
            for (var i = readers.Count - 1; i >= 0; i--)
            {
                if (!readers[i].Writer.TryWrite(unit.Retain()))
                {
                    unit.Release();
                    readers[i].Writer.TryComplete(new ReaderTooSlowException());
                    readers.RemoveAt(i);
                }
            }
        }

        if (announce)
        {
            codecsKnown?.Invoke();
        }
    }

    /// <summary>What the media received so far says about the stream's health, with the last codec configuration that was not understood.</summary>
    public (StreamHealthReport Report, CodecConfigException? ConfigError) Health()
    {
        lock (gate)
        {
            return (health.Snapshot(Environment.TickCount64), health.LastConfigError);
        }
    }

    /// <summary>
    /// Joins the stream: what a decoder needs first, then every unit that follows, until the stream ends. Each unit
    /// handed out is retained for the reader, who releases it once written; disposing the subscription leaves the stream.
    /// </summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<AccessUnit>(new BoundedChannelOptions(ReaderQueueLength)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (gate)
        {
            var start = gop.Select(unit => unit.Retain()).ToList();
            if (ended)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                readers.Add(channel);
            }

            return new Subscription(this, metadata, new[] { videoFormat, audioFormat }.OfType<TrackFormat>().ToList(), start, channel);
        }
    }

    /// <summary>The publisher is gone: readers finish what they have and end, and the cached units go back to the pool.</summary>
    public void End()
    {
        lock (gate)
        {
            ended = true;
            foreach (var reader in readers)
            {
                reader.Writer.TryComplete();
            }

            readers.Clear();
            ClearGop();
        }
    }

    private void Leave(Channel<AccessUnit> channel)
    {
        lock (gate)
        {
            readers.Remove(channel);
        }

        // Nothing writes to the channel any more: what the reader did not take is released here.
        while (channel.Reader.TryRead(out var unit))
        {
            unit.Release();
        }
    }

    private void Remember(AccessUnit unit)
    {
        var keyframe = unit.Kind == MediaKind.Video && unit.Keyframe;
        if (keyframe || gopBytes + unit.Data.Length > MaxCachedGopBytes)
        {
            ClearGop();
        }

        // Until the first keyframe there is nothing a joining decoder could start from.
        if (gop.Count > 0 || keyframe || videoFormat is null)
        {
            gop.Add(unit.Retain());
            gopBytes += unit.Data.Length;
        }
    }

    private void ClearGop()
    {
        foreach (var unit in gop)
        {
            unit.Release();
        }

        gop.Clear();
        gopBytes = 0;
    }

    /// <summary>One reader's place in the stream: what to start with, then the live units.</summary>
    public sealed class Subscription(
        LiveStream stream, PublisherMetadata metadata, IReadOnlyList<TrackFormat> formats, IReadOnlyList<AccessUnit> start, Channel<AccessUnit> channel)
        : IDisposable
    {
        public PublisherMetadata Metadata { get; } = metadata;

        /// <summary>Each track's format when the reader joined.</summary>
        public IReadOnlyList<TrackFormat> Formats { get; } = formats;

        /// <summary>The current group of pictures, from its keyframe.</summary>
        public IReadOnlyList<AccessUnit> Start { get; } = start;

        public ChannelReader<AccessUnit> Live => channel.Reader;

        public void Dispose() => stream.Leave(channel);
    }
}

/// <summary>Ends a reader whose queue filled up.</summary>
public sealed class ReaderTooSlowException() : Exception("The reader fell too far behind the live stream.");

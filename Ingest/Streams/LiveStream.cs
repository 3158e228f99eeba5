using System.Threading.Channels;
using Nio.Ingest.Codecs;
using Nio.Ingest.Rtmp;
using Nio.Shared.Media;

namespace Nio.Ingest.Streams;

/// <summary>
/// One live stream's media as it arrives from its publisher, fanned out to readers. Each reader has its own bounded
/// queue: a reader that falls too far behind is disconnected (it may reconnect) and never slows the publisher.
/// A reader that joins gets the metadata, the sequence headers and the current group of pictures first, so its
/// decoder can start at once.
/// </summary>
public sealed class LiveStream(Guid id)
{
    public const int ReaderQueueLength = 1024;
    private const int MaxCachedGopBytes = 16 * 1024 * 1024;

    private readonly Lock gate = new();
    private readonly List<Channel<MediaTag>> readers = [];
    private readonly List<MediaTag> gop = [];
    private readonly StreamHealthMeter health = new();
    private long gopBytes;
    private MediaTag? metadata;
    private MediaTag? videoHeader;
    private MediaTag? audioHeader;
    private bool ended;
    private string? firstAudioCodec;
    private string? firstVideoCodec;

    public Guid Id { get; } = id;

    public bool HasAudio { get; private set; }

    public bool HasVideo { get; private set; }

    /// <summary>
    /// The codecs of the first audio and video tags, known once the first video frame has arrived: publishers send
    /// their sequence headers before any frame, so by then an audio track has shown itself if there is one.
    /// </summary>
    public SourceCodecs? Codecs { get; private set; }

    /// <summary>
    /// The picture's <c>height</c> and <c>framerate</c> an <c>onMetaData</c> script tag declares, each only when plausible.
    /// </summary>
    public static (int? Height, double? FrameRate) Declared(MediaTag? metadata)
    {
        try
        {
            if (metadata is null || Amf0.ReadAll(metadata.Payload) is not ["onMetaData", IReadOnlyDictionary<string, object?> values, ..])
            {
                return (null, null);
            }

            int? height = values.TryGetValue("height", out var h) && h is double pixels && pixels is >= 1 and <= 16384 ? (int)pixels : null;
            double? frameRate = values.TryGetValue("framerate", out var f) && f is double fps && fps is >= 1 and <= 240 ? fps : null;
            return (height, frameRate);
        }
        catch (RtmpProtocolException)
        {
            // Malformed metadata declares nothing; the media itself is still good.
            return (null, null);
        }
    }

    /// <summary>Relays the tag to every reader and keeps what joining readers need; the caller keeps its own reference.</summary>
    public void Write(MediaTag tag)
    {
        lock (gate)
        {
            if (ended)
            {
                return;
            }

            health.Observe(tag, Environment.TickCount64);
            Remember(tag);
            for (var i = readers.Count - 1; i >= 0; i--)
            {
                if (!readers[i].Writer.TryWrite(tag.Retain()))
                {
                    tag.Release();
                    readers[i].Writer.TryComplete(new ReaderTooSlowException());
                    readers.RemoveAt(i);
                }
            }
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
    /// Joins the stream: the tags a decoder needs first, then every tag that follows, until the stream ends. Each tag
    /// handed out is retained for the reader, who releases it once written; disposing the subscription leaves the stream.
    /// </summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<MediaTag>(new BoundedChannelOptions(ReaderQueueLength)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        lock (gate)
        {
            var start = new List<MediaTag>();
            if (metadata is not null)
            {
                start.Add(metadata.Retain());
            }

            start.AddRange(new[] { videoHeader, audioHeader }.OfType<MediaTag>().Select(tag => tag.Retain()));
            start.AddRange(gop.Select(tag => tag.Retain()));
            if (ended)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                readers.Add(channel);
            }

            return new Subscription(this, start, channel);
        }
    }

    /// <summary>The publisher is gone: readers finish what they have and end, and the cached tags go back to the pool.</summary>
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
            Replace(ref metadata, null);
            Replace(ref videoHeader, null);
            Replace(ref audioHeader, null);
            ClearGop();
        }
    }

    private void Leave(Channel<MediaTag> channel)
    {
        lock (gate)
        {
            readers.Remove(channel);
        }

        // Nothing writes to the channel any more: what the reader did not take is released here.
        while (channel.Reader.TryRead(out var tag))
        {
            tag.Release();
        }
    }

    private void Remember(MediaTag tag)
    {
        HasAudio |= tag.Type == MediaTag.AudioType;
        HasVideo |= tag.Type == MediaTag.VideoType;
        if (tag.Type == MediaTag.AudioType)
        {
            firstAudioCodec ??= tag.Codec;
        }
        else if (tag.Type == MediaTag.VideoType)
        {
            firstVideoCodec ??= tag.Codec;
            if (!tag.IsSequenceHeader)
            {
                var (height, frameRate) = Declared(metadata);
                Codecs ??= new SourceCodecs(firstVideoCodec!, firstAudioCodec, height, frameRate);
            }
        }

        if (tag.Type == MediaTag.ScriptType)
        {
            Replace(ref metadata, tag);
        }
        else if (tag.IsSequenceHeader)
        {
            if (tag.Type == MediaTag.VideoType)
            {
                Replace(ref videoHeader, tag);
            }
            else
            {
                Replace(ref audioHeader, tag);
            }
        }
        else
        {
            if (tag.IsVideoKeyframe || gopBytes + tag.Payload.Length > MaxCachedGopBytes)
            {
                ClearGop();
            }

            // Until the first keyframe there is nothing a joining decoder could start from.
            if (gop.Count > 0 || tag.IsVideoKeyframe || !HasVideo)
            {
                gop.Add(tag.Retain());
                gopBytes += tag.Payload.Length;
            }
        }
    }

    private static void Replace(ref MediaTag? cached, MediaTag? tag)
    {
        cached?.Release();
        cached = tag?.Retain();
    }

    private void ClearGop()
    {
        foreach (var tag in gop)
        {
            tag.Release();
        }

        gop.Clear();
        gopBytes = 0;
    }

    /// <summary>One reader's place in the stream: the tags to start with, then the live ones.</summary>
    public sealed class Subscription(LiveStream stream, IReadOnlyList<MediaTag> start, Channel<MediaTag> channel) : IDisposable
    {
        public IReadOnlyList<MediaTag> Start { get; } = start;

        public ChannelReader<MediaTag> Live => channel.Reader;

        public void Dispose() => stream.Leave(channel);
    }
}

/// <summary>Ends a reader whose queue filled up.</summary>
public sealed class ReaderTooSlowException() : Exception("The reader fell too far behind the live stream.");

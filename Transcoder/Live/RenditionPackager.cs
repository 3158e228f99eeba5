using System.Buffers;
using System.IO.Pipelines;
using Nio.Shared.Storage;
using Nio.Transcoder.Fmp4;
using Nio.Shared.LlHls;
using Nio.Transcoder.Retention;

namespace Nio.Transcoder.Live;

/// <summary>Publishes a rendition's new playlist; with <paramref name="storeCopy"/>, its stored copy too.</summary>
public delegate Task PlaylistPublisher(RenditionPackager changed, bool storeCopy, CancellationToken cancellationToken);

/// <summary>
/// One rendition's packaging: reads FFmpeg's fragmented MP4, cuts parts and segments, and stores each file before
/// the playlist that names it. Its segmenter outlives FFmpeg restarts, so the playlist goes on across them. Files no
/// playlist names any more go to <paramref name="retention"/>, which has them deleted or kept.
/// </summary>
/// <param name="broadcast">The tag of this broadcast in every part and segment name (<see cref="MediaUris"/>).</param>
/// <param name="partTargetSeconds">The broadcast's PART-TARGET (<see cref="PartTiming"/>).</param>
public sealed partial class RenditionPackager(
    Rendition rendition, string prefix, string broadcast, IMediaStore store, LadderOptions options, double partTargetSeconds, ILogger logger,
    BroadcastRetention? retention = null)
{
    /// <summary>
    /// How many fragments without video wait for the next one with some: a few when FFmpeg's audio runs ahead, about
    /// two seconds of them. When the video stops and the sound goes on, only the newest wait and the older are dropped.
    /// </summary>
    public const int MaxFragmentsWithoutVideo = 10;

    private readonly List<ReadOnlyMemory<byte>> audioOnly = [];
    private readonly TaskCompletionSource<double> keyframesTooFarApart = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<RecordedSegment> recorded = [];
    private Segmenter? segmenter;
    private bool playlistStored;
    private bool droppingAudio;
    private int run = -1;

    // Parts of segments below this sequence number have been handed to retention.
    private long partsExpiredBefore;
    private uint videoTrackId;
    private uint videoTimescale;
    private double frameRate;
    private double seconds;
    private double peakBitsPerSecond;
    private long totalBytes;

    public Rendition Rendition { get; } = rendition;

    public string Folder => $"{prefix}/{Rendition.Name}";

    public string PlaylistPath => $"{Folder}/{MediaUris.Playlist}";

    /// <summary>Every segment of the broadcast so far, as its recording lists them.</summary>
    public IReadOnlyList<RecordedSegment> Recorded => recorded;

    public MediaPlaylist? Playlist => segmenter?.Playlist;

    /// <summary>
    /// Completes the first time a segment has to close without a keyframe (this rendition's keyframes are further
    /// apart than a segment may last), with how long the video had gone without one.
    /// </summary>
    public Task<double> KeyframesTooFarApart => keyframesTooFarApart.Task;

    /// <summary>The init segment of the current FFmpeg run, once it has arrived.</summary>
    public InitSegment? Init { get; private set; }

    /// <summary>Measured from complete segments: what the multivariant playlist advertises.</summary>
    public (long Peak, long Average, double FrameRate)? Measured =>
        seconds > 0 ? ((long)peakBitsPerSecond, (long)(totalBytes * 8 / seconds), frameRate) : null;

    /// <summary>
    /// Packages one FFmpeg run's output (<paramref name="reader"/>, fragmented MP4) until it ends, or until its pending
    /// read is cancelled (the run was given up); <paramref name="onPlaylist"/> publishes each new playlist.
    /// </summary>
    public async Task RunAsync(PipeReader reader, PlaylistPublisher onPlaylist, CancellationToken cancellationToken)
    {
        Init = null;
        if (segmenter is not null && segmenter.Playlist.LastPart is not null)
        {
            await PublishAsync(segmenter.Discontinuity(DateTimeOffset.UtcNow), onPlaylist, cancellationToken);
        }

        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                {
                    // The run was given up after a fault: what is still buffered is stale, the next run starts afresh.
                    return;
                }

                var (consumed, init, fragments) = Parse(result.Buffer);
                reader.AdvanceTo(result.Buffer.GetPosition(consumed), result.Buffer.End);
                if (init is not null)
                {
                    await StartAsync(init, cancellationToken);
                }

                foreach (var fragment in fragments)
                {
                    await AppendAsync(fragment, onPlaylist, cancellationToken);
                }

                if (result.IsCompleted)
                {
                    // What is left is FFmpeg's closing index (mfra), not media.
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>The stream is over: the last segment closes and the playlist gets EXT-X-ENDLIST.</summary>
    public async Task EndAsync(PlaylistPublisher onPlaylist, CancellationToken cancellationToken)
    {
        if (segmenter is not null && !segmenter.Playlist.Ended)
        {
            await PublishAsync(segmenter.End(), onPlaylist, cancellationToken);
        }
    }

    private (long Consumed, InitSegment? Init, List<MediaFragment> Fragments) Parse(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        InitSegment? init = null;
        var fragments = new List<MediaFragment>();
        if (Init is null)
        {
            if (!Fmp4Reader.TryReadInitSegment(ref reader, out init))
            {
                return (reader.Consumed, null, fragments);
            }
        }

        var current = init ?? Init!;
        while (Fmp4Reader.TryReadFragment(ref reader, current, out var fragment))
        {
            fragments.Add(fragment);
        }

        return (reader.Consumed, init, fragments);
    }

    private async Task StartAsync(InitSegment init, CancellationToken cancellationToken)
    {
        var video = init.Tracks.OfType<VideoTrack>().FirstOrDefault()
            ?? throw new Fmp4FormatException(Fmp4Error.MissingBox, "the rendition has no video track");
        videoTrackId = video.TrackId;
        videoTimescale = video.Timescale;
        audioOnly.Clear();
        segmenter ??= new Segmenter(
            new SegmenterOptions
            {
                PartTarget = TimeSpan.FromSeconds(partTargetSeconds),
                SegmentTarget = TimeSpan.FromSeconds(options.SegmentTargetSeconds),
                Broadcast = broadcast,
            },
            video.Timescale,
            DateTimeOffset.UtcNow);
        // Playlists, live and recorded, name each run's own init; init.mp4 is always the current run's.
        run++;
        await store.WriteAsync($"{Folder}/{MediaUris.RunInit(broadcast, run)}", init.Bytes, "video/mp4", cancellationToken);
        await store.WriteAsync($"{Folder}/{MediaUris.Init}", init.Bytes, "video/mp4", cancellationToken);
        segmenter.InitUri = MediaUris.RunInit(broadcast, run);
        Init = init;
    }

    private async Task AppendAsync(MediaFragment fragment, PlaylistPublisher onPlaylist, CancellationToken cancellationToken)
    {
        // The video track drives the cuts. A fragment with no video (FFmpeg's audio may run ahead) rides along with
        // the next part that has some, so no audio is lost while the video keeps coming.
        if (fragment.FindTrack(videoTrackId) is not { Duration: > 0 } video || segmenter is null)
        {
            if (audioOnly.Count == MaxFragmentsWithoutVideo)
            {
                audioOnly.RemoveAt(0);
                if (!droppingAudio)
                {
                    droppingAudio = true;
                    LogAudioWithoutVideo(Folder);
                }
            }

            audioOnly.Add(fragment.Bytes);
            return;
        }

        droppingAudio = false;
        var bytes = fragment.Bytes;
        if (audioOnly.Count > 0)
        {
            bytes = Concatenate([.. audioOnly, fragment.Bytes]);
            audioOnly.Clear();
        }

        var update = segmenter.Append(SegmenterTicks(video.BaseMediaDecodeTime), SegmenterTicks(video.Duration), fragment.IsIndependent, bytes);
        if (update.CompletedPart is null)
        {
            LogFragmentTooLong(Folder, (double)video.Duration / videoTimescale);
            return;
        }

        if (update.SecondsWithoutKeyframe is { } seconds)
        {
            keyframesTooFarApart.TrySetResult(seconds);
        }

        await PublishAsync(update, onPlaylist, cancellationToken);
        if (video.SampleCount >= 5)
        {
            // From a whole steady fragment: the first frames of a stream often carry odd durations.
            frameRate = video.SampleCount * (double)videoTimescale / video.Duration;
        }
    }

    /// <summary>
    /// The segmenter counts in the first run's timescale; a later run's may differ (a source re-encoded after it was
    /// copied: 16 kHz became 15,360 Hz, and parts were listed 4 % short).
    /// </summary>
    private long SegmenterTicks(long ticks) => (long)((Int128)ticks * segmenter!.Timescale / videoTimescale);

    private static byte[] Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        var bytes = new byte[pieces.Sum(p => p.Length)];
        var offset = 0;
        foreach (var piece in pieces)
        {
            piece.CopyTo(bytes.AsMemory(offset));
            offset += piece.Length;
        }

        return bytes;
    }

    private async Task PublishAsync(SegmenterUpdate update, PlaylistPublisher onPlaylist, CancellationToken cancellationToken)
    {
        if (update.CompletedPart is { } part)
        {
            await store.WriteAsync($"{Folder}/{part.Part.Uri}", part.Bytes, "video/mp4", cancellationToken);
        }

        if (update.CompletedSegment is { } segment)
        {
            var bytes = Concatenate(segment.Parts);
            await store.WriteAsync($"{Folder}/{segment.Segment.Uri}", bytes, "video/mp4", cancellationToken);
            recorded.Add(new RecordedSegment(
                segment.Segment.Uri, segment.Segment.Duration, segment.Segment.ProgramDateTime, segment.Segment.Discontinuity, MediaUris.RunInit(broadcast, run)));
            seconds += segment.Segment.Duration;
            totalBytes += bytes.Length;
            peakBitsPerSecond = Math.Max(peakBitsPerSecond, bytes.Length * 8 / Math.Max(segment.Segment.Duration, 0.001));
        }

        // Players get every change from the Origin, which is pushed each one; the stored copy, which only an Origin
        // that lost its memory (or a player of an Origin without pushes) reads, follows segments: a new file a
        // second instead of one a part was most of the packager's CPU (replacing a file costs ext4 an inode).
        var storeDue = update.CompletedSegment is not null || update.Removed.Count > 0 || update.Playlist.Ended || !playlistStored;
        await onPlaylist(this, storeDue, cancellationToken);
        playlistStored |= storeDue;
        if (storeDue && retention is not null)
        {
            // Only what the stored playlist no longer names either leaves: the stored copy may be a segment behind.
            Expire(update, retention);
        }
    }

    /// <summary>Hands retention what the playlist just published no longer names: segments that left the window, and parts before the part window.</summary>
    private void Expire(SegmenterUpdate update, BroadcastRetention retention)
    {
        var playlist = update.Playlist;
        var partsNamedFrom = playlist.MediaSequence + playlist.FirstSegmentWithParts;
        var partsLeft = update.Removed.Concat(playlist.Segments.Take(playlist.FirstSegmentWithParts))
            .Where(segment => segment.SequenceNumber >= partsExpiredBefore && segment.SequenceNumber < partsNamedFrom)
            .SelectMany(segment => segment.Parts)
            .Select(Path)
            .ToList();
        partsExpiredBefore = Math.Max(partsExpiredBefore, partsNamedFrom);
        retention.PartsLeft(partsLeft);
        retention.SegmentsLeft([.. update.Removed.Select(removed => $"{Folder}/{removed.Uri}")]);
    }

    /// <summary>The ended broadcast's media still in the store: the last window's segments, their parts not yet handed over, every run's init.</summary>
    public IReadOnlyList<string> RemainingMedia()
    {
        var window = segmenter?.Playlist.Segments ?? [];
        return
        [
            .. window.Select(segment => $"{Folder}/{segment.Uri}"),
            .. window.Where(segment => segment.SequenceNumber >= partsExpiredBefore).SelectMany(segment => segment.Parts).Select(Path),
            .. Enumerable.Range(0, run + 1).Select(i => $"{Folder}/{MediaUris.RunInit(broadcast, i)}"),
        ];
    }

    private string Path(Part part) => $"{Folder}/{part.Uri}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Folder}: no video for a while (the publisher stopped sending it?): sound is dropped until it comes back")]
    private partial void LogAudioWithoutVideo(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Folder}: a fragment of {Seconds} s is longer than a segment may last and is left out")]
    private partial void LogFragmentTooLong(string folder, double seconds);
}

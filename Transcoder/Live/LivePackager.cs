using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Nio.Shared.Hosting;
using Nio.Shared.LlHls;
using Nio.Shared.Media;
using Nio.Shared.Storage;
using Nio.Transcoder.Retention;
using Nio.Transcoder.Thumbnails;

namespace Nio.Transcoder.Live;

/// <summary>
/// Turns one live stream into LL-HLS in the media store: one FFmpeg process makes every rendition and the thumbnails,
/// one <see cref="RenditionPackager"/> per rendition packages it. If FFmpeg exits while the stream is still live (it
/// crashed, or the publisher reconnected), it is started again and every playlist continues after a discontinuity.
/// With <paramref name="retention"/>, files that leave the playlists are deleted later by the Api, and a recorded
/// stream's broadcast is added to its recording when it ends. A copied source whose keyframes come further apart than
/// a segment may last is re-encoded, from a new FFmpeg run, for the rest of the broadcast; <paramref name="encoding"/>
/// hears of it.
/// </summary>
/// <remarks>
/// FFmpeg and every task reading its outputs are watched together: when a packager fails (a malformed fragment) or a
/// store write fails (a full disk, an unreachable S3 server), FFmpeg is stopped at once, since it would otherwise block
/// on the pipe nobody reads or fill memory with media that can no longer be stored. The failed write goes on being
/// retried (<see cref="RetryingMediaStore"/>) while the stream stays live, and FFmpeg starts again once it went
/// through: the stream recovers by itself when the store does, and says meanwhile what is wrong
/// (<paramref name="states"/>, the log).
/// </remarks>
public sealed partial class LivePackager(
    IMediaStore store, IOptions<LadderOptions> ladder, ILogger<LivePackager> logger, IPlaylistListener? listener = null,
    IThumbnailListener? thumbnails = null, IMediaRetention? retention = null, StreamStates? states = null,
    ISourceEncodingListener? encoding = null)
{
    // A run that fails sooner than this after it started is not restarted at once: an input FFmpeg cannot read, or a
    // store that fails again, would otherwise start a process several times a second.
    private static readonly TimeSpan SteadyRun = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRestartDelay = TimeSpan.FromSeconds(4);

    // FFmpeg prints a line per broken packet: at most this many lines a stream per window reach the log.
    private const int FfmpegLinesPerWindow = 20;
    private static readonly TimeSpan FfmpegLogWindow = TimeSpan.FromSeconds(10);

    private readonly LadderOptions options = ladder.Value;

    /// <summary>Store paths of a stream's files: <c>live/{streamId}/…</c>, as the Origin serves them.</summary>
    public static string Prefix(Guid streamId) => $"live/{streamId}";

    /// <summary>The stream's thumbnail in the store, refreshed every <see cref="LadderOptions.ThumbnailIntervalSeconds"/>.</summary>
    public static string ThumbnailPath(Guid streamId) => $"{Prefix(streamId)}/{StreamFiles.Thumbnail}";

    /// <param name="openInput">Opens the stream's media (the Ingest's FLV or Matroska) for one FFmpeg run, which reads it to its end.</param>
    /// <param name="codecs">
    /// Asks the Ingest what the stream carries now: null while it has no publisher (or no video yet). Asked before
    /// every FFmpeg run, so a publisher that comes back with other codecs gets the ladder they need.
    /// </param>
    public async Task RunAsync(
        Guid streamId, Func<CancellationToken, Task<Stream>> openInput, Func<CancellationToken, Task<SourceCodecs?>> codecs, CancellationToken cancellationToken)
    {
        var tracked = states ?? new StreamStates();
        var state = tracked.Add(streamId);
        try
        {
            await PackageAsync(new PackagedStream(streamId, openInput, codecs, state), cancellationToken);
        }
        finally
        {
            tracked.Remove(streamId, state);
        }
    }

    private async Task PackageAsync(PackagedStream stream, CancellationToken cancellationToken)
    {
        SourceCodecs? source;
        try
        {
            source = await WaitForSourceAsync(stream.Codecs, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            source = null;
        }

        if (source is null)
        {
            LogNeverStarted(stream.Id);
            return;
        }

        var streamId = stream.Id;
        var prefix = Prefix(streamId);
        // The broadcast's tag in its file names: when it started, in hexadecimal milliseconds.
        var broadcast = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
        var broadcastRetention = retention is null ? null : new BroadcastRetention(streamId, retention);
        using var deciding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decision = broadcastRetention?.DecideAsync(deciding.Token) ?? Task.CompletedTask;
        // Store writes are retried while the stream is live: this ends when it is not (shut down, or its publisher left
        // for good while a write still waited for the store).
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var mediaStore = new RetryingMediaStore(store, stream.State, stream.Fault.Signal);
        // The ladder and PART-TARGET are fixed for the whole broadcast (the playlists must not change under players).
        var partTarget = PartTiming.TargetSeconds(options.PartTargetSeconds, source.FrameRate);
        var renditions = FfmpegLadder.Renditions(source, options.Renditions)
            .Select(r => new RenditionPackager(r, prefix, broadcast, mediaStore, options, partTarget, logger, broadcastRetention)).ToList();
        var sourceRendition = renditions.FirstOrDefault(r => r.Rendition.IsSource);
        // Set once the copied source turned out to have keyframes too far apart: every later run re-encodes it.
        double? secondsWithoutKeyframe = null;
        // One push lane per rendition: a rendition's changes reach the Origin in order and never wait for another's.
        await using var pushes = listener is null ? null : new PlaylistPushes(listener, logger);
        var master = new MasterPlaylist(prefix, renditions, mediaStore, pushes);
        var thumbnail = new ThumbnailWriter(streamId, ThumbnailPath(streamId), mediaStore, thumbnails);
        PlaylistPublisher publish = async (changed, storeCopy, token) =>
        {
            await master.PublishAsync(changed, storeCopy, token);
            stream.State.Packaging();
        };
        // Runs in a row that failed soon after they started.
        var quickFailures = 0;
        try
        {
            do
            {
                if (quickFailures > 0)
                {
                    await Task.Delay(Backoff.Delay(quickFailures, FirstRestartDelay, LongestRestartDelay), live.Token);
                }

                LogFfmpegStarting(streamId, source.Video, source.Audio ?? "none");
                var started = Stopwatch.StartNew();
                var forceSourceKeyframes = secondsWithoutKeyframe is not null;
                var reported = forceSourceKeyframes && encoding is not null
                    ? encoding.SourceReencodedAsync(streamId, secondsWithoutKeyframe!.Value, cancellationToken)
                    : Task.CompletedTask;
                // Only a copied source can have keyframes too far apart: the ladder's encoders put one every segment target.
                var tooFarApart = !forceSourceKeyframes && source.Video == SourceCodecs.Avc ? sourceRendition?.KeyframesTooFarApart : null;
                try
                {
                    var exitCode = await RunFfmpegOnceAsync(
                        stream, source, renditions, partTarget, publish, thumbnail, live, forceSourceKeyframes, tooFarApart, cancellationToken);
                    LogFfmpegExited(streamId, exitCode);
                    if (tooFarApart is { IsCompletedSuccessfully: true })
                    {
                        secondsWithoutKeyframe = tooFarApart.Result;
                        LogReencodingSource(streamId, Math.Round(tooFarApart.Result, 1), options.SegmentTargetSeconds);
                    }
                    else if (exitCode != 0 && !stream.State.Failing)
                    {
                        stream.State.Restarting($"FFmpeg exited with {exitCode}");
                    }
                }
                catch (Exception exception) when (!live.IsCancellationRequested)
                {
                    // No run at all (no pipe could be made in a full temporary folder, no FFmpeg to start): tried again
                    // like a run that failed, while the stream is live.
                    LogRunNotStarted(streamId, exception.Message);
                    stream.State.Restarting(exception.Message);
                }

                await reported;
                // Stopping a copied run to re-encode its source is a decision, not a failure.
                quickFailures = started.Elapsed >= SteadyRun || secondsWithoutKeyframe is not null && !forceSourceKeyframes ? 0 : quickFailures + 1;
                stream.State.Waiting();
            }
            while (!live.IsCancellationRequested && (source = await WaitForSourceAsync(stream.Codecs, live.Token)) is not null);
        }
        catch (OperationCanceledException) when (live.IsCancellationRequested)
        {
            // Stopped from outside, or the store kept failing until the publisher left: end the playlists below all the same.
        }

        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            foreach (var rendition in renditions)
            {
                await rendition.EndAsync(publish, closing.Token);
            }

            LogEnded(streamId);
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            LogNotEnded(streamId);
        }

        if (pushes is not null)
        {
            // The ended playlists reach the Origin before the stream counts as over.
            await pushes.DrainAsync(closing.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await deciding.CancelAsync();
        await decision.ContinueWith(_ => { }, TaskScheduler.Default);
        if (broadcastRetention is not null)
        {
            await FinishAsync(streamId, broadcastRetention, renditions, master, mediaStore, closing.Token);
        }
    }

    /// <summary>A recorded broadcast joins the recording; an unrecorded one hands everything it left behind to retention.</summary>
    private async Task FinishAsync(
        Guid streamId, BroadcastRetention retention, List<RenditionPackager> renditions, MasterPlaylist master, IMediaStore mediaStore,
        CancellationToken cancellationToken)
    {
        if (retention.Record)
        {
            try
            {
                if (await Recording.AddBroadcastAsync(mediaStore, streamId, renditions, master, cancellationToken))
                {
                    retention.RecordingWritten();
                    LogRecorded(streamId);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || cancellationToken.IsCancellationRequested)
            {
                // Its segments stay in the store (none was handed to retention), but the recording may not list them.
                LogNotRecorded(streamId, exception.Message);
            }

            return;
        }

        retention.Ended(
            [.. renditions.SelectMany(r => r.RemainingMedia())],
            [$"{Prefix(streamId)}/master.m3u8", .. renditions.SelectMany(r => new[] { r.PlaylistPath, $"{r.Folder}/{MediaUris.Init}" })]);
    }

    /// <summary>One FFmpeg run, until FFmpeg exits or anything that reads its outputs fails; returns FFmpeg's exit code.</summary>
    /// <param name="keyframesTooFarApart">When it completes, this run ends early, its source to be re-encoded by the next.</param>
    private async Task<int> RunFfmpegOnceAsync(
        PackagedStream stream, SourceCodecs source, List<RenditionPackager> renditions, double partTarget, PlaylistPublisher publish,
        ThumbnailWriter thumbnail, CancellationTokenSource live, bool forceSourceKeyframes, Task? keyframesTooFarApart, CancellationToken cancellationToken)
    {
        var streamId = stream.Id;
        // One pipe per rendition, then the thumbnails' (named by position: rendition names come from configuration).
        using var fifos = new FifoSet(renditions.Select((_, i) => $"rendition{i}.mp4").Append("thumbnails.mjpeg"), streamId.ToString());
        var renditionPipes = fifos.Paths.Take(renditions.Count).ToList();
        var start = new ProcessStartInfo(options.FfmpegPath) { RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in FfmpegLadder.Arguments(
            FfmpegLadder.StandardInput, source, [.. renditions.Select(r => r.Rendition)], renditionPipes, fifos.Paths[^1], options, partTarget, forceSourceKeyframes))
        {
            start.ArgumentList.Add(argument);
        }

        stream.Fault.Reset();
        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("FFmpeg did not start.");
        var stderr = new LogRateLimit(FfmpegLinesPerWindow, FfmpegLogWindow);
        ffmpeg.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data) && stderr.TryAdmit(out var skipped))
            {
                if (skipped > 0)
                {
                    LogFfmpegSkipped(streamId, skipped);
                }

                LogFfmpeg(streamId, e.Data);
            }
        };
        ffmpeg.BeginErrorReadLine();
        LogFfmpegStarted(streamId, ffmpeg.Id);
        using var stopFeeding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = LiveInput.FeedAsync(stream.OpenInput, ffmpeg.StandardInput.BaseStream, TimeSpan.FromSeconds(options.InputTimeoutSeconds), stopFeeding.Token);

        var readers = fifos.Readers;
        var packaging = renditions.Select((rendition, i) => Task.Run(() => rendition.RunAsync(readers[i], publish, live.Token), live.Token))
            .Append(Task.Run(() => thumbnail.RunAsync(readers[^1], live.Token), live.Token))
            .ToList();

        try
        {
            var exited = ffmpeg.WaitForExitAsync(cancellationToken);
            var stopForKeyframes = keyframesTooFarApart ?? exited;
            var first = await Task.WhenAny(exited, Task.WhenAny(packaging), stream.Fault.Task, stopForKeyframes);
            // Shutting down ends the packagers too: that is no fault.
            cancellationToken.ThrowIfCancellationRequested();
            if (first == exited)
            {
                await exited;
            }
            else if (first == stopForKeyframes)
            {
                // FFmpeg is stopped below; what it wrote so far is sound and the packagers take it to the end.
            }
            else
            {
                // Before FFmpeg exits, a packager only ends by failing; a store failure leaves its write retrying.
                var reason = first == stream.Fault.Task
                    ? $"the media store fails: {stream.Fault.Task.Result}"
                    : packaging.First(task => task.IsCompleted).Exception?.GetBaseException().Message ?? "a packager stopped";
                LogRunFailed(streamId, reason);
                if (first != stream.Fault.Task)
                {
                    stream.State.Restarting(reason);
                }

                // What the pipes still hold is stale by the time the next run starts: the packagers drop it.
                foreach (var reader in readers)
                {
                    reader.CancelPendingRead();
                }
            }
        }
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill(entireProcessTree: true);
                await ffmpeg.WaitForExitAsync(CancellationToken.None);
            }

            await stopFeeding.CancelAsync();
            if (await feeding is { } inputFailure)
            {
                LogInputFailed(streamId, inputFailure);
            }

            fifos.ReleaseReaders();
            await DrainAsync(stream, packaging, live);
        }

        if (stderr.TakeSkipped() is > 0 and var skippedAtExit)
        {
            LogFfmpegSkipped(streamId, skippedAtExit);
        }

        foreach (var failed in packaging.Where(t => t.IsFaulted))
        {
            LogPackagingFailed(streamId, failed.Exception!.GetBaseException().Message);
        }

        return ffmpeg.ExitCode;
    }

    /// <summary>
    /// Waits for the packagers of a run that ended. One may still be retrying a write the store does not take: it is
    /// given up (<paramref name="live"/> cancelled) only once the publisher has left for good.
    /// </summary>
    private async Task DrainAsync(PackagedStream stream, List<Task> packaging, CancellationTokenSource live)
    {
        var drained = Task.WhenAll(packaging);
        using var watching = new CancellationTokenSource();
        var gone = WaitUntilSourceGoneAsync(stream.Codecs, watching.Token);
        if (await Task.WhenAny(drained, gone) == gone && gone.IsCompletedSuccessfully)
        {
            LogGaveUpWrites(stream.Id);
            await live.CancelAsync();
        }

        await watching.CancelAsync();
        await Task.WhenAll(drained, gone).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Completes once the stream has had no publisher for the grace period; asks once a second.</summary>
    private async Task WaitUntilSourceGoneAsync(Func<CancellationToken, Task<SourceCodecs?>> codecs, CancellationToken cancellationToken)
    {
        var absent = new Stopwatch();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            if (await codecs(cancellationToken) is not null)
            {
                absent.Reset();
            }
            else if (!absent.IsRunning)
            {
                absent.Start();
            }
            else if (absent.Elapsed >= TimeSpan.FromSeconds(options.ReturnGraceSeconds))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The stream's codecs once it has a publisher and video, or null when that does not happen within the grace
    /// period (the publisher left for good).
    /// </summary>
    private async Task<SourceCodecs?> WaitForSourceAsync(Func<CancellationToken, Task<SourceCodecs?>> codecs, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await codecs(cancellationToken) is { } source)
            {
                return source;
            }

            if (deadline.Elapsed >= TimeSpan.FromSeconds(options.ReturnGraceSeconds))
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: starting FFmpeg for {VideoCodec} video and {AudioCodec} audio")]
    private partial void LogFfmpegStarting(Guid streamId, string videoCodec, string audioCodec);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: FFmpeg started (pid {Pid})")]
    private partial void LogFfmpegStarted(Guid streamId, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: FFmpeg exited with {ExitCode}")]
    private partial void LogFfmpegExited(Guid streamId, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: FFmpeg says {Line}")]
    private partial void LogFfmpeg(Guid streamId, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: {Count} more lines of FFmpeg output were left out")]
    private partial void LogFfmpegSkipped(Guid streamId, long count);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Stream {StreamId}: no keyframe in the source for {Seconds} s, longer than a segment may last: its video is re-encoded, with a keyframe every {SegmentTarget} s, for the rest of the broadcast")]
    private partial void LogReencodingSource(Guid streamId, double seconds, double segmentTarget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: FFmpeg's input stopped: {Reason}")]
    private partial void LogInputFailed(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging failed: {Reason}")]
    private partial void LogPackagingFailed(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: stopping FFmpeg, {Reason}; it restarts once packaging can go on")]
    private partial void LogRunFailed(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: FFmpeg could not be started: {Reason}")]
    private partial void LogRunNotStarted(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: the publisher left while the media store still failed; what it did not take is lost")]
    private partial void LogGaveUpWrites(Guid streamId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: the media store did not take the ended playlists")]
    private partial void LogNotEnded(Guid streamId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: the broadcast could not be added to the recording: {Reason}")]
    private partial void LogNotRecorded(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: no video arrived within the grace period, nothing was packaged")]
    private partial void LogNeverStarted(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: playlists ended")]
    private partial void LogEnded(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: the broadcast was added to the recording")]
    private partial void LogRecorded(Guid streamId);

    /// <summary>One stream being packaged: how to open its input, and how its packaging is doing.</summary>
    private sealed record PackagedStream(
        Guid Id, Func<CancellationToken, Task<Stream>> OpenInput, Func<CancellationToken, Task<SourceCodecs?>> Codecs, StreamState State)
    {
        public RunFault Fault { get; } = new();
    }

    /// <summary>The first store failure of the current FFmpeg run, signalled from whichever packager met it.</summary>
    private sealed class RunFault
    {
        private TaskCompletionSource<string> current = New();

        public Task<string> Task => Volatile.Read(ref current).Task;

        public void Signal(string reason) => Volatile.Read(ref current).TrySetResult(reason);

        public void Reset() => Volatile.Write(ref current, New());

        private static TaskCompletionSource<string> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
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
public sealed partial class LivePackager(
    IMediaStore store, IOptions<LadderOptions> ladder, ILogger<LivePackager> logger, IPlaylistListener? listener = null,
    IThumbnailListener? thumbnails = null, IMediaRetention? retention = null, ISourceEncodingListener? encoding = null)
{
    private readonly LadderOptions options = ladder.Value;

    /// <summary>Store paths of a stream's files: <c>live/{streamId}/…</c>, as the Origin serves them.</summary>
    public static string Prefix(Guid streamId) => $"live/{streamId}";

    /// <summary>The stream's thumbnail in the store, refreshed every <see cref="LadderOptions.ThumbnailIntervalSeconds"/>.</summary>
    public static string ThumbnailPath(Guid streamId) => $"{Prefix(streamId)}/{StreamFiles.Thumbnail}";

    /// <param name="codecs">
    /// Asks the Ingest what the stream carries now: null while it has no publisher (or no video yet). Asked before
    /// every FFmpeg run, so a publisher that comes back with other codecs gets the ladder they need.
    /// </param>
    public async Task RunAsync(
        Guid streamId, string inputUrl, string? bearerSecret, Func<CancellationToken, Task<SourceCodecs?>> codecs, CancellationToken cancellationToken)
    {
        SourceCodecs? source;
        try
        {
            source = await WaitForSourceAsync(codecs, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            source = null;
        }

        if (source is null)
        {
            LogNeverStarted(streamId);
            return;
        }

        var prefix = Prefix(streamId);
        // The broadcast's tag in its file names: when it started, in hexadecimal milliseconds.
        var broadcast = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
        var broadcastRetention = retention is null ? null : new BroadcastRetention(streamId, retention);
        using var deciding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decision = broadcastRetention?.DecideAsync(deciding.Token) ?? Task.CompletedTask;
        // The ladder is fixed for the whole broadcast (the multivariant playlist must not change under players).
        var renditions = FfmpegLadder.Renditions(source, options.Renditions).Select(r => new RenditionPackager(r, prefix, broadcast, store, options, logger, broadcastRetention)).ToList();
        var sourceRendition = renditions.FirstOrDefault(r => r.Rendition.IsSource);
        double? secondsWithoutKeyframe = null;
        // One push lane per rendition: a rendition's changes reach the Origin in order and never wait for another's.
        await using var pushes = listener is null ? null : new PlaylistPushes(listener, logger);
        var master = new MasterPlaylist(prefix, renditions, store, pushes);
        var thumbnail = new ThumbnailWriter(streamId, ThumbnailPath(streamId), store, thumbnails);
        try
        {
            do
            {
                LogFfmpegStarting(streamId, source.Video, source.Audio ?? "none");
                var forceSourceKeyframes = secondsWithoutKeyframe is not null;
                var reported = forceSourceKeyframes && encoding is not null
                    ? encoding.SourceReencodedAsync(streamId, secondsWithoutKeyframe!.Value, cancellationToken)
                    : Task.CompletedTask;

                // Only a copied source can have keyframes too far apart: the ladder's encoders put one every segment target.
                var tooFarApart = !forceSourceKeyframes && source.Video == SourceCodecs.Avc ? sourceRendition?.KeyframesTooFarApart : null;
                var exitCode = await RunFfmpegOnceAsync(
                    streamId, inputUrl, bearerSecret, source, renditions, master, thumbnail, forceSourceKeyframes, tooFarApart, cancellationToken);
                LogFfmpegExited(streamId, exitCode);
                await reported;
                if (tooFarApart is { IsCompletedSuccessfully: true })
                {
                    secondsWithoutKeyframe = tooFarApart.Result;
                    LogReencodingSource(streamId, Math.Round(tooFarApart.Result, 1), options.SegmentTargetSeconds);
                }
            }
            while ((source = await WaitForSourceAsync(codecs, cancellationToken)) is not null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside: end the playlists below all the same.
        }

        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var rendition in renditions)
        {
            await rendition.EndAsync(master.PublishAsync, closing.Token);
        }

        if (pushes is not null)
        {
            // The ended playlists reach the Origin before the stream counts as over.
            await pushes.DrainAsync(closing.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        LogEnded(streamId);
        await deciding.CancelAsync();
        await decision.ContinueWith(_ => { }, TaskScheduler.Default);
        if (broadcastRetention is not null)
        {
            await FinishAsync(streamId, broadcastRetention, renditions, master, closing.Token);
        }
    }

    /// <summary>A recorded broadcast joins the recording; an unrecorded one hands everything it left behind to retention.</summary>
    private async Task FinishAsync(
        Guid streamId, BroadcastRetention retention, List<RenditionPackager> renditions, MasterPlaylist master, CancellationToken cancellationToken)
    {
        if (retention.Record)
        {
            if (await Recording.AddBroadcastAsync(store, streamId, renditions, master, cancellationToken))
            {
                retention.RecordingWritten();
                LogRecorded(streamId);
            }

            return;
        }

        retention.Ended(
            [.. renditions.SelectMany(r => r.RemainingMedia())],
            [$"{Prefix(streamId)}/master.m3u8", .. renditions.SelectMany(r => new[] { r.PlaylistPath, $"{r.Folder}/{MediaUris.Init}" })]);
    }

    /// <param name="keyframesTooFarApart">When it completes, this run ends early, its source to be re-encoded by the next.</param>
    private async Task<int> RunFfmpegOnceAsync(
        Guid streamId, string inputUrl, string? bearerSecret, SourceCodecs source, List<RenditionPackager> renditions, MasterPlaylist master,
        ThumbnailWriter thumbnail, bool forceSourceKeyframes, Task? keyframesTooFarApart, CancellationToken cancellationToken)
    {
        // One pipe per rendition, then the thumbnails' (named by position: rendition names come from configuration).
        using var fifos = new FifoSet(renditions.Select((_, i) => $"rendition{i}.mp4").Append("thumbnails.mjpeg"));
        var renditionPipes = fifos.Paths.Take(renditions.Count).ToList();
        var start = new ProcessStartInfo(options.FfmpegPath) { RedirectStandardError = true, RedirectStandardInput = false };
        foreach (var argument in FfmpegLadder.Arguments(inputUrl, bearerSecret, source, [.. renditions.Select(r => r.Rendition)], renditionPipes, fifos.Paths[^1], options, forceSourceKeyframes))
        {
            start.ArgumentList.Add(argument);
        }

        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("FFmpeg did not start.");
        ffmpeg.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                LogFfmpeg(streamId, e.Data);
            }
        };
        ffmpeg.BeginErrorReadLine();
        LogFfmpegStarted(streamId, ffmpeg.Id);

        var packaging = renditions.Select((rendition, i) => Task.Run(() => rendition.RunAsync(fifos.Readers[i], master.PublishAsync, cancellationToken), cancellationToken))
            .Append(Task.Run(() => thumbnail.RunAsync(fifos.Readers[^1], cancellationToken), cancellationToken))
            .ToList();

        try
        {
            var exited = ffmpeg.WaitForExitAsync(cancellationToken);
            await await Task.WhenAny(exited, keyframesTooFarApart ?? exited);
        }
        finally
        {
            if (!ffmpeg.HasExited)
            {
                ffmpeg.Kill(entireProcessTree: true);
                await ffmpeg.WaitForExitAsync(CancellationToken.None);
            }

            fifos.ReleaseReaders();
            await Task.WhenAll(packaging).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var failed in packaging.Where(t => t.IsFaulted))
        {
            LogPackagingFailed(streamId, failed.Exception!.GetBaseException().Message);
        }

        return ffmpeg.ExitCode;
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

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Stream {StreamId}: no keyframe in the source for {Seconds} s, longer than a segment may last: its video is re-encoded, with a keyframe every {SegmentTarget} s, for the rest of the broadcast")]
    private partial void LogReencodingSource(Guid streamId, double seconds, double segmentTarget);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId}: packaging failed: {Reason}")]
    private partial void LogPackagingFailed(Guid streamId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: no video arrived within the grace period, nothing was packaged")]
    private partial void LogNeverStarted(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: playlists ended")]
    private partial void LogEnded(Guid streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: the broadcast was added to the recording")]
    private partial void LogRecorded(Guid streamId);
}

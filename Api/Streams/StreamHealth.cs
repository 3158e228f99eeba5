using Nio.Shared.LlHls;
using Nio.Shared.Media;

namespace Nio.Api.Streams;

/// <summary>
/// What the health estimate needs to know of the LL-HLS timing (section <c>Transcoder</c>, the same setting the
/// Transcoder cuts its parts by).
/// </summary>
public sealed class StreamHealthOptions
{
    /// <summary>
    /// The PART-TARGET the Transcoder starts from, in seconds; a broadcast's is whole frames of its source
    /// (<see cref="PartTiming"/>).
    /// </summary>
    public double PartTargetSeconds { get; set; } = 0.2;

    /// <summary>How often a source the Transcoder re-encodes gets a keyframe, in seconds.</summary>
    public double SegmentTargetSeconds { get; set; } = 1;
}

/// <summary>The answer of <c>GET /api/streams/{id}/health</c>.</summary>
/// <param name="SourceReencoded">Set when the Transcoder re-encodes this broadcast's source video, its keyframes being too far apart.</param>
public sealed record StreamHealthView(
    Guid StreamId, bool Live, DateTime? ReportedAt, double? SecondsSinceLastMedia, VideoHealth? Video, AudioHealth? Audio,
    double? GlassToGlassEstimateSeconds, IReadOnlyList<string> Warnings, SourceReencodedReport? SourceReencoded = null);

/// <summary>Turns a stream's latest health report into what the studio shows: its age, warnings and a latency estimate.</summary>
public static class StreamHealth
{
    public const string KeyframeIntervalTooLong = "keyframeIntervalTooLong";
    public const string NoRecentMedia = "noRecentMedia";
    public const string NoAudio = "noAudio";
    public const string NoVideo = "noVideo";
    public const string SourceReencoded = "sourceReencoded";

    /// <summary>Above this many seconds between keyframes, players joining or catching up wait noticeably for one.</summary>
    public const double MaxGoodKeyframeIntervalSeconds = 2;

    /// <summary>A live stream whose last media is older than this is stalling.</summary>
    public const double MaxMediaSilenceSeconds = 5;

    /// <summary>
    /// The view of a stream's health. The report's <c>secondsSinceLastMedia</c> was measured when it was sent; it is
    /// aged here by the time since (both ends of that on the database's clock, so the Ingest's clock does not matter).
    /// Warnings: <c>keyframeIntervalTooLong</c> over 2 s; <c>noRecentMedia</c> over 5 s without media while live;
    /// <c>noVideo</c> / <c>noAudio</c> when a report came and that track is missing from it; <c>sourceReencoded</c>
    /// when the Transcoder re-encodes the source because its keyframes are further apart than a segment may last.
    /// </summary>
    public static StreamHealthView From(Guid streamId, StreamHealthRow row, StreamHealthOptions options)
    {
        var live = row.Status == StreamStatus.Live;
        var reported = row.ReportedAt is not null;
        double? sinceLastMedia = row is { ReportedAt: { } at, SecondsSinceLastMedia: { } then }
            ? Math.Round(then + Math.Max(0, (row.Now - at).TotalSeconds), 3)
            : null;
        var video = row.Video;
        var audio = row.Audio;
        var warnings = new List<string>();
        if (video?.KeyframeIntervalSeconds > MaxGoodKeyframeIntervalSeconds)
        {
            warnings.Add(KeyframeIntervalTooLong);
        }

        if (live && sinceLastMedia > MaxMediaSilenceSeconds)
        {
            warnings.Add(NoRecentMedia);
        }

        if (reported && audio is null)
        {
            warnings.Add(NoAudio);
        }

        if (reported && video is null)
        {
            warnings.Add(NoVideo);
        }

        if (row.SourceReencoded is not null)
        {
            warnings.Add(SourceReencoded);
        }

        var keyframeInterval = row.SourceReencoded is not null ? options.SegmentTargetSeconds : video?.KeyframeIntervalSeconds;
        var estimate = live ? GlassToGlassEstimateSeconds(PartTiming.TargetSeconds(options.PartTargetSeconds, video?.FrameRate), keyframeInterval) : null;
        return new StreamHealthView(streamId, live, row.ReportedAt, sinceLastMedia, video, audio, estimate, warnings, row.SourceReencoded);
    }

    /// <summary>
    /// A rough glass-to-glass latency for a viewer of the source rendition, in seconds:
    /// <c>PART-HOLD-BACK + keyframeInterval / 2</c>, where PART-HOLD-BACK = 3 × PART-TARGET (what the playlists
    /// declare, see <see cref="MediaPlaylistWriter.PartHoldBack"/>).
    /// <para>
    /// PART-HOLD-BACK is how far from the live edge an LL-HLS player stays. The second term is what the publisher's
    /// keyframes add: the source rendition is the publisher's video passed through, so a segment, and an independent
    /// part a player can start decoding from, begins only on one of its keyframes; a player that joins (or catches up
    /// after a stall) lands on average half a keyframe interval further back than its hold-back. Not counted: the
    /// encoder's and the network's delay before the Ingest, and the Transcoder's own few hundred milliseconds —
    /// a floor plus the part the streamer's settings control, not a measurement. Transcoded renditions get their own
    /// keyframes every segment target and so wait less; so does the source when the Transcoder re-encodes it.
    /// </para>
    /// Null when no keyframe interval was measured.
    /// </summary>
    public static double? GlassToGlassEstimateSeconds(double partTargetSeconds, double? keyframeIntervalSeconds) =>
        keyframeIntervalSeconds is { } interval ? Math.Round(MediaPlaylistWriter.PartHoldBack(partTargetSeconds) + interval / 2, 2) : null;
}

using Dapper;
using Npgsql;
using Nio.Shared.Media;

namespace Nio.Api.Streams;

/// <summary>A stream with its latest health report (all health columns null when none came yet) and what the asker may do.</summary>
public sealed record StreamHealthRow
{
    public Guid OwnerId { get; init; }
    public string Status { get; init; } = "";
    public bool AskerModerates { get; init; }
    public DateTime Now { get; init; }
    public DateTime? ReportedAt { get; init; }
    public double? SecondsSinceLastMedia { get; init; }
    public string? VideoCodec { get; init; }
    public string? VideoProfile { get; init; }
    public string? VideoLevel { get; init; }
    public int? VideoWidth { get; init; }
    public int? VideoHeight { get; init; }
    public double? VideoFrameRate { get; init; }
    public double? VideoBitrateKbps { get; init; }
    public double? KeyframeIntervalSeconds { get; init; }
    public string? AudioCodec { get; init; }
    public int? AudioSampleRate { get; init; }
    public int? AudioChannels { get; init; }
    public double? AudioBitrateKbps { get; init; }
    public double? SourceReencodedSecondsWithoutKeyframe { get; init; }

    public VideoHealth? Video => VideoCodec is null ? null : new VideoHealth(
        VideoCodec, VideoProfile, VideoLevel, VideoWidth, VideoHeight, VideoFrameRate, VideoBitrateKbps, KeyframeIntervalSeconds);

    public AudioHealth? Audio => AudioCodec is null ? null : new AudioHealth(AudioCodec, AudioSampleRate, AudioChannels, AudioBitrateKbps);

    public SourceReencodedReport? SourceReencoded =>
        SourceReencodedSecondsWithoutKeyframe is { } seconds ? new SourceReencodedReport(seconds) : null;
}

/// <summary>The <c>stream_health</c> table: the latest report per stream.</summary>
public sealed class StreamHealthRepository(NpgsqlDataSource db)
{
    /// <summary>Longest text kept from a report (codec and profile names); the Ingest is trusted, but a column is no place for a novel.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Replaces the stream's report; stamped with the database's clock, which also ages it when read.</summary>
    public async Task SaveAsync(Guid streamId, StreamHealthReport report, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stream_health (
                stream_id, reported_at, seconds_since_last_media,
                video_codec, video_profile, video_level, video_width, video_height, video_frame_rate, video_bitrate_kbps, keyframe_interval_seconds,
                audio_codec, audio_sample_rate, audio_channels, audio_bitrate_kbps)
            VALUES (
                @streamId, now(), @SecondsSinceLastMedia,
                @VideoCodec, @VideoProfile, @VideoLevel, @VideoWidth, @VideoHeight, @VideoFrameRate, @VideoBitrateKbps, @KeyframeIntervalSeconds,
                @AudioCodec, @AudioSampleRate, @AudioChannels, @AudioBitrateKbps)
            ON CONFLICT (stream_id) DO UPDATE SET
                reported_at = excluded.reported_at,
                seconds_since_last_media = excluded.seconds_since_last_media,
                video_codec = excluded.video_codec,
                video_profile = excluded.video_profile,
                video_level = excluded.video_level,
                video_width = excluded.video_width,
                video_height = excluded.video_height,
                video_frame_rate = excluded.video_frame_rate,
                video_bitrate_kbps = excluded.video_bitrate_kbps,
                keyframe_interval_seconds = excluded.keyframe_interval_seconds,
                audio_codec = excluded.audio_codec,
                audio_sample_rate = excluded.audio_sample_rate,
                audio_channels = excluded.audio_channels,
                audio_bitrate_kbps = excluded.audio_bitrate_kbps
            """,
            new
            {
                streamId,
                report.SecondsSinceLastMedia,
                VideoCodec = Name(report.Video?.Codec),
                VideoProfile = Name(report.Video?.Profile),
                VideoLevel = Name(report.Video?.Level),
                VideoWidth = report.Video?.Width,
                VideoHeight = report.Video?.Height,
                VideoFrameRate = report.Video?.FrameRate,
                VideoBitrateKbps = report.Video?.BitrateKbps,
                report.Video?.KeyframeIntervalSeconds,
                AudioCodec = Name(report.Audio?.Codec),
                AudioSampleRate = report.Audio?.SampleRate,
                AudioChannels = report.Audio?.Channels,
                AudioBitrateKbps = report.Audio?.BitrateKbps,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The stream, its latest report and whether <paramref name="askerId"/> moderates its streamer's room; null for an unknown stream.</summary>
    public async Task<StreamHealthRow?> GetAsync(Guid streamId, Guid askerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StreamHealthRow>(new CommandDefinition(
            """
            SELECT s.owner_id, s.status, now() AS now, s.source_reencoded_seconds_without_keyframe,
                   EXISTS (SELECT 1 FROM room_moderators m WHERE m.channel_id = s.owner_id AND m.user_id = @askerId) AS asker_moderates,
                   h.reported_at, h.seconds_since_last_media,
                   h.video_codec, h.video_profile, h.video_level, h.video_width, h.video_height, h.video_frame_rate, h.video_bitrate_kbps,
                   h.keyframe_interval_seconds, h.audio_codec, h.audio_sample_rate, h.audio_channels, h.audio_bitrate_kbps
            FROM streams s
            LEFT JOIN stream_health h ON h.stream_id = s.id
            WHERE s.id = @streamId
            """,
            new { streamId, askerId }, cancellationToken: cancellationToken));
    }

    private static string? Name(string? text) => text is { Length: > MaxNameLength } ? text[..MaxNameLength] : text;
}

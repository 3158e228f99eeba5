-- The latest health report of each stream, as the Ingest measured its incoming media (sent with the live heartbeat).
-- One row per stream, replaced by every report; kept after the stream goes offline, so the studio still shows what
-- the media was like when it stopped.
CREATE TABLE stream_health (
    stream_id                   uuid PRIMARY KEY REFERENCES streams (id) ON DELETE CASCADE,
    reported_at                 timestamptz NOT NULL,
    seconds_since_last_media    double precision,
    video_codec                 text,
    video_profile               text,
    video_level                 text,
    video_width                 integer,
    video_height                integer,
    video_frame_rate            double precision,
    video_bitrate_kbps          double precision,
    keyframe_interval_seconds   double precision,
    audio_codec                 text,
    audio_sample_rate           integer,
    audio_channels              integer,
    audio_bitrate_kbps          double precision
);

-- Set while the Transcoder re-encodes the current broadcast's source video because its keyframes come further apart
-- than a segment may last: how long it had gone without one. Cleared when a new broadcast starts, like the thumbnail.
ALTER TABLE streams ADD COLUMN source_reencoded_seconds_without_keyframe double precision;

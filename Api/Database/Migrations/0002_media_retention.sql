-- Media files the Transcoder reported gone from every playlist. The media-retention job deletes each from the media
-- store once due_at has passed: the grace a player that loaded a playlist just before still needs. No foreign key:
-- a stream's files are deleted even if its row goes first.
CREATE TABLE expired_media (
    path        text PRIMARY KEY,
    stream_id   uuid NOT NULL,
    due_at      timestamptz NOT NULL,
    -- Names a later broadcast of the stream writes again (its playlists): spared if the stream is live by then.
    unless_live boolean NOT NULL DEFAULT false
);
CREATE INDEX expired_media_due ON expired_media (due_at);

-- When the Transcoder last added a broadcast to the stream's recording; null while it has none.
ALTER TABLE streams ADD COLUMN recorded_at timestamptz;

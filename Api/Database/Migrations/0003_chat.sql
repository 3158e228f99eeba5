-- Live-room chat and its moderation. A stream is a room; what a streamer decides for their room (moderators, bans,
-- timeouts, slow mode, blocked words) belongs to the streamer (channel_id = the streamer's user id), so it carries
-- over to their next stream.

CREATE TABLE chat_messages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id    uuid NOT NULL REFERENCES streams (id) ON DELETE CASCADE,
    -- 'message' for what a user typed; otherwise the kind of system message (streamStarted, moderation, ...).
    kind         text NOT NULL DEFAULT 'message',
    user_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The sender's name as it was shown when the message was sent.
    display_name text NOT NULL DEFAULT '',
    text         text NOT NULL,
    sent_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    deleted_by   uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX chat_messages_history ON chat_messages (stream_id, id DESC);
-- Slow mode and the per-user rate limit look at a user's latest messages in a room.
CREATE INDEX chat_messages_by_sender ON chat_messages (user_id, stream_id, sent_at DESC) WHERE kind = 'message';

CREATE TABLE room_moderators (
    channel_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    appointed_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, user_id),
    CHECK (channel_id <> user_id)
);

-- kind 'timeout': may read, may not send until expires_at. kind 'ban': may neither join nor send (expires_at null).
CREATE TABLE room_sanctions (
    channel_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('timeout', 'ban')),
    expires_at timestamptz,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, user_id, kind),
    CHECK ((kind = 'timeout') = (expires_at IS NOT NULL))
);

CREATE TABLE room_settings (
    channel_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
    blocked_words     text[] NOT NULL DEFAULT '{}',
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Viewers connected to each Api instance, per room; the sum over instances that reported recently is the room's
-- viewer count.
CREATE UNLOGGED TABLE room_presence (
    instance_id uuid NOT NULL,
    stream_id   uuid NOT NULL,
    viewers     integer NOT NULL CHECK (viewers >= 0),
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, stream_id)
);

-- A platform ban: no login, no chat, no streaming until an admin lifts it.
ALTER TABLE users ADD COLUMN banned_at timestamptz, ADD COLUMN ban_reason text;

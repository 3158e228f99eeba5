-- Accounts, refresh tokens, follows, streams and the operator audit log.

CREATE TABLE users (
    id               uuid PRIMARY KEY,
    email            text NOT NULL,
    email_normalized text NOT NULL UNIQUE,
    password_hash    text NOT NULL,
    display_name     text NOT NULL,
    bio              text NOT NULL DEFAULT '',
    avatar_url       text,
    roles            text[] NOT NULL DEFAULT ARRAY['user'],
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (roles <@ ARRAY['user', 'admin'])
);

-- A refresh token is stored only as its SHA-256. Tokens minted from one login form a family:
-- presenting an already-used token revokes the whole family (the token was stolen or replayed).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE follows (
    follower_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id);

-- status: offline (created or publisher gone), live (Ingest reports a publisher), ended (final).
-- The stream key is stored only as its SHA-256 and cleared when the stream ends.
CREATE TABLE streams (
    id                uuid PRIMARY KEY,
    owner_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title             text NOT NULL,
    status            text NOT NULL DEFAULT 'offline' CHECK (status IN ('offline', 'live', 'ended')),
    key_hash          bytea UNIQUE,
    record            boolean NOT NULL DEFAULT false,
    viewer_count      integer NOT NULL DEFAULT 0 CHECK (viewer_count >= 0),
    thumbnail_url     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    ended_at          timestamptz,
    last_heartbeat_at timestamptz,
    CHECK ((status = 'ended') = (key_hash IS NULL))
);
-- One open (not ended) stream per streamer, enforced here so concurrent creates cannot race past it.
CREATE UNIQUE INDEX streams_one_open_per_owner ON streams (owner_id) WHERE status <> 'ended';
CREATE INDEX streams_live ON streams (viewer_count DESC, started_at DESC) WHERE status = 'live';

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

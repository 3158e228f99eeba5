-- The admin panel: a moderator role, searches and lists operators run over every user, the audit log's reason and
-- before/after, gifts switched off, payout references, platform-wide blocked words and the daily figures.

ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ARRAY['user', 'admin', 'moderator']);

-- Operators find anyone, banned or not: the search index of the public search leaves banned users out.
CREATE INDEX users_display_name_admin_trgm ON users USING gin (lower(display_name COLLATE "und-x-icu") gin_trgm_ops);
-- An email typed in part ("ada@exa") is matched by its start; text_pattern_ops serves LIKE 'prefix%' in any collation.
CREATE INDEX users_email_prefix ON users (email_normalized text_pattern_ops);
CREATE INDEX users_created_at ON users (created_at DESC, id DESC);
CREATE INDEX users_payment_flagged ON users (payment_flagged_at DESC) WHERE payment_flagged_at IS NOT NULL;
-- Staff are few: listing them by role never scans everyone.
CREATE INDEX users_staff ON users (created_at DESC) WHERE roles && ARRAY['admin', 'moderator'];

ALTER TABLE audit_log ADD COLUMN reason text, ADD COLUMN before jsonb, ADD COLUMN after jsonb;
-- The log is read newest first, filtered by one of these (ids grow with time).
CREATE INDEX audit_log_created_at ON audit_log (created_at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, id DESC);

ALTER TABLE gifts ADD COLUMN enabled boolean NOT NULL DEFAULT true, ADD COLUMN artwork_path text;

ALTER TABLE withdrawals ADD COLUMN payout_reference text;

-- Words no room allows, whatever its streamer decided (one row).
CREATE TABLE chat_platform_settings (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    blocked_words text[] NOT NULL DEFAULT '{}',
    updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO chat_platform_settings DEFAULT VALUES;

-- Chat across rooms, newest first, and per sender.
CREATE INDEX chat_messages_sender_recent ON chat_messages (user_id, id DESC);

-- The dashboard's figures per UTC day, written by the daily roll-up job (today is counted live).
CREATE TABLE daily_figures (
    day          date PRIMARY KEY,
    sign_ups     bigint NOT NULL,
    coins_bought bigint NOT NULL,
    gifts_sent   bigint NOT NULL,
    beans_earned bigint NOT NULL,
    rolled_up_at timestamptz NOT NULL DEFAULT now()
);
-- The roll-up counts a day by these.
CREATE INDEX ledger_transfers_created_at ON ledger_transfers (created_at);
CREATE INDEX gifts_sent_sent_at ON gifts_sent (sent_at);

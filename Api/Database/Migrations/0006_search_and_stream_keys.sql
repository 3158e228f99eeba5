-- Search by stream title and by display name, and stream keys their owner can see again.

-- Trigram indexes, not full-text search: people type part of a name or title ("ada" for "Adaline", "ково" inside
-- "Никитково"), and full-text search only matches whole (stemmed) words, stems names it should not, and needs a
-- dictionary per language. Trigrams match any substring in any language and rank by similarity.
-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Text is folded with ICU's lower case, not the database's: a database made with the C locale folds only ASCII
-- letters, and "Кот" would not match "кот". The query folds the same way.
-- pg_trgm takes words apart by the database's LC_CTYPE: under C it sees no trigrams in non-Latin letters, so there a
-- Cyrillic query is still answered right (the LIKE is checked on every candidate) but the index does not narrow it;
-- under a UTF-8 LC_CTYPE (`./nio`'s private cluster is C.UTF-8) the index serves every script.
CREATE INDEX streams_title_trgm ON streams USING gin (lower(title COLLATE "und-x-icu") gin_trgm_ops) WHERE status <> 'ended';
CREATE INDEX users_display_name_trgm ON users USING gin (lower(display_name COLLATE "und-x-icu") gin_trgm_ops) WHERE banned_at IS NULL;

-- The stream key sealed with AES-256-GCM under a key kept in the Api's data folder (nonce || ciphertext || tag), so its
-- owner can see it again; key_hash stays the only thing looked up. Cleared, like key_hash, when the stream ends.
ALTER TABLE streams ADD COLUMN key_sealed bytea;
ALTER TABLE streams ADD CONSTRAINT streams_key_sealed_only_while_open CHECK (status <> 'ended' OR key_sealed IS NULL);

-- A channel's page lists its ended streams that have a recording, newest first.
CREATE INDEX streams_recorded_by_owner ON streams (owner_id, ended_at DESC) WHERE recorded_at IS NOT NULL;

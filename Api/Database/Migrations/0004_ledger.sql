-- Money: a double-entry ledger. Coins and beans are counted in one unit (a Rose is 10 coins from the sender, 5 beans
-- to the streamer, 5 to the platform), so every transfer's entries sum to zero and so does every balance together.

CREATE TABLE ledger_accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- coins, beans, beans_held (a user's); platform_revenue, payment_clearing, adjustments, payouts (the platform's)
    kind           text NOT NULL CHECK (kind IN ('coins', 'beans', 'beans_held', 'platform_revenue', 'payment_clearing', 'adjustments', 'payouts')),
    user_id        uuid REFERENCES users (id),
    balance        bigint NOT NULL DEFAULT 0,
    -- Only the platform's own accounts may go below zero (money that came in from, or went out to, the world).
    allow_negative boolean NOT NULL DEFAULT false,
    CHECK (allow_negative OR balance >= 0),
    CHECK ((user_id IS NULL) = (kind IN ('platform_revenue', 'payment_clearing', 'adjustments', 'payouts'))),
    UNIQUE NULLS NOT DISTINCT (kind, user_id)
);

INSERT INTO ledger_accounts (kind, allow_negative) VALUES
    ('platform_revenue', false), ('payment_clearing', true), ('adjustments', true), ('payouts', false);

CREATE TABLE ledger_transfers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Unique per operation: the same request twice finds its transfer here and moves nothing again.
    idempotency_key text NOT NULL UNIQUE,
    -- What was asked, so a reused key with another request is told apart from a retry.
    request_hash    bytea NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('purchase', 'gift', 'refund', 'adjustment', 'withdrawal_hold', 'withdrawal_payout', 'withdrawal_release')),
    -- A correcting transfer names the transfer it corrects.
    corrects        bigint REFERENCES ledger_transfers (id),
    details         jsonb NOT NULL DEFAULT '{}',
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger_entries (
    transfer_id bigint NOT NULL REFERENCES ledger_transfers (id),
    account_id  bigint NOT NULL REFERENCES ledger_accounts (id),
    amount      bigint NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (transfer_id, account_id)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, transfer_id DESC);

-- Transfers and entries are never changed or removed: mistakes are fixed by correcting transfers.
CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are immutable (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE OR DELETE ON ledger_transfers FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_immutable();

-- Every transfer balances, checked when its transaction commits.
CREATE FUNCTION ledger_transfer_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE transfer_id = NEW.transfer_id) <> 0 THEN
        RAISE EXCEPTION 'ledger transfer % does not balance', NEW.transfer_id;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transfer_balances();

-- The owner's gift catalog.
CREATE TABLE gifts (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    emoji      text NOT NULL,
    coins      integer NOT NULL CHECK (coins > 0),
    beans      integer NOT NULL CHECK (beans >= 0 AND beans <= coins),
    sort_order integer NOT NULL
);
INSERT INTO gifts (id, name, emoji, coins, beans, sort_order) VALUES
    ('rose', 'Rose', '🌹', 10, 5, 1),
    ('heart', 'Heart', '❤️', 20, 10, 2),
    ('diamond', 'Diamond', '💎', 50, 25, 3),
    ('rocket', 'Rocket', '🚀', 100, 50, 4),
    ('crown', 'Crown', '👑', 200, 100, 5),
    ('star', 'Star', '⭐', 500, 250, 6),
    ('fire', 'Fire', '🔥', 1000, 500, 7),
    ('rainbow', 'Rainbow', '🌈', 2000, 1000, 8);

-- Gifts as sent, for the room's combo counter and the streamer's earnings.
CREATE TABLE gifts_sent (
    transfer_id bigint PRIMARY KEY REFERENCES ledger_transfers (id),
    stream_id   uuid NOT NULL REFERENCES streams (id),
    sender_id   uuid NOT NULL REFERENCES users (id),
    streamer_id uuid NOT NULL REFERENCES users (id),
    gift_id     text NOT NULL REFERENCES gifts (id),
    count       integer NOT NULL CHECK (count > 0),
    combo       integer NOT NULL CHECK (combo > 0),
    beans       bigint NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX gifts_sent_combo ON gifts_sent (stream_id, sender_id, sent_at DESC);
CREATE INDEX gifts_sent_streamer ON gifts_sent (streamer_id, sent_at DESC);

-- A user whose refunded purchase had already been spent: flagged for an operator to look at.
ALTER TABLE users ADD COLUMN payment_flagged_at timestamptz;

-- Coin purchases through Stripe, and streamers' withdrawals of beans.

CREATE TABLE payment_intents (
    id                text PRIMARY KEY, -- Stripe's PaymentIntent id
    user_id           uuid NOT NULL REFERENCES users (id),
    package_id        text NOT NULL,
    coins             bigint NOT NULL CHECK (coins > 0),
    amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
    currency          text NOT NULL,
    -- The purchase transfer once the payment succeeded: coins are credited once per intent.
    credited_transfer bigint UNIQUE REFERENCES ledger_transfers (id),
    refunded_coins    bigint NOT NULL DEFAULT 0 CHECK (refunded_coins >= 0 AND refunded_coins <= coins),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_intents_user ON payment_intents (user_id, created_at DESC);

-- Every Stripe event processed, written in the same transaction as what it did: a repeated delivery finds its id here.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE withdrawals (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id),
    beans           bigint NOT NULL CHECK (beans > 0),
    amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
    currency        text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    hold_transfer   bigint NOT NULL REFERENCES ledger_transfers (id),
    settle_transfer bigint REFERENCES ledger_transfers (id),
    decided_by      uuid REFERENCES users (id),
    decided_at      timestamptz,
    note            text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'pending') = (settle_transfer IS NULL))
);
CREATE INDEX withdrawals_pending ON withdrawals (created_at) WHERE status = 'pending';
CREATE INDEX withdrawals_user ON withdrawals (user_id, created_at DESC);

-- Stripe's events in whatever order they arrive, and chargebacks (disputes) taking coins back.

-- When the payment's success was acted on (its coins credited, or nothing was left to credit). A refund or a dispute
-- reported before it is recorded and taken off the credit then.
ALTER TABLE payment_intents ADD COLUMN succeeded_at timestamptz;
UPDATE payment_intents SET succeeded_at = created_at WHERE credited_transfer IS NOT NULL;

-- A dispute of a purchase. While it is open, and for good when it is lost, the coins its amount bought are held: taken
-- back from the buyer (never below zero; what was spent already is not) or, when it came before the payment, kept
-- out of the credit. Closed in the platform's favour (won, or an inquiry closed), what was held is given back.
CREATE TABLE payment_disputes (
    id                text PRIMARY KEY, -- Stripe's dispute id
    payment_intent_id text NOT NULL REFERENCES payment_intents (id),
    coins             bigint NOT NULL CHECK (coins >= 0),
    -- Null until the hold was applied; then what is held (less than coins when the buyer had spent the rest).
    held_coins        bigint CHECK (held_coins >= 0 AND held_coins <= coins),
    hold_transfer     bigint REFERENCES ledger_transfers (id),
    status            text NOT NULL, -- Stripe's, as last reported
    closed_at         timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_disputes_intent ON payment_disputes (payment_intent_id);

ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_kind_check;
ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_transfers_kind_check CHECK (kind IN (
    'purchase', 'gift', 'refund', 'adjustment', 'withdrawal_hold', 'withdrawal_payout', 'withdrawal_release', 'dispute', 'dispute_release'));

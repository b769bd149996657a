-- Refunds the store asks for through the store API, recorded before Voucherly is called and
-- retried by a worker until Voucherly made them (or a person must).
CREATE TABLE store_refunds (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- The captured payment given back from.
    payment_id      INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    -- The store's id: the idempotency key, unique per order.
    store_refund_id TEXT NOT NULL,
    -- Identifies the request: the same id with another body is a conflict.
    fingerprint     TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    food_amount     INTEGER NOT NULL,
    -- original_methods | wallet
    destination     TEXT NOT NULL,
    reason          TEXT,
    -- JSON: [{"line", "quantity"}], empty for a refund by amount.
    lines           TEXT NOT NULL,
    -- pending | refunded | manual_refund_needed
    status          TEXT NOT NULL,
    -- JSON: the transactions asked and their refunded amounts before the first attempt.
    plan            TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    completed_at    INTEGER,
    UNIQUE (order_id, store_refund_id)
);
CREATE INDEX store_refunds_due ON store_refunds (next_attempt_at) WHERE status = 'pending';

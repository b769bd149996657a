-- Events for the store's webhook (order paid, payment failed, order refunded), written in the
-- same transaction as the change they announce and posted by the notification worker until the
-- store answers 2xx, oldest first per order. `payload` is the exact JSON body sent, so every
-- retry carries the same bytes and the same `id`.
CREATE TABLE outbox_events (
    id              INTEGER PRIMARY KEY,
    -- A UUID v4, the `id` in the payload: the store drops duplicates by it.
    event_id        TEXT NOT NULL UNIQUE,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- order.paid | order.payment_failed | order.refunded
    type            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    -- Failed deliveries so far; the next one waits 10 s × 2^(attempts − 1), at most an hour.
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- NULL while the store has not answered 2xx.
    delivered_at    INTEGER,
    -- Why the last attempt failed, short and without secrets (`HTTP 500`, `timed out`).
    last_error      TEXT
) STRICT;
CREATE INDEX outbox_events_due ON outbox_events (delivered_at, next_attempt_at);
CREATE INDEX outbox_events_by_order ON outbox_events (order_id, id);

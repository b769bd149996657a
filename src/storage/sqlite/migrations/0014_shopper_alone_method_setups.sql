-- "Add a card or meal voucher": a Voucherly checkout that saves a method without buying. The row
-- is written before Voucherly is called (one per form: UNIQUE shopper and idempotency key), with
-- the methods already saved, so the return can tell which one is new.
CREATE TABLE method_setups (
    reference            TEXT PRIMARY KEY,
    shopper_id           INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    environment          TEXT NOT NULL,
    idempotency_key      TEXT NOT NULL,
    known_methods        TEXT NOT NULL, -- JSON array of the method ids saved before
    voucherly_payment_id TEXT,
    checkout_url         TEXT,
    failure              TEXT,
    created_at           INTEGER NOT NULL,
    UNIQUE (shopper_id, idempotency_key)
) STRICT;

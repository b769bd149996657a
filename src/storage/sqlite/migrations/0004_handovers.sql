-- One-time links the store's server asks for, to sign a shopper in here. Only the SHA-256 of the
-- token is kept, so this table alone opens no session; `used_at` makes a link work once.
CREATE TABLE handovers (
    token_hash TEXT PRIMARY KEY,
    shopper_id INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    -- Where "back to the store" leads; its origin was checked against the store's origins.
    return_url TEXT NOT NULL,
    -- The order to show first, if the store named one.
    order_id   INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX handovers_by_expiry ON handovers (expires_at);

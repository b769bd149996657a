-- Key/value settings the application keeps for itself, such as its generated session key.
CREATE TABLE app_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- A shopper of the store, known by the store's own user id.
CREATE TABLE shoppers (
    id            INTEGER PRIMARY KEY,
    store_user_id TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT 'it',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- The shopper's customer id at Voucherly, one per environment: the embedded sandbox, Voucherly's
-- sandbox and Voucherly live each give their own ids.
CREATE TABLE voucherly_customers (
    shopper_id  INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    environment TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (shopper_id, environment)
) STRICT;

-- Server-side session state; the cookie only carries the signed key. A row past its expiry is
-- treated as absent and swept away.
CREATE TABLE sessions (
    key        TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- The embedded Voucherly sandbox (src/sandbox): an emulation of the gateway that keeps its own
-- customers, saved methods and payments. Bodies are stored as the API's JSON, so the sandbox
-- answers exactly what it stored.

-- The merchant's gateways, in the order `GET v1/payment_gateways` lists them.
CREATE TABLE sandbox_gateways (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    body     TEXT NOT NULL -- PaymentGateway JSON
) STRICT;

CREATE TABLE sandbox_customers (
    id         TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- A customer's saved methods. Deleting one only stamps `deleted_at`, so the idempotent demo seed
-- (INSERT OR IGNORE) does not bring a removed demo method back at the next start.
CREATE TABLE sandbox_payment_methods (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES sandbox_customers (id) ON DELETE CASCADE,
    body        TEXT NOT NULL, -- PaymentMethod JSON: cards are masked, never a full number
    created_at  INTEGER NOT NULL,
    deleted_at  INTEGER
) STRICT;

CREATE INDEX sandbox_payment_methods_by_customer
    ON sandbox_payment_methods (customer_id, created_at);

CREATE TABLE sandbox_payments (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES sandbox_customers (id),
    status         TEXT NOT NULL, -- kept equal to the body's status
    checkout_token TEXT NOT NULL, -- the hosted checkout form's per-payment secret
    request        TEXT NOT NULL, -- CreatePaymentRequest JSON: redirect and callback URLs, language
    body           TEXT NOT NULL, -- Payment JSON with lines, discounts and transactions
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

-- A Voucherly customer whose name or email the store changed since Voucherly was last told: the
-- next attempt sends it (`POST v1/customers/{id}`) and clears the flag, so a change is sent once.
ALTER TABLE voucherly_customers ADD COLUMN profile_outdated INTEGER NOT NULL DEFAULT 0;

-- The embedded sandbox's customers keep what `POST v1/customers` may set besides the name.
ALTER TABLE sandbox_customers ADD COLUMN phone_number TEXT;
ALTER TABLE sandbox_customers ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
CREATE INDEX sandbox_customers_by_email ON sandbox_customers (email COLLATE NOCASE);

-- The sandbox's wallet ledger: one row per credit or debit of a customer's wallet, as
-- `GET v1/customers/{id}/wallet/movements` lists them (amounts in cents, signed).
CREATE TABLE sandbox_wallet_movements (
    id             INTEGER PRIMARY KEY,
    customer_id    TEXT NOT NULL REFERENCES sandbox_customers (id) ON DELETE CASCADE,
    action         TEXT NOT NULL, -- WALLET (a top-up), PAYMENT, PAYMENT_R, …
    transaction_id TEXT,
    amount         INTEGER NOT NULL,
    voucher_amount INTEGER NOT NULL,
    cash_amount    INTEGER NOT NULL,
    occurred_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX sandbox_wallet_movements_by_customer
    ON sandbox_wallet_movements (customer_id, occurred_at DESC, id DESC);

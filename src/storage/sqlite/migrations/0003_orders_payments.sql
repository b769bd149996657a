-- An order of the store awaiting payment by one shopper. Amounts are minor units (cents) and
-- are fixed when the order is created: a payment always takes them from here.
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    shopper_id      INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    store_order_id  TEXT NOT NULL UNIQUE,
    currency        TEXT NOT NULL DEFAULT 'EUR',
    -- awaiting_payment | paid | refunded
    status          TEXT NOT NULL DEFAULT 'awaiting_payment',
    total_amount    INTEGER NOT NULL,
    discount_amount INTEGER NOT NULL,
    final_amount    INTEGER NOT NULL CHECK (final_amount > 0),
    -- A digest of what the store sent, so the same order sent again can be told from a conflict.
    request_digest  TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_by_shopper ON orders (shopper_id, status);

CREATE TABLE order_lines (
    order_id             INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    product_id           TEXT,
    product_name         TEXT NOT NULL,
    product_description  TEXT,
    product_image        TEXT,
    quantity             INTEGER NOT NULL CHECK (quantity > 0),
    unit_amount          INTEGER NOT NULL CHECK (unit_amount >= 0),
    unit_discount_amount INTEGER NOT NULL DEFAULT 0 CHECK (unit_discount_amount >= 0),
    tax_rate             REAL,
    is_food              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, position)
) STRICT;

CREATE TABLE order_discounts (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (order_id, position)
) STRICT;

-- One attempt to pay an order through Voucherly. The row is written before Voucherly is called;
-- `reference` is the payment's `referenceId` there, so a callback can find it even if the app
-- stopped before it stored Voucherly's payment id.
CREATE TABLE payments (
    id                   INTEGER PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    shopper_id           INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    order_id             INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- From the form: a resubmitted form finds this row instead of paying twice.
    idempotency_key      TEXT NOT NULL,
    environment          TEXT NOT NULL,
    amount               INTEGER NOT NULL,
    currency             TEXT NOT NULL DEFAULT 'EUR',
    -- The saved method chosen (NULL: chosen at Voucherly's checkout) and how it read then.
    method_id            TEXT,
    method_label         TEXT,
    voucherly_payment_id TEXT UNIQUE,
    checkout_url         TEXT,
    -- creating | create_failed | requested | paid | failed | refunded | abandoned
    status               TEXT NOT NULL DEFAULT 'creating',
    -- Voucherly's own word for it, as last read.
    voucherly_status     TEXT,
    -- For the log and support, never shown to shoppers.
    error                TEXT,
    -- The reconciler's schedule for re-reading an unsettled payment.
    next_check_at        INTEGER,
    check_interval       INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (shopper_id, idempotency_key)
) STRICT;
CREATE INDEX payments_by_shopper ON payments (shopper_id, created_at DESC, id DESC);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_to_check ON payments (status, next_check_at);

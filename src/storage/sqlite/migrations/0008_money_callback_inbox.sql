-- Voucherly's callbacks, kept before they are answered: the answer is `{"ok": true}` at once, and a
-- worker reads each payment back from the API and applies it, retrying with backoff while the API
-- is down. One row per Voucherly payment; a callback heard again makes it due again.
CREATE TABLE callback_inbox (
    voucherly_payment_id TEXT PRIMARY KEY,
    received_at          INTEGER NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_try_at          INTEGER NOT NULL,
    -- For support: why the last read-back did not settle it.
    last_error           TEXT,
    -- Set when the payment was read back and applied (or given up).
    done_at              INTEGER
) STRICT;
CREATE INDEX callback_inbox_due ON callback_inbox (done_at, next_try_at);

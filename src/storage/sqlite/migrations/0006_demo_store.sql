-- The demo store's own records (demo mode only): what a store's server would keep.
--
-- Notifications its webhook received. A validly signed event is kept once per event id, which
-- is how a store drops duplicate deliveries. Events with a bad signature are kept too, so a
-- developer sees them refused, but they never take an event id away from a genuine event (the
-- unique index covers valid ones only) and only the newest few are kept.
CREATE TABLE demo_store_events (
    id              INTEGER PRIMARY KEY,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    store_order_id  TEXT,
    signature_valid INTEGER NOT NULL CHECK (signature_valid IN (0, 1)),
    received_at     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX demo_store_events_once ON demo_store_events (event_id)
    WHERE signature_valid = 1;

-- The demo store's calls to the store API, shown back to the browser that made them: `id` is an
-- unguessable token put in the redirect after the form; only the newest few are kept.
CREATE TABLE demo_store_calls (
    id         TEXT PRIMARY KEY,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    request    TEXT NOT NULL,
    status     INTEGER,
    response   TEXT NOT NULL,
    -- For the "open this order" hand-over offered after a successful order.
    store_user_id  TEXT NOT NULL,
    store_order_id TEXT,
    created_at INTEGER NOT NULL
) STRICT;

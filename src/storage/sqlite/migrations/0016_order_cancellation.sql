-- An order the store cancelled before it was paid (status 'cancelled'): when, and the reason
-- the store gave, kept from the first cancellation so a repeated request answers the same.
ALTER TABLE orders ADD COLUMN cancelled_at INTEGER;
ALTER TABLE orders ADD COLUMN cancel_reason TEXT;

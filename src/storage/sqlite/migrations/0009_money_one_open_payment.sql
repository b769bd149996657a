-- At most one open Voucherly payment per order: a payment being created or at the checkout.
-- Starting another first closes the open one (voided at Voucherly); the index makes the rule
-- hold across instances sharing the database. Older duplicates, from before the rule, keep
-- being re-read by the reconciler but no longer count as open.
UPDATE payments SET status = 'create_failed',
    error = COALESCE(error, 'superseded by a newer payment of the order')
WHERE status IN ('creating', 'requested')
  AND id NOT IN (SELECT MAX(id) FROM payments WHERE status IN ('creating', 'requested')
                 GROUP BY order_id);
CREATE UNIQUE INDEX one_open_payment_per_order ON payments (order_id)
    WHERE status IN ('creating', 'requested');

-- A payment that took money for an order already paid (two checkouts approved): it is refunded
-- automatically. `refund_due_at` is when the refunder next tries; `refund_error` says why a
-- refund could not be made (then a person must refund it, and the store was told).
ALTER TABLE payments ADD COLUMN is_duplicate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN refund_due_at INTEGER;
ALTER TABLE payments ADD COLUMN refund_error TEXT;
CREATE INDEX payments_refund_due ON payments (refund_due_at) WHERE refund_due_at IS NOT NULL;

-- The meal-voucher part of what a payment took (Voucherly's `paidVoucherAmount`), and what it
-- took in all (`paidAmount`), as last read: the history shows the voucher part, and a paid
-- amount other than the order's is flagged.
ALTER TABLE payments ADD COLUMN paid_amount INTEGER;
ALTER TABLE payments ADD COLUMN paid_voucher_amount INTEGER;

-- A shopper's first payment in an environment, while Voucherly creates their customer: other
-- first payments of the shopper wait for its customer id instead of creating another customer.
-- A claim left by a stopped instance lapses at `until`.
CREATE TABLE customer_claims (
    shopper_id  INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    environment TEXT NOT NULL,
    until       INTEGER NOT NULL,
    PRIMARY KEY (shopper_id, environment)
) STRICT;

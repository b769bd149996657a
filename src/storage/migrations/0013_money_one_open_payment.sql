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

-- What Voucherly last reported of each payment's money, by method, with its captured and
-- refunded totals and when it was paid and captured: the store's reconciliation lists them.
ALTER TABLE payments ADD COLUMN paid_digital_amount INTEGER;
ALTER TABLE payments ADD COLUMN paid_fringe_amount INTEGER;
ALTER TABLE payments ADD COLUMN paid_cash_amount INTEGER;
ALTER TABLE payments ADD COLUMN confirmed_amount INTEGER;
ALTER TABLE payments ADD COLUMN refunded_amount INTEGER;
ALTER TABLE payments ADD COLUMN paid_at INTEGER;
ALTER TABLE payments ADD COLUMN confirmed_at INTEGER;
-- The store API lists payments oldest first, a page at a time after (created_at, id).
CREATE INDEX payments_by_creation ON payments (created_at, id);

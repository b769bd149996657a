-- What Voucherly last reported of each payment's money, by method, with its captured and
-- refunded totals and when it was paid and captured: the store's reconciliation lists them.
ALTER TABLE payments
    ADD COLUMN paid_digital_amount BIGINT,
    ADD COLUMN paid_fringe_amount  BIGINT,
    ADD COLUMN paid_cash_amount    BIGINT,
    ADD COLUMN confirmed_amount    BIGINT,
    ADD COLUMN refunded_amount     BIGINT,
    ADD COLUMN paid_at             BIGINT,
    ADD COLUMN confirmed_at        BIGINT;
-- The store API lists payments oldest first, a page at a time after (created_at, id).
CREATE INDEX payments_by_creation ON payments (created_at, id);

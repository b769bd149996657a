-- The embedded sandbox's per-payment bookkeeping that the API never shows (src/sandbox/store):
-- the checkout's deadline, until when an authorisation holds, and the outcomes a test chose.
-- JSON, so that the sandbox can grow without another migration.
ALTER TABLE sandbox_payments ADD COLUMN state TEXT NOT NULL DEFAULT '{}';

-- Methods list newest first (list-customer-payment-method.api.mdx).
DROP INDEX sandbox_payment_methods_by_customer;
CREATE INDEX sandbox_payment_methods_by_customer
    ON sandbox_payment_methods (customer_id, created_at DESC);

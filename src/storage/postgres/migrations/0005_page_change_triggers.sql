-- Every table a shopper's pages read tells every instance, at commit, which shopper's rows
-- changed (`pages:<shopper id>` on the change feed's channel), so that no writer (the
-- application's, another instance's, an operator's `psql`) can leave a cached page stale.
-- TG_ARGV[0] says how a row names its shopper: 'shopper' (the column TG_ARGV[1] holds the
-- shopper's id), 'order' or 'payment' (it holds the id of a row of that table).
CREATE FUNCTION notify_pages_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed_row jsonb;
    named_id bigint;
    changed_shopper bigint;
BEGIN
    FOREACH changed_row IN ARRAY ARRAY[to_jsonb(OLD), to_jsonb(NEW)] LOOP
        CONTINUE WHEN changed_row IS NULL;
        named_id := (changed_row ->> TG_ARGV[1])::bigint;
        changed_shopper := CASE TG_ARGV[0]
            WHEN 'shopper' THEN named_id
            WHEN 'order' THEN (SELECT o.shopper_id FROM orders o WHERE o.id = named_id)
            WHEN 'payment' THEN (SELECT p.shopper_id FROM payments p WHERE p.id = named_id)
        END;
        IF changed_shopper IS NOT NULL THEN
            PERFORM pg_notify('voucherly_account_changes', 'pages:' || changed_shopper);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER pages_shoppers AFTER INSERT OR UPDATE OR DELETE ON shoppers
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('shopper', 'id');
CREATE TRIGGER pages_voucherly_customers AFTER INSERT OR UPDATE OR DELETE ON voucherly_customers
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('shopper', 'shopper_id');
CREATE TRIGGER pages_preferred_methods AFTER INSERT OR UPDATE OR DELETE ON preferred_methods
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('shopper', 'shopper_id');
CREATE TRIGGER pages_orders AFTER INSERT OR UPDATE OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('shopper', 'shopper_id');
CREATE TRIGGER pages_payments AFTER INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('shopper', 'shopper_id');
CREATE TRIGGER pages_order_lines AFTER INSERT OR UPDATE OR DELETE ON order_lines
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('order', 'order_id');
CREATE TRIGGER pages_order_discounts AFTER INSERT OR UPDATE OR DELETE ON order_discounts
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('order', 'order_id');
CREATE TRIGGER pages_store_refunds AFTER INSERT OR UPDATE OR DELETE ON store_refunds
    FOR EACH ROW EXECUTE FUNCTION notify_pages_changed('payment', 'payment_id');

use super::*;

fn line(quantity: i64, unit_amount: i64, unit_discount_amount: i64) -> OrderLine {
    OrderLine {
        product_id: Some("p1".into()),
        product_name: "Pizza".into(),
        product_description: None,
        product_image: Some("https://shop.example/pizza.jpg".into()),
        quantity,
        unit_amount,
        unit_discount_amount,
        tax_rate: Some(10.0),
        is_food: true,
    }
}

fn discount(amount: i64) -> OrderDiscount {
    OrderDiscount {
        name: "Promo".into(),
        description: None,
        amount,
    }
}

fn order(lines: Vec<OrderLine>, final_amount: i64) -> Order {
    Order {
        id: 1,
        shopper_id: 1,
        store_order_id: "o-1".into(),
        currency: "EUR".into(),
        status: OrderStatus::AwaitingPayment,
        total_amount: final_amount,
        discount_amount: 0,
        final_amount,
        created_at: 0,
        lines,
        discounts: Vec::new(),
    }
}

#[test]
fn totals_are_worked_out_from_the_lines_and_discounts() {
    let order = NewOrder::parse(
        "o-1",
        vec![line(2, 750, 0), line(1, 450, 50)],
        vec![discount(200)],
    )
    .unwrap();
    assert_eq!(
        order.totals(),
        Totals {
            total_amount: 1950,
            discount_amount: 250,
            final_amount: 1700
        }
    );
}

#[test]
fn orders_that_come_to_nothing_overflow_or_are_malformed_are_refused() {
    let refused = |lines: Vec<OrderLine>, discounts: Vec<OrderDiscount>| {
        NewOrder::parse("o-1", lines, discounts).is_err()
    };
    assert!(refused(vec![line(1, 500, 0)], vec![discount(500)]));
    assert!(refused(vec![line(1, 0, 0)], vec![]));
    assert!(refused(vec![line(0, 500, 0)], vec![]));
    assert!(refused(vec![line(1, 500, 600)], vec![]));
    assert!(refused(vec![line(i64::MAX, 2, 0)], vec![]));
    assert!(refused(vec![line(1, 500, 0)], vec![discount(-1)]));
    assert!(refused(vec![], vec![]));
    let mut bad_image = line(1, 500, 0);
    bad_image.product_image = Some("javascript:alert(1)".into());
    assert!(refused(vec![bad_image], vec![]));
    assert!(NewOrder::parse(" ", vec![line(1, 500, 0)], vec![]).is_err());
}

#[test]
fn the_same_order_has_the_same_digest_and_another_shopper_another() {
    let order = || NewOrder::parse("o-1", vec![line(2, 750, 0)], vec![]).unwrap();
    assert_eq!(order().digest(1), order().digest(1));
    assert_ne!(order().digest(1), order().digest(2));
    let changed = NewOrder::parse("o-1", vec![line(3, 750, 0)], vec![]).unwrap();
    assert_ne!(order().digest(1), changed.digest(1));
}

#[test]
fn a_line_comes_to_its_quantity_times_the_discounted_unit() {
    assert_eq!(line(3, 450, 50).final_amount(), 1200);
}

#[test]
fn an_order_has_food_when_any_line_is_food() {
    let mut not_food = line(1, 500, 0);
    not_food.is_food = false;
    assert!(!order(vec![not_food.clone()], 500).has_food());
    assert!(order(vec![not_food, line(1, 500, 0)], 1000).has_food());
}

#[test]
fn meal_vouchers_pay_the_food_only() {
    let mut not_food = line(1, 500, 0);
    not_food.is_food = false;
    assert_eq!(order(vec![not_food.clone()], 500).food_amount(), 0);
    assert_eq!(
        order(vec![not_food, line(1, 300, 0)], 800).food_amount(),
        300
    );
}

fn payment(status: &str, voucherly_payment_id: Option<&str>) -> StorePayment {
    StorePayment {
        reference: "r".into(),
        voucherly_payment_id: voucherly_payment_id.map(str::to_owned),
        status: status.into(),
        amount: 500,
        method: None,
        created_at: 0,
        updated_at: 0,
    }
}

fn store_order(status: OrderStatus, payments: Vec<StorePayment>) -> StoreOrder {
    let mut order = order(vec![line(1, 500, 0)], 500);
    order.status = status;
    StoreOrder {
        order,
        store_user_id: "anna".into(),
        updated_at: 0,
        payments,
    }
}

#[test]
fn the_store_sees_the_payment_that_paid_else_the_latest_with_an_id() {
    let paid = store_order(
        OrderStatus::Paid,
        vec![payment("paid", Some("v1")), payment("failed", Some("v2"))],
    );
    assert_eq!(paid.voucherly_payment_id(), Some("v1"));
    let failed = store_order(
        OrderStatus::AwaitingPayment,
        vec![payment("failed", Some("v1")), payment("requested", None)],
    );
    assert_eq!(failed.voucherly_payment_id(), Some("v1"));
    assert_eq!(
        store_order(OrderStatus::AwaitingPayment, vec![]).voucherly_payment_id(),
        None
    );
}

#[test]
fn a_paid_order_whose_money_is_only_authorised_is_authorised() {
    let authorised = store_order(OrderStatus::Paid, vec![payment("authorised", Some("v1"))]);
    assert_eq!(authorised.status(), "authorised");
    let captured = store_order(OrderStatus::Paid, vec![payment("paid", Some("v1"))]);
    assert_eq!(captured.status(), "paid");
    assert_eq!(
        store_order(OrderStatus::AwaitingPayment, vec![]).status(),
        "awaiting_payment"
    );
}

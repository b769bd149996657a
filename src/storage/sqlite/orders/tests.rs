use super::*;
use crate::domain::{Email, PersonName, StoreUserId};
use crate::storage::sqlite::shoppers::{self, ShopperDetails};

fn line(quantity: i64, unit_amount: i64, unit_discount_amount: i64) -> NewOrderLine {
    NewOrderLine {
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

fn discount(amount: i64) -> NewOrderDiscount {
    NewOrderDiscount {
        name: "Promo".into(),
        description: None,
        amount,
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
    let refused = |lines: Vec<NewOrderLine>, discounts: Vec<NewOrderDiscount>| {
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

async fn database_with_two_shoppers() -> (tempfile::TempDir, Database, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("test.db")).unwrap();
    let mut ids = Vec::new();
    for name in ["anna", "bruno"] {
        let details = ShopperDetails {
            store_user_id: StoreUserId::parse(name).unwrap(),
            email: Email::parse(&format!("{name}@example.com")).unwrap(),
            first_name: PersonName::parse(name).unwrap(),
            last_name: PersonName::parse("Test").unwrap(),
            language: crate::i18n::Lang::It,
        };
        ids.push(shoppers::upsert(&db, details).await.unwrap());
    }
    (dir, db, ids[0], ids[1])
}

#[tokio::test]
async fn the_same_order_twice_is_one_order_and_a_different_one_is_a_conflict() {
    let (_dir, db, anna, bruno) = database_with_two_shoppers().await;
    let order = || NewOrder::parse("o-1", vec![line(2, 750, 0)], vec![discount(100)]).unwrap();

    let CreateOrder::Created(id) = create(&db, anna, order()).await.unwrap() else {
        panic!("not created");
    };
    assert_eq!(
        create(&db, anna, order()).await.unwrap(),
        CreateOrder::AlreadyExists(id)
    );
    let changed = NewOrder::parse("o-1", vec![line(3, 750, 0)], vec![]).unwrap();
    assert_eq!(
        create(&db, anna, changed).await.unwrap(),
        CreateOrder::Conflict
    );
    assert_eq!(
        create(&db, bruno, order()).await.unwrap(),
        CreateOrder::Conflict
    );

    let stored = find_for_shopper(&db, anna, id).await.unwrap().unwrap();
    assert_eq!(stored.final_amount, 1400);
    assert_eq!(stored.lines.len(), 1);
    assert_eq!(stored.discounts[0].amount, 100);
    assert_eq!(awaiting_payment(&db, anna).await.unwrap().len(), 1);
    assert!(find_for_shopper(&db, bruno, id).await.unwrap().is_none());
    assert!(awaiting_payment(&db, bruno).await.unwrap().is_empty());
}

use super::*;
use crate::domain::order::{OrderDiscount, OrderLine};
use crate::domain::{Email, PersonName, ShopperDetails, StoreUserId};
use crate::storage::ShopperStore;

fn line(quantity: i64, unit_amount: i64) -> OrderLine {
    OrderLine {
        product_id: Some("p1".into()),
        product_name: "Pizza".into(),
        product_description: None,
        product_image: Some("https://shop.example/pizza.jpg".into()),
        quantity,
        unit_amount,
        unit_discount_amount: 0,
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
            language: "it",
        };
        ids.push(db.upsert_shopper(details).await.unwrap());
    }
    (dir, db, ids[0], ids[1])
}

#[tokio::test]
async fn the_same_order_twice_is_one_order_and_a_different_one_is_a_conflict() {
    let (_dir, db, anna, bruno) = database_with_two_shoppers().await;
    let order = || NewOrder::parse("o-1", vec![line(2, 750)], vec![discount(100)]).unwrap();

    let CreateOrder::Created(id) = db.create_order(anna, order()).await.unwrap() else {
        panic!("not created");
    };
    assert_eq!(
        db.create_order(anna, order()).await.unwrap(),
        CreateOrder::AlreadyExists(id)
    );
    let changed = NewOrder::parse("o-1", vec![line(3, 750)], vec![]).unwrap();
    assert_eq!(
        db.create_order(anna, changed).await.unwrap(),
        CreateOrder::Conflict
    );
    assert_eq!(
        db.create_order(bruno, order()).await.unwrap(),
        CreateOrder::Conflict
    );

    let stored = db.order_for_shopper(anna, id).await.unwrap().unwrap();
    assert_eq!(stored.final_amount, 1400);
    assert_eq!(stored.lines, vec![line(2, 750)]);
    assert_eq!(stored.discounts, vec![discount(100)]);
    assert_eq!(db.orders_awaiting_payment(anna).await.unwrap().len(), 1);
    assert!(db.order_for_shopper(bruno, id).await.unwrap().is_none());
    assert!(db.orders_awaiting_payment(bruno).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_order_is_found_by_the_store_s_ids() {
    let (_dir, db, anna, _) = database_with_two_shoppers().await;
    let order = NewOrder::parse("o-1", vec![line(1, 500)], vec![]).unwrap();
    let CreateOrder::Created(id) = db.create_order(anna, order).await.unwrap() else {
        panic!("not created");
    };
    let found = db.store_order("o-1").await.unwrap().unwrap();
    assert_eq!((found.order.id, found.store_user_id.as_str()), (id, "anna"));
    assert!(found.payments.is_empty());
    assert_eq!(
        db.owner_of_order("o-1").await.unwrap().as_deref(),
        Some("anna")
    );
    assert_eq!(
        db.order_of_store_user("anna", "o-1").await.unwrap(),
        Some(id)
    );
    assert_eq!(db.order_of_store_user("bruno", "o-1").await.unwrap(), None);
    assert!(db.store_order("o-2").await.unwrap().is_none());
    assert!(db.owner_of_order("o-2").await.unwrap().is_none());
}

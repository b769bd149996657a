//! Orders on both engines: stored once per store order id (the same order again is the same,
//! another one a conflict, also when sent at once), read back whole, found by the store's ids.

use std::sync::Arc;

use tokio::sync::Barrier;
use voucherly_account::domain::order::{CreateOrder, NewOrder, OrderDiscount, OrderLine};
use voucherly_account::domain::{Email, PersonName, ShopperDetails, StoreUserId};
use voucherly_account::storage::{OrderStore, ShopperStore};

/// How many times a race is run: each run is short, and a lost race shows in a few of them.
const ROUNDS: usize = 30;

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

fn other_line() -> OrderLine {
    OrderLine {
        product_id: None,
        product_name: "Napkins".into(),
        product_description: Some("A pack of 50".into()),
        product_image: None,
        quantity: 3,
        unit_amount: 199,
        unit_discount_amount: 20,
        tax_rate: None,
        is_food: false,
    }
}

fn discount(amount: i64) -> OrderDiscount {
    OrderDiscount {
        name: "Promo".into(),
        description: None,
        amount,
    }
}

fn order(store_order_id: &str) -> NewOrder {
    NewOrder::parse(store_order_id, vec![line(2, 750)], vec![discount(100)]).unwrap()
}

async fn shopper(store: &impl ShopperStore, name: &str) -> i64 {
    let details = ShopperDetails {
        store_user_id: StoreUserId::parse(name).unwrap(),
        email: Email::parse(&format!("{name}@example.com")).unwrap(),
        first_name: PersonName::parse(name).unwrap(),
        last_name: PersonName::parse("Test").unwrap(),
        language: "it",
    };
    store.upsert_shopper(details).await.unwrap()
}

#[tokio::test]
async fn the_same_order_twice_is_one_order_and_a_different_one_is_a_conflict() {
    on_both!(|store| {
        let (anna, bruno) = (shopper(store, "anna").await, shopper(store, "bruno").await);
        let CreateOrder::Created(id) = store.create_order(anna, order("o-1")).await.unwrap() else {
            panic!("not created");
        };
        assert_eq!(
            store.create_order(anna, order("o-1")).await.unwrap(),
            CreateOrder::AlreadyExists(id)
        );
        let changed = NewOrder::parse("o-1", vec![line(3, 750)], vec![]).unwrap();
        assert_eq!(
            store.create_order(anna, changed).await.unwrap(),
            CreateOrder::Conflict
        );
        assert_eq!(
            store.create_order(bruno, order("o-1")).await.unwrap(),
            CreateOrder::Conflict,
            "another shopper's order with the same id"
        );

        let stored = store.order_for_shopper(anna, id).await.unwrap().unwrap();
        assert_eq!(
            (stored.id, stored.shopper_id, stored.store_order_id.as_str()),
            (id, anna, "o-1")
        );
        assert_eq!(
            (
                stored.total_amount,
                stored.discount_amount,
                stored.final_amount
            ),
            (1500, 100, 1400)
        );
        assert_eq!(
            (stored.currency.as_str(), stored.status.as_str()),
            ("EUR", "awaiting_payment")
        );
        assert_eq!(stored.lines, vec![line(2, 750)]);
        assert_eq!(stored.discounts, vec![discount(100)]);
        assert!(stored.created_at > 1_700_000_000);
        assert!(store.order_for_shopper(bruno, id).await.unwrap().is_none());
        assert!(
            store
                .order_for_shopper(anna, id + 1000)
                .await
                .unwrap()
                .is_none()
        );
    });
}

#[tokio::test]
async fn lines_and_discounts_come_back_in_order_with_every_field() {
    on_both!(|store| {
        let anna = shopper(store, "anna").await;
        let lines = vec![line(1, 500), other_line(), line(2, 300)];
        let discounts = vec![
            discount(50),
            OrderDiscount {
                name: "Welcome".into(),
                description: Some("First order".into()),
                amount: 25,
            },
        ];
        let new = NewOrder::parse("o-7", lines.clone(), discounts.clone()).unwrap();
        let CreateOrder::Created(id) = store.create_order(anna, new).await.unwrap() else {
            panic!("not created");
        };
        let stored = store.order_for_shopper(anna, id).await.unwrap().unwrap();
        assert_eq!(stored.lines, lines);
        assert_eq!(stored.discounts, discounts);
        assert_eq!(stored.total_amount, 500 + 3 * 199 + 600);
        assert_eq!(stored.discount_amount, 3 * 20 + 50 + 25);
        assert_eq!(
            stored.final_amount,
            stored.total_amount - stored.discount_amount
        );
    });
}

#[tokio::test]
async fn orders_awaiting_payment_are_the_shopper_s_own_oldest_first() {
    on_both!(|store| {
        let (anna, bruno) = (shopper(store, "anna").await, shopper(store, "bruno").await);
        assert!(
            store
                .orders_awaiting_payment(anna)
                .await
                .unwrap()
                .is_empty()
        );
        let mut ids = Vec::new();
        for name in ["o-1", "o-2", "o-3"] {
            match store.create_order(anna, order(name)).await.unwrap() {
                CreateOrder::Created(id) => ids.push(id),
                other => panic!("{other:?}"),
            }
        }
        store.create_order(bruno, order("o-4")).await.unwrap();
        let awaiting = store.orders_awaiting_payment(anna).await.unwrap();
        let found: Vec<_> = awaiting.iter().map(|o| o.id).collect();
        assert_eq!(found, ids);
        assert!(awaiting.iter().all(|o| o.lines == vec![line(2, 750)]));
        assert!(awaiting.iter().all(|o| o.discounts == vec![discount(100)]));
        assert_eq!(store.orders_awaiting_payment(bruno).await.unwrap().len(), 1);
    });
}

#[tokio::test]
async fn an_order_is_found_by_the_store_s_ids() {
    on_both!(|store| {
        let (anna, _) = (shopper(store, "anna").await, shopper(store, "bruno").await);
        let CreateOrder::Created(id) = store.create_order(anna, order("o-1")).await.unwrap() else {
            panic!("not created");
        };
        let found = store.store_order("o-1").await.unwrap().unwrap();
        assert_eq!((found.order.id, found.store_user_id.as_str()), (id, "anna"));
        assert_eq!(found.order.lines, vec![line(2, 750)]);
        assert!(found.updated_at >= found.order.created_at);
        assert!(found.payments.is_empty());
        assert_eq!(
            store.owner_of_order("o-1").await.unwrap().as_deref(),
            Some("anna")
        );
        assert_eq!(
            store.order_of_store_user("anna", "o-1").await.unwrap(),
            Some(id)
        );
        assert_eq!(
            store.order_of_store_user("bruno", "o-1").await.unwrap(),
            None
        );
        assert_eq!(
            store.order_of_store_user("anna", "o-2").await.unwrap(),
            None
        );
        assert!(store.store_order("o-2").await.unwrap().is_none());
        assert!(store.owner_of_order("o-2").await.unwrap().is_none());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_order_sent_many_times_at_once_is_stored_once() {
    on_both!(|store| {
        let anna = shopper(store, "anna").await;
        for round in 0..ROUNDS {
            let store_order_id = format!("o-{round}");
            let start = Arc::new(Barrier::new(4));
            let tasks: Vec<_> = (0..4)
                .map(|_| {
                    let (store, start) = (store.clone(), Arc::clone(&start));
                    let new = order(&store_order_id);
                    tokio::spawn(async move {
                        start.wait().await;
                        store.create_order(anna, new).await.unwrap()
                    })
                })
                .collect();
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.unwrap());
            }
            let created: Vec<_> = outcomes
                .iter()
                .filter_map(|o| match o {
                    CreateOrder::Created(id) => Some(*id),
                    _ => None,
                })
                .collect();
            assert_eq!(created.len(), 1, "round {round}: {outcomes:?}");
            let same = |o: &CreateOrder| {
                matches!(o, CreateOrder::Created(id) | CreateOrder::AlreadyExists(id)
                    if *id == created[0])
            };
            assert!(outcomes.iter().all(same), "round {round}: {outcomes:?}");
            let stored = store.store_order(&store_order_id).await.unwrap().unwrap();
            assert_eq!(stored.order.id, created[0]);
            assert_eq!(stored.order.lines.len(), 1, "its lines were stored once");
        }
        let awaiting = store.orders_awaiting_payment(anna).await.unwrap();
        assert_eq!(awaiting.len(), ROUNDS);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn different_orders_sent_at_once_under_one_id_store_one_and_conflict_the_rest() {
    on_both!(|store| {
        let anna = shopper(store, "anna").await;
        for round in 0..ROUNDS {
            let store_order_id = format!("o-{round}");
            let start = Arc::new(Barrier::new(4));
            let tasks: Vec<_> = (1..=4)
                .map(|quantity| {
                    let (store, start) = (store.clone(), Arc::clone(&start));
                    let lines = vec![line(quantity, 500)];
                    let new = NewOrder::parse(&store_order_id, lines, vec![]).unwrap();
                    tokio::spawn(async move {
                        start.wait().await;
                        store.create_order(anna, new).await.unwrap()
                    })
                })
                .collect();
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await.unwrap());
            }
            let created = outcomes
                .iter()
                .filter(|o| matches!(o, CreateOrder::Created(_)))
                .count();
            let conflicts = outcomes
                .iter()
                .filter(|o| **o == CreateOrder::Conflict)
                .count();
            assert_eq!((created, conflicts), (1, 3), "round {round}: {outcomes:?}");
            let stored = store.store_order(&store_order_id).await.unwrap().unwrap();
            assert_eq!(stored.order.lines.len(), 1);
            assert_eq!(
                stored.order.total_amount,
                stored.order.lines[0].quantity * 500
            );
        }
    });
}

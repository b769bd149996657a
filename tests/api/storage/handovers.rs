//! Hand-over links on both engines: redeemed once (also by many requests at once), gone when
//! used or expired, swept a day after their expiry.

use voucherly_account::domain::order::{CreateOrder, NewOrder, OrderLine};
use voucherly_account::domain::{
    Email, HandoverToken, NewHandover, PersonName, Redeemed, ShopperDetails, StoreUserId,
};
use voucherly_account::storage::{HandoverStore, OrderStore, ShopperStore};

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 24 * 3600;

async fn shopper(store: &impl ShopperStore, name: &str, language: &'static str) -> i64 {
    let details = ShopperDetails {
        store_user_id: StoreUserId::parse(name).unwrap(),
        email: Email::parse(&format!("{name}@example.com")).unwrap(),
        first_name: PersonName::parse(name).unwrap(),
        last_name: PersonName::parse("Test").unwrap(),
        language,
    };
    store.upsert_shopper(details).await.unwrap()
}

fn handover(shopper_id: i64, order_id: Option<i64>, expires_at: i64) -> NewHandover {
    NewHandover {
        shopper_id,
        return_url: "https://shop.example/account".into(),
        order_id,
        expires_at,
    }
}

#[tokio::test]
async fn a_link_signs_in_once_then_is_gone() {
    on_both!(|store| {
        let anna = shopper(store, "anna", "en").await;
        let line = OrderLine {
            product_id: None,
            product_name: "Pizza".into(),
            product_description: None,
            product_image: None,
            quantity: 1,
            unit_amount: 900,
            unit_discount_amount: 0,
            tax_rate: None,
            is_food: true,
        };
        let order = NewOrder::parse("o-1", vec![line], vec![]).unwrap();
        let CreateOrder::Created(order_id) = store.create_order(anna, order).await.unwrap() else {
            panic!("not created");
        };
        let token = HandoverToken::generate().unwrap();
        store
            .create_handover(&token, handover(anna, Some(order_id), NOW + 60), NOW)
            .await
            .unwrap();
        let bare = HandoverToken::generate().unwrap();
        store
            .create_handover(&bare, handover(anna, None, NOW + 60), NOW)
            .await
            .unwrap();

        assert_eq!(
            store.redeem_handover(&token, NOW + 1).await.unwrap(),
            Redeemed::SignedIn {
                shopper_id: anna,
                return_url: "https://shop.example/account".into(),
                order_id: Some(order_id),
                language: "en".into(),
            }
        );
        let gone = Redeemed::Gone {
            return_url: "https://shop.example/account".into(),
            language: "en".into(),
        };
        assert_eq!(store.redeem_handover(&token, NOW + 2).await.unwrap(), gone);
        assert!(matches!(
            store.redeem_handover(&bare, NOW + 2).await.unwrap(),
            Redeemed::SignedIn { order_id: None, .. }
        ));
        let parsed = HandoverToken::parse(&token.as_str().to_ascii_uppercase()).unwrap();
        assert_eq!(
            store.redeem_handover(&parsed, NOW + 3).await.unwrap(),
            gone,
            "the same token, however it is written, is the same link"
        );
        let unknown = HandoverToken::generate().unwrap();
        assert_eq!(
            store.redeem_handover(&unknown, NOW).await.unwrap(),
            Redeemed::Unknown
        );
    });
}

#[tokio::test]
async fn a_link_is_good_until_its_expiry_and_gone_after() {
    on_both!(|store| {
        let anna = shopper(store, "anna", "it").await;
        let (on_time, late) = (
            HandoverToken::generate().unwrap(),
            HandoverToken::generate().unwrap(),
        );
        for token in [&on_time, &late] {
            store
                .create_handover(token, handover(anna, None, NOW + 60), NOW)
                .await
                .unwrap();
        }
        assert!(matches!(
            store.redeem_handover(&on_time, NOW + 60).await.unwrap(),
            Redeemed::SignedIn { .. }
        ));
        assert_eq!(
            store.redeem_handover(&late, NOW + 61).await.unwrap(),
            Redeemed::Gone {
                return_url: "https://shop.example/account".into(),
                language: "it".into(),
            }
        );
    });
}

#[tokio::test]
async fn links_a_day_past_their_expiry_are_swept_by_the_next_one_made() {
    on_both!(|store| {
        let anna = shopper(store, "anna", "it").await;
        let (old, recent) = (
            HandoverToken::generate().unwrap(),
            HandoverToken::generate().unwrap(),
        );
        store
            .create_handover(&old, handover(anna, None, NOW), NOW - 60)
            .await
            .unwrap();
        store
            .create_handover(&recent, handover(anna, None, NOW + 2), NOW)
            .await
            .unwrap();
        let later = NOW + DAY + 1;
        let next = HandoverToken::generate().unwrap();
        store
            .create_handover(&next, handover(anna, None, later + 60), later)
            .await
            .unwrap();
        assert_eq!(
            store.redeem_handover(&old, later).await.unwrap(),
            Redeemed::Unknown
        );
        assert!(matches!(
            store.redeem_handover(&recent, later).await.unwrap(),
            Redeemed::Gone { .. }
        ));
        assert!(matches!(
            store.redeem_handover(&next, later).await.unwrap(),
            Redeemed::SignedIn { .. }
        ));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_requests_with_one_link_at_once_exactly_one_signs_in() {
    on_both!(|store| {
        let anna = shopper(store, "anna", "it").await;
        for _ in 0..5 {
            let token = HandoverToken::generate().unwrap();
            store
                .create_handover(&token, handover(anna, None, NOW + 60), NOW)
                .await
                .unwrap();
            let tasks: Vec<_> = (0..8)
                .map(|_| {
                    let store = store.clone();
                    let token = HandoverToken::parse(token.as_str()).unwrap();
                    tokio::spawn(
                        async move { store.redeem_handover(&token, NOW + 1).await.unwrap() },
                    )
                })
                .collect();
            let mut signed_in = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Redeemed::SignedIn { shopper_id, .. } => {
                        assert_eq!(shopper_id, anna);
                        signed_in += 1;
                    }
                    Redeemed::Gone { .. } => {}
                    Redeemed::Unknown => panic!("the link was lost"),
                }
            }
            assert_eq!(signed_in, 1);
        }
    });
}

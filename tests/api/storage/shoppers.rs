//! Shoppers, their customer ids, the claim on a first payment and the outdated-profile mark, on
//! both engines; with several callers at once where only one may win.

use std::sync::Arc;

use tokio::sync::Barrier;
use voucherly_account::domain::{Email, FirstPayment, PersonName, ShopperDetails, StoreUserId};
use voucherly_account::storage::ShopperStore;

const SANDBOX: &str = "sandbox";
const LIVE: &str = "live";

/// How many times a race is run: each run is short, and a lost race shows in a few of them.
const ROUNDS: usize = 100;

fn details(store_user_id: &str, email: &str, first_name: &str) -> ShopperDetails {
    ShopperDetails {
        store_user_id: StoreUserId::parse(store_user_id).unwrap(),
        email: Email::parse(email).unwrap(),
        first_name: PersonName::parse(first_name).unwrap(),
        last_name: PersonName::parse("Rossi").unwrap(),
        language: "it",
    }
}

#[tokio::test]
async fn a_shopper_is_created_then_updated_under_the_same_id() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        let other = store
            .upsert_shopper(details("bruno", "bruno@example.com", "Bruno"))
            .await
            .unwrap();
        assert_ne!(id, other);
        let stored = store.shopper(id).await.unwrap().unwrap();
        assert_eq!(
            (
                stored.id,
                stored.store_user_id.as_str(),
                stored.email.as_str()
            ),
            (id, "anna", "anna@example.com")
        );
        assert_eq!(
            (stored.first_name.as_str(), stored.language.as_str()),
            ("Anna", "it")
        );

        let mut changed = details("anna", "anna@new.example", "Annalisa");
        changed.language = "en";
        assert_eq!(store.upsert_shopper(changed).await.unwrap(), id);
        let stored = store
            .shopper_by_store_user_id("anna")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.id, id);
        assert_eq!(
            (stored.email.as_str(), stored.first_name.as_str()),
            ("anna@new.example", "Annalisa")
        );
        assert_eq!(stored.language, "en");
        assert_eq!(
            store.shopper(other).await.unwrap().unwrap().email,
            "bruno@example.com"
        );

        assert!(store.shopper(id + other + 100).await.unwrap().is_none());
        assert!(
            store
                .shopper_by_store_user_id("nobody")
                .await
                .unwrap()
                .is_none()
        );
    });
}

#[tokio::test]
async fn customer_ids_are_kept_per_environment_replaced_and_forgotten_only_if_current() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        assert_eq!(store.customer_id(id, SANDBOX).await.unwrap(), None);
        store
            .save_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        assert_eq!(
            store.customer_id(id, SANDBOX).await.unwrap().as_deref(),
            Some("c1")
        );
        assert_eq!(store.customer_id(id, LIVE).await.unwrap(), None);

        store
            .save_customer_id(id, SANDBOX, "c2".into())
            .await
            .unwrap();
        assert_eq!(
            store.customer_id(id, SANDBOX).await.unwrap().as_deref(),
            Some("c2")
        );
        store
            .forget_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        assert_eq!(
            store.customer_id(id, SANDBOX).await.unwrap().as_deref(),
            Some("c2"),
            "a replaced id is not forgotten in place of the current one"
        );
        store
            .forget_customer_id(id, SANDBOX, "c2".into())
            .await
            .unwrap();
        assert_eq!(store.customer_id(id, SANDBOX).await.unwrap(), None);
    });
}

#[tokio::test]
async fn a_changed_name_or_email_marks_every_customer_outdated_to_be_taken_once() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        store
            .save_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        store.save_customer_id(id, LIVE, "c2".into()).await.unwrap();
        assert_eq!(
            store.take_outdated_profile(id, SANDBOX).await.unwrap(),
            None
        );

        let mut same = details("anna", "anna@example.com", "Anna");
        same.language = "en";
        store.upsert_shopper(same).await.unwrap();
        assert_eq!(
            store.take_outdated_profile(id, SANDBOX).await.unwrap(),
            None,
            "only the name or email matters to Voucherly"
        );

        store
            .upsert_shopper(details("anna", "anna@example.com", "Annalisa"))
            .await
            .unwrap();
        assert_eq!(
            store
                .take_outdated_profile(id, SANDBOX)
                .await
                .unwrap()
                .as_deref(),
            Some("c1")
        );
        assert_eq!(
            store.take_outdated_profile(id, SANDBOX).await.unwrap(),
            None
        );
        assert_eq!(
            store
                .take_outdated_profile(id, LIVE)
                .await
                .unwrap()
                .as_deref(),
            Some("c2")
        );

        store
            .mark_profile_outdated(id, SANDBOX, "not-c1".into())
            .await
            .unwrap();
        assert_eq!(
            store.take_outdated_profile(id, SANDBOX).await.unwrap(),
            None
        );
        store
            .mark_profile_outdated(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        assert_eq!(
            store
                .take_outdated_profile(id, SANDBOX)
                .await
                .unwrap()
                .as_deref(),
            Some("c1")
        );
    });
}

#[tokio::test]
async fn the_first_payment_is_held_by_one_caller_until_released_or_expired() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        let claim = |now| store.claim_first_payment(id, SANDBOX, now, 60);
        assert_eq!(claim(1_000).await.unwrap(), FirstPayment::Claimed);
        assert_eq!(claim(1_001).await.unwrap(), FirstPayment::Busy);
        assert_eq!(claim(1_059).await.unwrap(), FirstPayment::Busy);
        assert_eq!(
            store
                .claim_first_payment(id, LIVE, 1_001, 60)
                .await
                .unwrap(),
            FirstPayment::Claimed,
            "each environment has its own first payment"
        );
        assert_eq!(
            claim(1_060).await.unwrap(),
            FirstPayment::Claimed,
            "expired"
        );
        assert_eq!(claim(1_061).await.unwrap(), FirstPayment::Busy, "renewed");

        store.release_first_payment(id, SANDBOX).await.unwrap();
        assert_eq!(claim(1_062).await.unwrap(), FirstPayment::Claimed);

        store
            .save_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        assert_eq!(
            claim(1_063).await.unwrap(),
            FirstPayment::Customer("c1".into()),
            "a customer id needs no claim, even while one is held"
        );
        store
            .forget_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        assert_eq!(
            claim(1_064).await.unwrap(),
            FirstPayment::Busy,
            "finding the customer left the held claim as it was"
        );
        store.release_first_payment(id, SANDBOX).await.unwrap();
        assert_eq!(claim(1_065).await.unwrap(), FirstPayment::Claimed);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shoppers_upserted_at_once_for_one_store_user_are_one_shopper() {
    on_both!(|store| {
        for round in 0..ROUNDS {
            let store_user_id = format!("anna{round}");
            let start = Arc::new(Barrier::new(4));
            let tasks: Vec<_> = (0..4)
                .map(|i| {
                    let (store, start) = (store.clone(), Arc::clone(&start));
                    let details = details(&store_user_id, &format!("anna{i}@example.com"), "Anna");
                    tokio::spawn(async move {
                        start.wait().await;
                        store.upsert_shopper(details).await.unwrap()
                    })
                })
                .collect();
            let mut ids = Vec::new();
            for task in tasks {
                ids.push(task.await.unwrap());
            }
            ids.dedup();
            assert_eq!(ids.len(), 1, "round {round}: one shopper: {ids:?}");
            let stored = store
                .shopper_by_store_user_id(&store_user_id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(stored.id, ids[0]);
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_callers_claiming_at_once_exactly_one_makes_the_first_payment() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .claim_first_payment(id, SANDBOX, 5_000, 60)
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut claimed = 0;
        for task in tasks {
            match task.await.unwrap() {
                FirstPayment::Claimed => claimed += 1,
                FirstPayment::Busy => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(claimed, 1);
    });
}

/// The holder saves the customer id and lets go while others claim: they find the claim held,
/// or the customer, never a second first payment.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_claim_racing_the_holder_s_save_and_release_never_makes_a_second_first_payment() {
    on_both!(|store| {
        for round in 0..ROUNDS {
            let id = store
                .upsert_shopper(details(
                    &format!("racer{round}"),
                    "racer@example.com",
                    "Racer",
                ))
                .await
                .unwrap();
            let first = store.claim_first_payment(id, SANDBOX, 1_000, 60).await;
            assert_eq!(first.unwrap(), FirstPayment::Claimed);
            let start = Arc::new(Barrier::new(4));
            let holder = {
                let (store, start) = (store.clone(), Arc::clone(&start));
                tokio::spawn(async move {
                    start.wait().await;
                    store
                        .save_customer_id(id, SANDBOX, "c1".into())
                        .await
                        .unwrap();
                    store.release_first_payment(id, SANDBOX).await.unwrap();
                })
            };
            let others: Vec<_> = (0..3)
                .map(|_| {
                    let (store, start) = (store.clone(), Arc::clone(&start));
                    tokio::spawn(async move {
                        start.wait().await;
                        let mut seen = Vec::new();
                        loop {
                            let found = store
                                .claim_first_payment(id, SANDBOX, 1_001, 60)
                                .await
                                .unwrap();
                            let done = found != FirstPayment::Busy;
                            seen.push(found);
                            if done {
                                return seen;
                            }
                        }
                    })
                })
                .collect();
            holder.await.unwrap();
            for other in others {
                let seen = other.await.unwrap();
                assert_eq!(
                    seen.last(),
                    Some(&FirstPayment::Customer("c1".into())),
                    "round {round}: {seen:?}"
                );
            }
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_outdated_profile_taken_by_many_at_once_is_given_to_one() {
    on_both!(|store| {
        let id = store
            .upsert_shopper(details("anna", "anna@example.com", "Anna"))
            .await
            .unwrap();
        store
            .save_customer_id(id, SANDBOX, "c1".into())
            .await
            .unwrap();
        store
            .upsert_shopper(details("anna", "anna@new.example", "Anna"))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.take_outdated_profile(id, SANDBOX).await.unwrap() })
            })
            .collect();
        let mut taken = Vec::new();
        for task in tasks {
            taken.extend(task.await.unwrap());
        }
        assert_eq!(taken, vec!["c1".to_owned()]);
    });
}

//! Preferred methods and method set-ups on both engines: one preferred method per shopper and
//! environment, and one set-up per form, also when the form arrives several times at once.

use voucherly_account::domain::{Email, PersonName, ShopperDetails, StoreUserId};
use voucherly_account::storage::{MethodStore, SetupBegun, SetupCheckout, ShopperStore};

const SANDBOX: &str = "sandbox";
const LIVE: &str = "live";

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
async fn one_preferred_method_per_shopper_and_environment() {
    on_both!(|store| {
        let (anna, bruno) = (shopper(store, "anna").await, shopper(store, "bruno").await);
        assert_eq!(store.preferred_method(anna, SANDBOX).await.unwrap(), None);
        store
            .prefer_method(anna, SANDBOX, "m1".into())
            .await
            .unwrap();
        store
            .prefer_method(anna, SANDBOX, "m2".into())
            .await
            .unwrap();
        store.prefer_method(anna, LIVE, "l1".into()).await.unwrap();
        let preferred = |shopper_id, environment| store.preferred_method(shopper_id, environment);
        assert_eq!(
            preferred(anna, SANDBOX).await.unwrap().as_deref(),
            Some("m2")
        );
        assert_eq!(preferred(anna, LIVE).await.unwrap().as_deref(), Some("l1"));
        assert_eq!(preferred(bruno, SANDBOX).await.unwrap(), None);
    });
}

#[tokio::test]
async fn a_removed_method_is_preferred_no_more_and_its_replacement_is() {
    on_both!(|store| {
        let anna = shopper(store, "anna").await;
        let preferred = || store.preferred_method(anna, SANDBOX);
        store
            .prefer_method(anna, SANDBOX, "m1".into())
            .await
            .unwrap();
        store.prefer_method(anna, LIVE, "m1".into()).await.unwrap();

        store
            .method_removed(anna, SANDBOX, "m9".into(), None)
            .await
            .unwrap();
        assert_eq!(
            preferred().await.unwrap().as_deref(),
            Some("m1"),
            "another method's removal leaves the preferred one"
        );
        store
            .method_removed(anna, SANDBOX, "m1".into(), None)
            .await
            .unwrap();
        assert_eq!(preferred().await.unwrap(), None);
        assert_eq!(
            store.preferred_method(anna, LIVE).await.unwrap().as_deref(),
            Some("m1"),
            "the other environment is left alone"
        );

        store
            .prefer_method(anna, SANDBOX, "m2".into())
            .await
            .unwrap();
        store
            .method_removed(anna, SANDBOX, "m2".into(), Some("m3".into()))
            .await
            .unwrap();
        assert_eq!(preferred().await.unwrap().as_deref(), Some("m3"));
        store
            .method_removed(anna, SANDBOX, "m8".into(), Some("m4".into()))
            .await
            .unwrap();
        assert_eq!(preferred().await.unwrap().as_deref(), Some("m4"));
    });
}

#[tokio::test]
async fn a_method_setup_is_begun_once_per_form_and_records_its_answer() {
    on_both!(|store| {
        let (anna, bruno) = (shopper(store, "anna").await, shopper(store, "bruno").await);
        let known = vec!["m1".to_owned(), "m2".to_owned()];
        let SetupBegun::New(first) = store
            .begin_method_setup(anna, SANDBOX, "form-1".into(), known.clone())
            .await
            .unwrap()
        else {
            panic!("not new");
        };
        assert_eq!((first.shopper_id, &first.known_methods), (anna, &known));
        assert_eq!(
            (first.checkout_url.as_deref(), first.failure.as_deref()),
            (None, None)
        );

        let SetupBegun::Existing(again) = store
            .begin_method_setup(anna, SANDBOX, "form-1".into(), vec![])
            .await
            .unwrap()
        else {
            panic!("not the first one");
        };
        assert_eq!(again.reference, first.reference);
        assert_eq!(
            again.known_methods, known,
            "the first form's methods are kept"
        );

        let SetupBegun::New(other_form) = store
            .begin_method_setup(anna, SANDBOX, "form-2".into(), vec![])
            .await
            .unwrap()
        else {
            panic!("not new");
        };
        assert_ne!(other_form.reference, first.reference);
        assert!(other_form.known_methods.is_empty());
        let SetupBegun::New(bruno_s) = store
            .begin_method_setup(bruno, SANDBOX, "form-1".into(), vec![])
            .await
            .unwrap()
        else {
            panic!("another shopper's form is another set-up");
        };
        assert_eq!(bruno_s.shopper_id, bruno);

        let checkout = SetupCheckout {
            voucherly_payment_id: "pay-1".into(),
            checkout_url: "https://checkout.example/pay-1".into(),
        };
        store
            .record_setup_answer(&first.reference, Ok(checkout))
            .await
            .unwrap();
        let found = store.method_setup(&first.reference).await.unwrap().unwrap();
        assert_eq!(
            found.checkout_url.as_deref(),
            Some("https://checkout.example/pay-1")
        );
        assert_eq!((found.failure, found.known_methods), (None, known));

        store
            .record_setup_answer(&other_form.reference, Err("refused".into()))
            .await
            .unwrap();
        let failed = store
            .method_setup(&other_form.reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (failed.checkout_url, failed.failure.as_deref()),
            (None, Some("refused"))
        );
        assert!(store.method_setup("no-such-setup").await.unwrap().is_none());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_form_sent_many_times_at_once_begins_one_setup() {
    on_both!(|store| {
        let anna = shopper(store, "anna").await;
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .begin_method_setup(anna, SANDBOX, "form-1".into(), vec!["m1".into()])
                        .await
                        .unwrap()
                })
            })
            .collect();
        let (mut new, mut references) = (0, Vec::new());
        for task in tasks {
            let setup = match task.await.unwrap() {
                SetupBegun::New(setup) => {
                    new += 1;
                    setup
                }
                SetupBegun::Existing(setup) => setup,
            };
            references.push(setup.reference);
        }
        references.dedup();
        assert_eq!((new, references.len()), (1, 1), "{references:?}");
    });
}

use std::sync::atomic::{AtomicI64, Ordering};

use super::*;
use crate::storage::Database;

/// A clock that stands still until moved.
#[derive(Default)]
struct HeldClock(AtomicI64);

impl Clock for HeldClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

fn anna(language: Option<Lang>) -> StoreShopper {
    StoreShopper {
        store_user_id: StoreUserId::parse("anna").unwrap(),
        email: Email::parse("anna@example.com").unwrap(),
        first_name: PersonName::parse("Anna").unwrap(),
        last_name: PersonName::parse("Neri").unwrap(),
        language,
    }
}

fn service(dir: &tempfile::TempDir, clock: Arc<HeldClock>) -> (Arc<Database>, Shoppers) {
    let db = Arc::new(Database::open(&dir.path().join("test.db")).unwrap());
    let shoppers = Shoppers::new(db.clone(), db.clone(), db.clone(), clock, 300);
    (db, shoppers)
}

#[tokio::test]
async fn a_shopper_saved_without_a_language_keeps_the_one_they_had() {
    let dir = tempfile::tempdir().unwrap();
    let (db, shoppers) = service(&dir, Arc::default());
    let id = shoppers.save(anna(Some(Lang::En))).await.unwrap();
    assert_eq!(shoppers.save(anna(None)).await.unwrap(), id);
    let stored = db.shopper(id).await.unwrap().unwrap();
    assert_eq!(stored.language, "en");
}

#[tokio::test]
async fn a_new_shopper_without_a_language_gets_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let (db, shoppers) = service(&dir, Arc::default());
    let id = shoppers.save(anna(None)).await.unwrap();
    let stored = db.shopper(id).await.unwrap().unwrap();
    assert_eq!(stored.language, Lang::default().code());
}

#[tokio::test]
async fn a_hand_over_signs_in_once_and_not_after_it_expires() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(HeldClock(AtomicI64::new(1_000)));
    let (_db, shoppers) = service(&dir, clock.clone());
    let id = shoppers.save(anna(Some(Lang::It))).await.unwrap();
    let url = "https://shop.example/account".to_owned();

    let once = shoppers.hand_over(id, url.clone(), None).await.unwrap();
    assert_eq!(once.expires_at, 1_300);
    let signed_in = shoppers.redeem(once.token.as_str()).await.unwrap();
    assert!(matches!(signed_in, Redeemed::SignedIn { shopper_id, .. } if shopper_id == id));
    let again = shoppers.redeem(once.token.as_str()).await.unwrap();
    assert!(matches!(again, Redeemed::Gone { .. }));

    let late = shoppers.hand_over(id, url, None).await.unwrap();
    clock.0.store(1_301, Ordering::SeqCst);
    let expired = shoppers.redeem(late.token.as_str()).await.unwrap();
    assert!(matches!(expired, Redeemed::Gone { .. }));
    assert_eq!(
        shoppers.redeem("not a token").await.unwrap(),
        Redeemed::Unknown
    );
}

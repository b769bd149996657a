//! Kept settings: the first value kept wins, on either engine.

use voucherly_account::storage::SettingsStore;

#[tokio::test]
async fn the_first_value_kept_is_the_one_every_caller_reads() {
    on_both!(|store| {
        let first = store
            .kept_or_keep("session_key", "first".into())
            .await
            .unwrap();
        assert_eq!(first, "first");
        let again = store
            .kept_or_keep("session_key", "second".into())
            .await
            .unwrap();
        assert_eq!(again, "first", "a kept value is never replaced");
    });
}

#[tokio::test]
async fn two_callers_at_once_agree_on_one_value() {
    on_both!(|store| {
        let (a, b) = tokio::join!(
            store.kept_or_keep("webhook_secret", "from-a".into()),
            store.kept_or_keep("webhook_secret", "from-b".into()),
        );
        assert_eq!(a.unwrap(), b.unwrap());
    });
}

//! Rate limits: a fixed window per bucket, counted exactly even when many take at once.

use voucherly_account::storage::{Limit, RateLimitStore};

const LIMIT: Limit = Limit {
    hits: 3,
    window: 60,
};
/// 10 s into a window.
const NOW: i64 = 60 * 1_000 + 10;

#[tokio::test]
async fn a_bucket_allows_its_hits_then_says_how_long_to_wait_until_the_next_window() {
    on_both!(|store| {
        for _ in 0..3 {
            let taken = store
                .take_one("login:ada".into(), LIMIT, NOW)
                .await
                .unwrap();
            assert_eq!(taken, None);
        }
        let over = store
            .take_one("login:ada".into(), LIMIT, NOW + 5)
            .await
            .unwrap();
        assert_eq!(over, Some(45), "the window ends 45 s later");
        let other = store
            .take_one("login:bob".into(), LIMIT, NOW)
            .await
            .unwrap();
        assert_eq!(other, None, "buckets count apart");
        let next_window = store
            .take_one("login:ada".into(), LIMIT, NOW + 50)
            .await
            .unwrap();
        assert_eq!(next_window, None, "a new window starts from zero");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_takes_at_once_allow_exactly_the_limit() {
    on_both!(|store| {
        let limit = Limit {
            hits: 10,
            window: 60,
        };
        let mut takes = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let store = store.clone();
            takes.spawn(async move { store.take_one("busy".into(), limit, NOW).await });
        }
        let answers = takes.join_all().await;
        let allowed = answers
            .into_iter()
            .filter(|answer| answer.as_ref().unwrap().is_none())
            .count();
        assert_eq!(allowed, 10);
    });
}

#[tokio::test]
async fn sweeping_forgets_only_windows_that_started_before() {
    on_both!(|store| {
        store
            .take_one("old".into(), LIMIT, NOW - 120)
            .await
            .unwrap();
        store.take_one("current".into(), LIMIT, NOW).await.unwrap();
        assert_eq!(store.sweep_counters(NOW - 10).await.unwrap(), 1);
        assert_eq!(store.sweep_counters(NOW - 10).await.unwrap(), 0);
        // "current" kept its count: two more fill it, the next is refused.
        for _ in 0..2 {
            assert_eq!(
                store.take_one("current".into(), LIMIT, NOW).await.unwrap(),
                None
            );
        }
        assert!(
            store
                .take_one("current".into(), LIMIT, NOW)
                .await
                .unwrap()
                .is_some()
        );
    });
}

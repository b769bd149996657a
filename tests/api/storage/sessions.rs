//! Sessions: reads end and delete what has ended, extend what is alive only past a step, and no
//! write brings back a session that ended or was deleted.

use voucherly_account::storage::{SessionFound, SessionRead, SessionStore};

const NOW: i64 = 1_000_000;

/// A read as of `now` that extends to `extend_to` when that is `step` or more ahead.
fn read_at(now: i64, extend_to: i64, step: i64) -> SessionRead {
    SessionRead {
        now,
        too_old: Box::new(|_| false),
        extend_to,
        extend_step: step,
    }
}

/// A plain read as of `now`, which extends nothing.
fn read(now: i64) -> SessionRead {
    read_at(now, now, i64::MAX)
}

fn alive(found: SessionFound) -> String {
    match found {
        SessionFound::Alive { state, .. } => state,
        other => panic!("expected an alive session, found {other:?}"),
    }
}

#[tokio::test]
async fn a_kept_session_reads_back_alive_and_an_unknown_key_is_missing() {
    on_both!(|store| {
        store
            .insert_session("k".into(), r#"{"lang":"\"en\""}"#.into(), NOW + 10)
            .await
            .unwrap();
        let state = alive(store.read_session("k".into(), read(NOW)).await.unwrap());
        assert_eq!(state, r#"{"lang":"\"en\""}"#);
        let other = store.read_session("other".into(), read(NOW)).await.unwrap();
        assert!(matches!(other, SessionFound::Missing), "{other:?}");
    });
}

#[tokio::test]
async fn a_read_extends_the_idle_deadline_only_when_it_is_a_step_behind() {
    on_both!(|store| {
        store
            .insert_session("extended".into(), "{}".into(), NOW + 10)
            .await
            .unwrap();
        store
            .insert_session("kept".into(), "{}".into(), NOW + 10)
            .await
            .unwrap();
        // 190 s ahead with a step of 100: extended. 50 s ahead: not worth a write.
        alive(
            store
                .read_session("extended".into(), read_at(NOW, NOW + 200, 100))
                .await
                .unwrap(),
        );
        alive(
            store
                .read_session("kept".into(), read_at(NOW, NOW + 60, 100))
                .await
                .unwrap(),
        );
        let later = NOW + 30;
        alive(
            store
                .read_session("extended".into(), read(later))
                .await
                .unwrap(),
        );
        let kept = store
            .read_session("kept".into(), read(later))
            .await
            .unwrap();
        assert!(matches!(kept, SessionFound::Ended), "{kept:?}");
    });
}

#[tokio::test]
async fn a_read_that_finds_the_session_ended_deletes_it() {
    on_both!(|store| {
        store
            .insert_session("idle".into(), "{}".into(), NOW - 1)
            .await
            .unwrap();
        store
            .insert_session("too old".into(), r#"{"shopper_id":"1"}"#.into(), NOW + 100)
            .await
            .unwrap();
        let idle = store.read_session("idle".into(), read(NOW)).await.unwrap();
        assert!(matches!(idle, SessionFound::Ended), "{idle:?}");
        let too_old = store
            .read_session(
                "too old".into(),
                SessionRead {
                    too_old: Box::new(|state| state.contains("shopper_id")),
                    ..read(NOW)
                },
            )
            .await
            .unwrap();
        assert!(matches!(too_old, SessionFound::Ended), "{too_old:?}");
        // Both are gone: even a read that would accept them finds nothing.
        for key in ["idle", "too old"] {
            let again = store
                .read_session(key.into(), read(NOW - 100))
                .await
                .unwrap();
            assert!(matches!(again, SessionFound::Missing), "{key}: {again:?}");
        }
    });
}

#[tokio::test]
async fn an_update_writes_a_live_session_only() {
    on_both!(|store| {
        store
            .insert_session("live".into(), "{}".into(), NOW + 10)
            .await
            .unwrap();
        let updated = store
            .update_live_session("live".into(), r#"{"a":"1"}"#.into(), NOW + 500, NOW)
            .await
            .unwrap();
        assert!(updated);
        let state = alive(
            store
                .read_session("live".into(), read(NOW + 400))
                .await
                .unwrap(),
        );
        assert_eq!(
            state, r#"{"a":"1"}"#,
            "the state and the new deadline are written"
        );

        store
            .insert_session("ended".into(), "{}".into(), NOW - 1)
            .await
            .unwrap();
        let updated = store
            .update_live_session("ended".into(), r#"{"a":"1"}"#.into(), NOW + 500, NOW)
            .await
            .unwrap();
        assert!(!updated, "an ended session is not written");
        let ended = store.read_session("ended".into(), read(NOW)).await.unwrap();
        assert!(matches!(ended, SessionFound::Ended), "{ended:?}");

        let updated = store
            .update_live_session("never".into(), "{}".into(), NOW + 500, NOW)
            .await
            .unwrap();
        assert!(!updated, "an update does not create a session");
        let never = store.read_session("never".into(), read(NOW)).await.unwrap();
        assert!(matches!(never, SessionFound::Missing), "{never:?}");
    });
}

#[tokio::test]
async fn an_update_never_brings_back_a_deleted_session() {
    on_both!(|store| {
        store
            .insert_session("k".into(), "{}".into(), NOW + 10)
            .await
            .unwrap();
        store.delete_session("k".into()).await.unwrap();
        let updated = store
            .update_live_session("k".into(), "{}".into(), NOW + 500, NOW)
            .await
            .unwrap();
        assert!(!updated);
        let gone = store.read_session("k".into(), read(NOW)).await.unwrap();
        assert!(matches!(gone, SessionFound::Missing), "{gone:?}");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sign_out_racing_a_request_in_flight_leaves_no_session() {
    on_both!(|store| {
        for round in 0..20 {
            let key = format!("k{round}");
            store
                .insert_session(key.clone(), "{}".into(), NOW + 10)
                .await
                .unwrap();
            let (deleted, _updated) = tokio::join!(
                store.delete_session(key.clone()),
                store.update_live_session(key.clone(), r#"{"a":"1"}"#.into(), NOW + 500, NOW),
            );
            deleted.unwrap();
            let found = store.read_session(key, read(NOW)).await.unwrap();
            assert!(matches!(found, SessionFound::Missing), "{found:?}");
        }
    });
}

#[tokio::test]
async fn sweeping_deletes_idle_and_too_old_sessions_only() {
    on_both!(|store| {
        let signed_in = |at: i64| format!(r#"{{"shopper_id":"1","signed_in_at":"{at}"}}"#);
        for (key, state, expires_at) in [
            ("visitor", r#"{"lang":"\"en\""}"#.to_owned(), NOW + 60),
            ("idle", r#"{"lang":"\"en\""}"#.to_owned(), NOW - 1),
            ("fresh", signed_in(NOW - 50), NOW + 60),
            ("too old", signed_in(NOW - 200), NOW + 60),
            (
                "no sign-in time",
                r#"{"shopper_id":"1"}"#.to_owned(),
                NOW + 60,
            ),
        ] {
            store
                .insert_session(key.into(), state, expires_at)
                .await
                .unwrap();
        }
        assert_eq!(store.sweep_sessions(NOW, 100).await.unwrap(), 3);
        // Read as of long ago, so only what the sweep deleted is missing.
        for (key, kept) in [
            ("visitor", true),
            ("idle", false),
            ("fresh", true),
            ("too old", false),
            ("no sign-in time", false),
        ] {
            let found = store.read_session(key.into(), read(0)).await.unwrap();
            assert_eq!(
                matches!(found, SessionFound::Alive { .. }),
                kept,
                "{key}: {found:?}"
            );
        }
        assert_eq!(store.sweep_sessions(NOW, 100).await.unwrap(), 0);
    });
}

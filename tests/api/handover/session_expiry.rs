//! Sessions end on the server: after the idle timeout, and at the maximum age however busy.

use crate::helpers::{location, spawn_with};

/// Signed in, with a day's idle timeout (the longest), so that only the maximum age ends it.
async fn signed_in_app() -> crate::helpers::TestApp {
    let app = spawn_with(|settings| settings.session_idle_minutes = 24 * 60).await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    app.get(&path).await;
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
    app
}

#[tokio::test]
async fn a_session_past_its_maximum_age_is_signed_out() {
    let app = signed_in_app().await;
    // The default maximum age is 12 hours: thirteen hours later, idle for less than a day, it
    // has ended, though it was answered from memory until then.
    app.time_passes(13 * 3600);
    let response = app.get("/account").await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/")
    );
    // Ended for good, not only refused once.
    app.time_passes(-14 * 3600);
    assert_eq!(app.get("/account").await.status().as_u16(), 303);
}

#[tokio::test]
async fn a_session_within_its_maximum_age_stays_signed_in() {
    let app = signed_in_app().await;
    app.time_passes(11 * 3600);
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
}

#[tokio::test]
async fn an_idle_session_ends_on_the_server() {
    let app = signed_in_app().await;
    app.time_passes(24 * 3600 + 60);
    let response = app.get("/account").await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/")
    );
}

//! Sessions end on the server: after the idle timeout, and at the maximum age however busy.

use crate::helpers::{location, spawn_app};

async fn signed_in_app() -> crate::helpers::TestApp {
    let app = spawn_app().await;
    let path = app.handover_path(&app.handover_body("shop-1")).await;
    app.get(&path).await;
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
    app
}

#[tokio::test]
async fn a_session_past_its_maximum_age_is_signed_out() {
    let app = signed_in_app().await;
    // The default maximum age is 12 hours.
    let thirteen_hours_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 13 * 3600;
    app.set_signed_in_at(thirteen_hours_ago);
    let response = app.get("/account").await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/")
    );
    // Ended for good, not only refused once.
    app.set_signed_in_at(time::OffsetDateTime::now_utc().unix_timestamp());
    assert_eq!(app.get("/account").await.status().as_u16(), 303);
}

#[tokio::test]
async fn a_session_within_its_maximum_age_stays_signed_in() {
    let app = signed_in_app().await;
    let eleven_hours_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 11 * 3600;
    app.set_signed_in_at(eleven_hours_ago);
    assert_eq!(app.get("/account").await.status().as_u16(), 200);
}

#[tokio::test]
async fn an_idle_session_ends_on_the_server() {
    let app = signed_in_app().await;
    app.expire_sessions();
    let response = app.get("/account").await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/")
    );
}

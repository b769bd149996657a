//! The pages' data kept in memory (the profile, with its page of history): a warm page makes no trip to
//! the database, and whatever changes what a page shows (a payment, the store cancelling an
//! order, a preference) is shown by the instance that changed it on the very next request.
//! Every test runs on the suite's engine (SQLite, or PostgreSQL with `TEST_ENGINE=postgres`);
//! several instances are in `instances::caching`.

use crate::forms::{absolute, form_in, submit};
use crate::helpers::test_db::TestDb;
use crate::helpers::{TestApp, location, spawn_app};
use crate::store_api::with_generated_key;

/// Renames Mario in the database where the app cannot hear it: a connection of the test's own
/// on SQLite (the app watches its own connections), the trigger switched off on PostgreSQL.
pub fn rename_mario_unheard(app: &TestApp, first_name: &str) {
    let db = app.db();
    let rename = "UPDATE shoppers SET first_name = ?1 WHERE store_user_id = 'demo-mario'";
    if let TestDb::Postgres(_) = db {
        db.execute("ALTER TABLE shoppers DISABLE TRIGGER pages_shoppers", &[]);
        db.execute(rename, args![first_name]);
        db.execute("ALTER TABLE shoppers ENABLE TRIGGER pages_shoppers", &[]);
    } else {
        db.execute(rename, args![first_name]);
    }
}

#[tokio::test]
async fn a_warm_profile_is_shown_from_memory_without_reading_the_database() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    for _ in 0..2 {
        assert!(app.get_html("/account").await.contains("Mario"));
    }

    rename_mario_unheard(&app, "Renamed");

    let profile = app.get_html("/account").await;
    assert!(
        profile.contains("Mario") && !profile.contains("Renamed"),
        "the warm profile was read from the database again"
    );
}

#[tokio::test]
async fn a_paid_order_leaves_to_pay_and_enters_the_history_on_the_next_page() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let profile = app.get_html("/account").await;
    assert!(profile.contains("Non hai ancora effettuato pagamenti."));
    let pay_form = form_in(&profile, r#"class="pay-form""#);
    assert!(pay_form.action.contains("/pay"), "{}", pay_form.action);

    let to_checkout = submit(&app, &pay_form, &[]).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    let checkout = app
        .client
        .get(absolute(&app, location(&to_checkout)))
        .send()
        .await
        .expect("GET");
    let checkout = form_in(
        &checkout.text().await.expect("a page"),
        r#"class="checkout""#,
    );
    let back = submit(&app, &checkout, &[("action", "approve")]).await;
    assert_eq!(back.status().as_u16(), 303);
    let returned = app
        .client
        .get(absolute(&app, location(&back)))
        .send()
        .await
        .expect("GET");
    assert!(
        returned
            .text()
            .await
            .expect("a page")
            .contains("Pagamento riuscito")
    );

    let profile = app.get_html("/account").await;
    assert!(!profile.contains(&pay_form.action), "still to pay");
    assert!(profile.contains(r#"status-paid">Pagato"#), "{profile}");
    assert!(!profile.contains("Non hai ancora effettuato pagamenti."));
}

#[tokio::test]
async fn an_order_the_store_cancels_leaves_to_pay_on_the_next_page() {
    let api = with_generated_key(spawn_app().await);
    api.app.sign_in_as("demo-mario").await;
    for _ in 0..2 {
        assert!(api.app.get_html("/account").await.contains("demo-1001"));
    }

    let cancelled = api.cancel("demo-1001", None).await;
    assert_eq!(cancelled.status().as_u16(), 200);

    let profile = api.app.get_html("/account").await;
    assert!(!profile.contains("demo-1001"), "{profile}");
    assert!(profile.contains("demo-1002"));
}

#[tokio::test]
async fn a_preference_saved_is_shown_on_the_next_page() {
    const SEPA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04";
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    for _ in 0..2 {
        assert!(!app.get_html("/account").await.contains("tag-preferred"));
    }
    let csrf = app.csrf_token("/account").await;
    let saved = app
        .post_form(
            &format!("/account/payment-methods/{SEPA}/prefer"),
            &[("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);

    let profile = app.get_html("/account").await;
    assert_eq!(profile.matches(r#"class="tag tag-preferred""#).count(), 1);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_start_page_shows_a_new_customer_at_once() {
    const CUSTOMER: &str = "è già cliente Voucherly";
    let app = spawn_app().await;
    let visitor = crate::helpers::browser();
    let customers = || async {
        let page = visitor.get(app.url("/")).send().await.expect("GET /");
        page.text().await.expect("a page").matches(CUSTOMER).count()
    };
    for _ in 0..3 {
        assert_eq!(customers().await, 2, "Mario and Luca");
    }

    // Giulia's first payment makes her a Voucherly customer.
    app.sign_in_as("demo-giulia").await;
    crate::receipts::pay_and_approve(&app).await;

    assert_eq!(customers().await, 3);
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn a_warm_demo_start_page_lists_the_shoppers_from_memory() {
    let app = spawn_app().await;
    for _ in 0..3 {
        assert!(app.get_html("/").await.contains("Mario Rossi"));
    }

    rename_mario_unheard(&app, "Renamed");

    let start = app.get_html("/").await;
    assert!(
        start.contains("Mario Rossi") && !start.contains("Renamed"),
        "the warm list was read from the database again"
    );
}

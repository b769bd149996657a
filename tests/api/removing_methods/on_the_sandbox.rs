//! Removing Mario's methods on the embedded sandbox, as `cargo run` does.

use super::{confirm_removal, remove_path};
use crate::helpers::{TestApp, browser, location, spawn_app};

const MARIO_CUSTOMER_ID: &str = "5b0c7a52-3f4e-4d7b-9a61-0d1e2f3a4b01";
const MARIO_METHODS: [&str; 4] = [
    "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01",
    "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a02",
    "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a03",
    "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a04",
];
const MARIO_VISA: &str = MARIO_METHODS[0];
const MARIO_SEPA: &str = MARIO_METHODS[3];

/// The ids of Mario's methods as the embedded sandbox lists them.
async fn sandbox_method_ids(app: &TestApp) -> Vec<String> {
    // A client of its own, as Voucherly's API is not the shopper's browser.
    let list: serde_json::Value = browser()
        .get(app.url(&format!(
            "/sandbox/v1/customers/{MARIO_CUSTOMER_ID}/payment_methods"
        )))
        .header("Voucherly-API-Key", "sk_sand_x")
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("a JSON list");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}
#[tokio::test]
async fn the_profile_offers_to_remove_each_saved_method_with_a_button_naming_it_expired_ones_at_once()
 {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let html = app.get_html("/account").await;
    // The expired Mastercard (the second) is removed in one step: a form, not a link.
    for (index, id) in MARIO_METHODS.iter().enumerate() {
        let (link, form) = (
            format!(r#"href="{}""#, remove_path(id)),
            format!(r#"action="{}" class="remove-now-form""#, remove_path(id)),
        );
        let wanted = if index == 1 { &form } else { &link };
        assert!(html.contains(wanted.as_str()), "{id}");
    }
    assert!(
        html.contains(r#"Rimuovi<span class="visually-hidden"> Visa che termina con 4242</span>"#)
    );
    assert!(html.contains(r#"<span class="visually-hidden"> Mastercard che termina con 4444"#));
    assert!(html.contains(r#"<span class="visually-hidden"> Edenred</span>"#));
    assert!(html.contains(r#"<span class="visually-hidden"> Addebito diretto SEPA IT60"#));
}

#[tokio::test]
async fn a_shopper_who_is_not_signed_in_is_sent_to_the_start_page() {
    let app = spawn_app().await;
    let response = app.get(&remove_path(MARIO_VISA)).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/");
    let response = app
        .post_form(&remove_path(MARIO_VISA), &[("csrf_token", "x")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(sandbox_method_ids(&app).await, MARIO_METHODS);
}

#[tokio::test]
async fn the_confirmation_page_shows_the_method_and_asks_before_removing_it() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;

    let response = app.get(&remove_path(MARIO_VISA)).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Visa"), "{html}");
    assert!(html.contains(r#"<span class="digits">4242</span>"#));
    assert!(html.contains("<dt>Scadenza</dt><dd>12/"));
    assert!(html.contains(
        "Vuoi rimuovere questo metodo di pagamento? Non potrai più usarlo per pagare senza \
         inserirlo di nuovo."
    ));
    let form = format!(
        r#"<form class="remove-form" method="post" action="{}">"#,
        remove_path(MARIO_VISA)
    );
    assert!(html.contains(&form));
    assert!(html.contains(r#"name="csrf_token""#));
    assert!(html.contains(r#"<a href="/account">Annulla</a>"#));
    // Nothing is removed by looking.
    assert!(
        sandbox_method_ids(&app)
            .await
            .contains(&MARIO_VISA.to_owned())
    );

    let sepa = app.get_html(&remove_path(MARIO_SEPA)).await;
    assert!(sepa.contains("IT60 •••• 3456"));
    assert!(!sepa.contains("IT60X0542811101000000123456"));
}

#[tokio::test]
async fn confirming_removes_the_method_from_the_profile_and_from_voucherly() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;

    let response = confirm_removal(&app, MARIO_VISA).await;

    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/account?notice=method_removed");
    let html = app.get_html("/account?notice=method_removed").await;
    assert!(
        html.contains(r#"role="status">Metodo di pagamento rimosso.</p>"#),
        "{html}"
    );
    assert!(!html.contains(MARIO_VISA));
    assert!(html.contains(MARIO_METHODS[1]));
    let left = sandbox_method_ids(&app).await;
    assert_eq!(left, &MARIO_METHODS[1..]);
    // Removed means gone: asking again finds nothing of Mario's to remove.
    assert_eq!(
        confirm_removal(&app, MARIO_VISA).await.status().as_u16(),
        404
    );
}

#[tokio::test]
async fn shoppers_without_that_method_cannot_remove_it() {
    // Luca is a Voucherly customer with nothing saved; Giulia is not a customer at all.
    for shopper in ["demo-luca", "demo-giulia"] {
        let app = spawn_app().await;
        app.sign_in_as(shopper).await;
        for id in [MARIO_VISA, "anything"] {
            assert_eq!(
                app.get(&remove_path(id)).await.status().as_u16(),
                404,
                "{shopper}"
            );
            let response = confirm_removal(&app, id).await;
            assert_eq!(response.status().as_u16(), 404, "{shopper}");
        }
        assert_eq!(sandbox_method_ids(&app).await, MARIO_METHODS, "{shopper}");
    }
}

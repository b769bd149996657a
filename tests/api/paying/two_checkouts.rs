//! Two checkouts of one order, on the embedded sandbox (Voucherly's twin): starting again voids
//! the open one first; a checkout the app never heard of (it stopped before storing Voucherly's
//! answer) that is approved as well is refunded and reported. Either way exactly one payment
//! keeps the money, captured.

use serde_json::{Value, json};

use crate::callbacks::eventually;
use crate::forms::{absolute, form_in, submit};
use crate::helpers::{TestApp, location, spawn_app};

use super::support::{db, order_id};

const MARIO_CUSTOMER_ID: &str = "5b0c7a52-3f4e-4d7b-9a61-0d1e2f3a4b01";

/// Submits the first pay form on the profile; returns the checkout URL.
async fn start_paying(app: &TestApp) -> String {
    let pay_form = form_in(&app.get_html("/account").await, r#"class="pay-form""#);
    let to_checkout = submit(app, &pay_form, &[]).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    absolute(app, location(&to_checkout))
}

/// Approves at the sandbox checkout; returns the answer's status.
async fn approve(app: &TestApp, checkout_url: &str) -> u16 {
    let page = app.client.get(checkout_url).send().await.expect("GET");
    let html = page.text().await.expect("a page");
    if !html.contains(r#"class="checkout""#) {
        return 409;
    }
    let checkout = form_in(&html, r#"class="checkout""#);
    submit(app, &checkout, &[("action", "approve")])
        .await
        .status()
        .as_u16()
}

async fn sandbox_payment(app: &TestApp, id: &str) -> Value {
    app.client
        .get(app.url(&format!("/sandbox/v1/payments/{id}")))
        .header("Voucherly-API-Key", "sk_sand_x")
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON")
}

/// Voucherly's ids of our payments, oldest first, and their statuses.
fn our_payments(app: &TestApp) -> Vec<(Option<String>, String)> {
    use crate::helpers::test_db::{FromVal, Val};
    db(app)
        .rows(
            "SELECT voucherly_payment_id, status FROM payments ORDER BY id",
            &[],
        )
        .into_iter()
        .map(|row| {
            let [id, status] = <[Val; 2]>::try_from(row).expect("two columns");
            (FromVal::from_val(id), FromVal::from_val(status))
        })
        .collect()
}

#[tokio::test]
async fn starting_again_voids_the_open_checkout_and_only_the_new_payment_is_captured() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let first = start_paying(&app).await;
    // Back on the profile without paying: resume, or start again (a fresh form).
    let profile = app.get_html("/account").await;
    assert!(profile.contains("Riprendi il pagamento"), "{profile}");
    assert!(
        profile.contains("Ricomincia con questo metodo"),
        "{profile}"
    );
    let second = start_paying(&app).await;
    assert_ne!(first, second);

    assert_ne!(
        approve(&app, &first).await,
        303,
        "a voided checkout cannot be paid"
    );
    assert_eq!(approve(&app, &second).await, 303);
    let order = order_id(&app, "demo-1001");
    eventually(|| app.order_status(order) == "paid").await;

    let ours = our_payments(&app);
    let statuses: Vec<String> = ours.iter().map(|(_, status)| status.clone()).collect();
    assert_eq!(statuses, ["failed", "paid"]);
    let first_at_voucherly = sandbox_payment(&app, ours[0].0.as_deref().unwrap()).await;
    let second_at_voucherly = sandbox_payment(&app, ours[1].0.as_deref().unwrap()).await;
    assert_eq!(first_at_voucherly["status"], "Voided");
    // Captured at once (isAutoConfirm): Confirmed, not merely authorised.
    assert_eq!(second_at_voucherly["status"], "Confirmed");
}

#[tokio::test]
async fn a_forgotten_checkout_approved_too_is_refunded_and_reported() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    // The app wrote its record, Voucherly created the payment, and the app stopped before
    // storing Voucherly's answer: a checkout it does not know is open.
    let reference = app.insert_payment(order, None, "creating", 1_000);
    let return_url = app.url(&format!("/payments/{reference}/return"));
    let forgotten: Value = app
        .client
        .post(app.url("/sandbox/v1/payments"))
        .header("Voucherly-API-Key", "sk_sand_x")
        .json(&json!({
            "mode": "Payment", "referenceId": reference, "customerId": MARIO_CUSTOMER_ID,
            "isAutoConfirm": true, "redirectOkUrl": return_url, "redirectKoUrl": return_url,
            "callbackUrl": app.url("/payments/callback"),
            "lines": [{"quantity": 1, "unitAmount": 1700,
                       "product": {"name": "Pranzo", "lineType": "Food"}}]
        }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    let forgotten_checkout = forgotten["checkoutUrl"]
        .as_str()
        .expect("a checkout")
        .to_owned();

    // The shopper pays again (the stale record no longer blocks the order), then finds the
    // old tab and approves that one too.
    let second = start_paying(&app).await;
    assert_eq!(approve(&app, &second).await, 303);
    eventually(|| app.order_status(order) == "paid").await;
    assert_eq!(approve(&app, &forgotten_checkout).await, 303);

    let forgotten_id = forgotten["id"].as_str().unwrap();
    let mut refunded = Value::Null;
    for _ in 0..100 {
        refunded = sandbox_payment(&app, forgotten_id).await;
        if refunded["status"] == "Refunded" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(refunded["status"], "Refunded", "{refunded}");
    // The app records the refund once Voucherly has answered it: Voucherly may show it first.
    eventually(|| our_payments(&app)[0].1 == "refunded").await;
    let ours = our_payments(&app);
    assert_eq!(ours[0].1, "refunded");
    assert_eq!(ours[1].1, "paid");
    let kept = sandbox_payment(&app, ours[1].0.as_deref().unwrap()).await;
    assert_eq!(kept["status"], "Confirmed");
    assert_eq!(app.order_status(order), "paid");
    let profile = app.get_html("/account").await;
    assert!(
        profile.contains("Pagato due volte: rimborsato"),
        "{profile}"
    );
}

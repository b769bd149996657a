//! The whole loop on the embedded sandbox, as a browser goes through it: Mario pays his first
//! order with his preselected method, approves at the sandbox checkout, and comes back.

use std::time::Duration;

use crate::forms::{absolute, form_in, submit};
use crate::helpers::{TestApp, location, spawn_app};

/// Pays Mario's first order at the sandbox checkout; returns the pay form's action and where the
/// checkout sends the browser back.
async fn pay_and_approve(app: &TestApp, lose_the_callback: bool) -> (String, String) {
    app.sign_in_as("demo-mario").await;
    let pay_form = form_in(&app.get_html("/account").await, r#"class="pay-form""#);
    let to_checkout = submit(app, &pay_form, &[]).await;
    assert_eq!(to_checkout.status().as_u16(), 303);
    let checkout_url = absolute(app, location(&to_checkout));
    let checkout = app.client.get(checkout_url).send().await.expect("GET");
    let checkout = form_in(
        &checkout.text().await.expect("a page"),
        r#"class="checkout""#,
    );
    let mut extra = vec![("action", "approve")];
    if lose_the_callback {
        extra.push(("lost_callback", "on"));
    }
    let back = submit(app, &checkout, &extra).await;
    assert_eq!(back.status().as_u16(), 303);
    (pay_form.action, location(&back).to_owned())
}

/// Our payment's reference, from the return URL `/payments/{reference}/return?...`.
fn reference_in(return_url: &str) -> String {
    let path = return_url.split("/payments/").nth(1).expect("a return URL");
    path.split('/').next().unwrap().to_owned()
}

async fn assert_paid_everywhere(app: &TestApp, pay_action: &str, return_url: &str) {
    let html = app
        .client
        .get(absolute(app, return_url))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("a page");
    assert!(html.contains("Pagamento riuscito"), "{html}");
    assert!(
        html.contains("demo-1001") && html.contains("17,00 €"),
        "{html}"
    );

    let profile = app.get_html("/account").await;
    assert!(!profile.contains(pay_action), "the order left \"to pay\"");
    assert!(profile.contains(r#"status-paid">Pagato"#), "{profile}");
}

#[tokio::test]
async fn mario_pays_approves_at_the_checkout_and_comes_back_to_a_paid_order() {
    let app = spawn_app().await;
    let (pay_action, return_url) = pay_and_approve(&app, false).await;
    let reference = reference_in(&return_url);

    // The sandbox's callback arrives on its own, before or after the browser.
    let mut status = String::new();
    for _ in 0..50 {
        status = app.payment_row(&reference).status;
        if status == "paid" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "paid", "the callback was applied");
    assert_paid_everywhere(&app, &pay_action, &return_url).await;
}

#[tokio::test]
async fn a_lost_callback_is_repaired_by_the_return_page() {
    let app = spawn_app().await;
    let (pay_action, return_url) = pay_and_approve(&app, true).await;
    let reference = reference_in(&return_url);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.payment_row(&reference).status,
        "requested",
        "no callback came"
    );

    assert_paid_everywhere(&app, &pay_action, &return_url).await;
    assert_eq!(app.payment_row(&reference).status, "paid");
}

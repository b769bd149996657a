//! Removing the preferred method asks which one to prefer instead; an expired card is removed
//! from the profile in one step; each method shows its brand's icon.

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{real_list, remove_path};
use crate::forms::{Form, form_in, submit};
use crate::helpers::{TestApp, location, spawn_app_with_voucherly};
use crate::paying::support::{EXPIRED_MASTERCARD, MARIO_CUSTOMER, VISA};

const AMEX: &str = "pm_amex";

/// Mario, signed in, with a Visa (preferred), an Amex and an expired Mastercard; Voucherly's
/// DELETE answers 204 and must be called `deletes` times.
async fn mario_preferring_visa(voucherly: &MockServer, deletes: u64) -> TestApp {
    let card = |id: &str, brand: &str, year: i32| {
        json!({"id": id, "paymentGatewayId": "card", "creditCard":
            {"brand": brand, "pan": "************4242", "expirationMonth": 3, "expirationYear": year}})
    };
    // A Voucherly that really removes: the removal is believed once the list no longer shows it.
    let removals = real_list(
        voucherly,
        MARIO_CUSTOMER,
        json!([
            card(VISA, "Visa", 2099),
            card(AMEX, "American Express", 2098),
            card(EXPIRED_MASTERCARD, "Mastercard", 2023)
        ]),
    )
    .await;
    Mock::given(method("DELETE"))
        .respond_with(removals.answering(ResponseTemplate::new(204)))
        .expect(deletes)
        .mount(voucherly)
        .await;
    let app = spawn_app_with_voucherly(voucherly).await;
    app.link_customer("demo-mario", "sandbox", MARIO_CUSTOMER);
    app.sign_in_as("demo-mario").await;
    let profile = app.get_html("/account").await;
    let prefer = form_in(
        &profile,
        &format!(r#"action="/account/payment-methods/{VISA}/prefer""#),
    );
    assert_eq!(submit(&app, &prefer, &[]).await.status().as_u16(), 303);
    app
}

/// `form` with its `new_preferred` choice set to `id`, as a browser sends the radio chosen.
fn choosing(form: &Form, id: &str) -> Form {
    let mut fields: Vec<(String, String)> = form
        .fields
        .iter()
        .filter(|(name, _)| name != "new_preferred")
        .cloned()
        .collect();
    fields.push(("new_preferred".into(), id.into()));
    Form {
        action: form.action.clone(),
        fields,
    }
}

async fn preferred(app: &TestApp) -> Option<String> {
    let storage = app.storage().await;
    voucherly_account::storage::MethodStore::preferred_method(storage.as_ref(), 1, "sandbox")
        .await
        .expect("a read")
}

#[tokio::test]
async fn removing_the_preferred_method_asks_which_usable_one_to_prefer_instead() {
    let voucherly = MockServer::start().await;
    let app = mario_preferring_visa(&voucherly, 1).await;
    let shopper_id: i64 = app.db().value(
        "SELECT id FROM shoppers WHERE store_user_id = 'demo-mario'",
        &[],
    );
    assert_eq!(shopper_id, 1, "Mario is the first demo shopper");
    assert_eq!(preferred(&app).await.as_deref(), Some(VISA));

    let page = app.get_html(&remove_path(VISA)).await;
    assert!(
        page.contains("Vuoi preferirne un altro al suo posto?"),
        "{page}"
    );
    assert!(page.contains(&format!(r#"value="{AMEX}""#)));
    assert!(
        !page.contains(&format!(r#"value="{EXPIRED_MASTERCARD}""#)),
        "an expired card is not offered"
    );
    let form = form_in(&page, r#"class="remove-form""#);
    assert_eq!(
        form.field("new_preferred"),
        "",
        "no preferred method unless chosen"
    );
    let response = submit(&app, &choosing(&form, AMEX), &[]).await;
    assert_eq!(
        location(&response),
        "/account?notice=method_removed_preferred"
    );
    assert_eq!(preferred(&app).await.as_deref(), Some(AMEX));
    let notice = app
        .get_html("/account?notice=method_removed_preferred")
        .await;
    assert!(notice.contains("Il nuovo metodo preferito è stato salvato."));
}

#[tokio::test]
async fn an_expired_card_or_a_made_up_id_never_becomes_preferred_in_its_place() {
    let voucherly = MockServer::start().await;
    let app = mario_preferring_visa(&voucherly, 2).await;
    let page = app.get_html(&remove_path(VISA)).await;
    let form = form_in(&page, r#"class="remove-form""#);
    let response = submit(&app, &choosing(&form, EXPIRED_MASTERCARD), &[]).await;
    assert_eq!(location(&response), "/account?notice=method_removed");
    assert_eq!(preferred(&app).await, None);
    // Removing a method that is not the preferred one asks nothing.
    let page = app.get_html(&remove_path(AMEX)).await;
    assert!(!page.contains("new_preferred"), "{page}");
    let form = form_in(&page, r#"class="remove-form""#);
    let response = submit(&app, &choosing(&form, "pm_not_his"), &[]).await;
    assert_eq!(location(&response), "/account?notice=method_removed");
    assert_eq!(preferred(&app).await, None);
}

#[tokio::test]
async fn an_expired_card_is_removed_from_the_profile_in_one_step() {
    let voucherly = MockServer::start().await;
    let app = mario_preferring_visa(&voucherly, 1).await;
    let profile = app.get_html("/account").await;
    let one_step = form_in(&profile, r#"class="remove-now-form""#);
    assert_eq!(one_step.action, remove_path(EXPIRED_MASTERCARD));
    assert_eq!(
        profile.matches(r#"class="remove-now-form""#).count(),
        1,
        "usable methods still ask first"
    );
    let response = submit(&app, &one_step, &[]).await;
    assert_eq!(location(&response), "/account?notice=method_removed");
}

#[tokio::test]
async fn each_method_shows_its_brands_icon() {
    let voucherly = MockServer::start().await;
    let app = mario_preferring_visa(&voucherly, 0).await;
    let profile = app.get_html("/account").await;
    for icon in ["brand-visa.svg", "brand-amex.svg", "brand-mastercard.svg"] {
        let img = format!(r#"<img class="brand-icon" src="/static/{icon}" alt="""#);
        assert!(profile.contains(&img), "{img} in {profile}");
        let served = app.get(&format!("/static/{icon}")).await;
        assert_eq!(served.status().as_u16(), 200);
        assert_eq!(served.headers()["content-type"], "image/svg+xml");
        assert!(served.text().await.unwrap().starts_with("<svg"));
    }
}

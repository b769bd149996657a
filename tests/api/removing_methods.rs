//! Removing a saved payment method: the profile's remove buttons, the confirmation page, and the
//! removal itself, which only ever deletes one of the shopper's own methods at Voucherly.

#[cfg(feature = "demo")]
mod on_the_sandbox;
mod preferred_and_expired;
mod with_voucherly;

use std::sync::{Arc, Mutex};

use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::helpers::TestApp;

pub fn remove_path(method_id: &str) -> String {
    format!("/account/payment-methods/{method_id}/remove")
}

/// Submits the confirmation form of `method_id` with the session's CSRF token.
pub async fn confirm_removal(app: &TestApp, method_id: &str) -> reqwest::Response {
    let csrf = app.csrf_token("/account").await;
    app.post_form(&remove_path(method_id), &[("csrf_token", &csrf)])
        .await
}

/// Saved methods at a Voucherly that really removes them: `GET …/payment_methods` of `customer`
/// lists what is left, and a DELETE answered through [`Removals::answering`] takes the method
/// out of the list. Mounted with priority, over any list mounted before.
pub async fn real_list(
    voucherly: &wiremock::MockServer,
    customer: &str,
    methods: serde_json::Value,
) -> Removals {
    let left = Arc::new(Mutex::new(methods.as_array().cloned().unwrap_or_default()));
    Mock::given(method("GET"))
        .and(path(format!("/v1/customers/{customer}/payment_methods")))
        .respond_with(Listing(Arc::clone(&left)))
        .with_priority(1)
        .mount(voucherly)
        .await;
    Removals(left)
}

#[derive(Clone)]
pub struct Removals(Arc<Mutex<Vec<serde_json::Value>>>);

impl Removals {
    /// A DELETE responder that removes the method and answers `answer`.
    pub fn answering(&self, answer: ResponseTemplate) -> impl Respond + use<> {
        Removing(Arc::clone(&self.0), answer)
    }
}

struct Listing(Arc<Mutex<Vec<serde_json::Value>>>);

impl Respond for Listing {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let left = self.0.lock().unwrap().clone();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "items": left }))
    }
}

struct Removing(Arc<Mutex<Vec<serde_json::Value>>>, ResponseTemplate);

impl Respond for Removing {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let segment = request.url.path().rsplit('/').next().unwrap_or_default();
        self.0.lock().unwrap().retain(|saved| {
            let mut url = reqwest::Url::parse("http://voucherly/").unwrap();
            url.path_segments_mut()
                .unwrap()
                .push(saved["id"].as_str().unwrap_or_default());
            url.path() != format!("/{segment}")
        });
        self.1.clone()
    }
}

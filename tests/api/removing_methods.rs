//! Removing a saved payment method: the profile's remove buttons, the confirmation page, and the
//! removal itself, which only ever deletes one of the shopper's own methods at Voucherly.

mod on_the_sandbox;
mod preferred_and_expired;
mod with_voucherly;

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

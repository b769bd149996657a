//! The demo store's side of the store API: real HTTP requests to `{public_url}/api/v1/...` with
//! the store API key as a bearer token, exactly as a store's server makes them.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use secrecy::ExposeSecret;
use serde_json::Value;

use super::records::ApiCall;
use crate::state::AppState;

/// A reqwest client is meant to be built once and shared.
static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

fn client() -> anyhow::Result<&'static reqwest::Client> {
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("could not build the demo store's HTTP client")?;
    Ok(CLIENT.get_or_init(|| client))
}

/// `POST {path}` with `body`; the answer is recorded whatever it is, an unreachable API included.
#[tracing::instrument(
    name = "demo store calls the store API",
    skip(state, body, store_user_id)
)]
pub async fn post(
    state: &AppState,
    path: &'static str,
    body: Value,
    store_user_id: &str,
) -> anyhow::Result<ApiCall> {
    let mut request = client()?
        .post(format!("{}{path}", state.public_url))
        .json(&body);
    if let Some(key) = &state.store.api_key {
        request = request.bearer_auth(key.expose_secret());
    }
    let (status, response) = match request.send().await {
        Ok(answer) => {
            let status = answer.status().as_u16();
            let text = answer.text().await.unwrap_or_default();
            (Some(status), pretty(&text))
        }
        Err(error) => {
            tracing::warn!(%error, "the store API could not be reached");
            (None, error.without_url().to_string())
        }
    };
    Ok(ApiCall {
        method: "POST",
        path: path.to_owned(),
        request: pretty_value(&body),
        status,
        response,
        store_user_id: store_user_id.to_owned(),
        store_order_id: body
            .get("store_order_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

impl ApiCall {
    /// Whether the API answered 2xx.
    pub fn succeeded(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }

    /// A string field of the answer, such as a hand-over's `url`.
    pub fn answer_field(&self, name: &str) -> Option<String> {
        serde_json::from_str::<Value>(&self.response)
            .ok()?
            .get(name)?
            .as_str()
            .map(str::to_owned)
    }
}

/// JSON pretty-printed; anything else as it came.
fn pretty(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => pretty_value(&value),
        Err(_) => text.to_owned(),
    }
}

fn pretty_value(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

//! The Voucherly client against a wiremock server standing in for Voucherly.
//!
//! `listing_and_headers` covers listing methods and gateways and the key, `errors_and_timeouts`
//! how failures map to errors, `payments` creating and reading payments and deleting methods,
//! `paging` lists in several pages, and `urls` the paths and base URLs.

mod errors_and_timeouts;
mod listing_and_headers;
mod paging;
mod payments;
mod urls;

use std::time::Duration;

use secrecy::SecretString;
use voucherly_account::voucherly::VoucherlyClient;
use wiremock::MockServer;

const API_KEY: &str = "sk_test_51HxYzVoucherlyKey";

fn client_at(base_url: &str, timeout: Duration) -> VoucherlyClient {
    VoucherlyClient::new(
        base_url,
        SecretString::from(API_KEY),
        Duration::from_secs(1),
        timeout,
    )
    .expect("the client builds")
}

/// `server.uri()` has no trailing slash, so every test also covers that form of base URL.
fn client_for(server: &MockServer) -> VoucherlyClient {
    client_at(&server.uri(), Duration::from_secs(5))
}

//! What the page layer knows of this deployment, registered once at start-up (as
//! `web::Data<Site>`): where the app is reached, whether it talks to a sandbox, the store's
//! origins and the proxies whose `X-Forwarded-For` is believed.

use std::net::IpAddr;

use super::return_url::CheckedReturnUrls;

pub struct Site {
    /// Where browsers and Voucherly reach this app, without a trailing slash.
    pub public_url: String,
    /// Not the live Voucherly: pages say so.
    pub sandbox: bool,
    /// The store's origins, where its return URLs may lead.
    pub store_origins: Vec<String>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// The shoppers' return URLs checked so far against `store_origins`.
    pub checked_return_urls: CheckedReturnUrls,
}

//! Metrics for operators, in the Prometheus/OpenMetrics text format at `/metrics`: requests by
//! route and status with their latency, Voucherly calls by endpoint and outcome with their
//! latency, cache hits and misses, and the backlogs of the callback inbox, the reconciler and the
//! notification outbox (read from the database at each scrape, so every instance on a shared
//! database reports the same).
//!
//! The counters live in one registry per process: a handler or a client records into it through
//! the small functions below, without passing anything around. `/metrics` is off unless a bearer
//! token or a separate address is configured (served by `routes::metrics`).

mod http;

use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

pub use http::track;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    endpoint: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabels {
    endpoint: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    cache: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;
type CallLatency = Family<EndpointLabels, Histogram, fn() -> Histogram>;

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Latency,
    voucherly_calls: Family<CallLabels, Counter>,
    voucherly_seconds: CallLatency,
    cache_lookups: Family<CacheLabels, Counter>,
    callbacks: Family<OutcomeLabels, Counter>,
    orphans: Family<OutcomeLabels, Counter>,
}

/// 5 ms to about 20 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("voucherly_account");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register(
        "http_requests",
        "HTTP requests answered, by route, method and status",
        requests.clone(),
    );
    let request_seconds: Latency = Family::new_with_constructor(latency_histogram);
    registry.register(
        "http_request_duration_seconds",
        "Time to answer an HTTP request, by route and method",
        request_seconds.clone(),
    );
    let voucherly_calls = Family::<CallLabels, Counter>::default();
    registry.register(
        "voucherly_calls",
        "Calls to the Voucherly API, by endpoint and outcome (ok, unauthorized, not_found, \
         unavailable, unexpected)",
        voucherly_calls.clone(),
    );
    let voucherly_seconds: CallLatency = Family::new_with_constructor(latency_histogram);
    registry.register(
        "voucherly_call_duration_seconds",
        "Time a call to the Voucherly API took, by endpoint",
        voucherly_seconds.clone(),
    );
    let cache_lookups = Family::<CacheLabels, Counter>::default();
    registry.register(
        "cache_lookups",
        "Cache lookups, by cache and result (hit or miss)",
        cache_lookups.clone(),
    );
    let callbacks = Family::<OutcomeLabels, Counter>::default();
    registry.register(
        "callbacks",
        "Voucherly callbacks by outcome (kept, not_ours, inbox_full, invalid, spooled, \
         replayed, refused)",
        callbacks.clone(),
    );
    let orphans = Family::<OutcomeLabels, Counter>::default();
    registry.register(
        "orphan_payments",
        "Open Voucherly payments of records given up, by outcome (adopted, voided, void_failed)",
        orphans.clone(),
    );
    Metrics {
        registry,
        callbacks,
        orphans,
        requests,
        request_seconds,
        voucherly_calls,
        voucherly_seconds,
        cache_lookups,
    }
});

/// Writes every counter of the process, in the OpenMetrics text format, to `text`.
pub fn encode(text: &mut String) -> std::fmt::Result {
    prometheus_client::encoding::text::encode_registry(text, &METRICS.registry)
}

/// Counts an answered request. `route` is the matched pattern (`/account/orders/{order_id}/pay`),
/// never the raw path, so ids do not multiply the series.
pub fn record_request(method: &str, route: &str, status: u16, took: Duration) {
    let metrics = &*METRICS;
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method: method.to_owned(),
            route: route.to_owned(),
            status: status.to_string(),
        })
        .inc();
    metrics
        .request_seconds
        .get_or_create(&RouteLabels {
            method: method.to_owned(),
            route: route.to_owned(),
        })
        .observe(took.as_secs_f64());
}

/// Counts a call to Voucherly. `endpoint` names it without ids (see `voucherly_endpoint`);
/// `outcome` is `ok` or the kind of error.
pub fn record_voucherly_call(endpoint: &str, outcome: &'static str, took: Duration) {
    let metrics = &*METRICS;
    metrics
        .voucherly_calls
        .get_or_create(&CallLabels {
            endpoint: endpoint.to_owned(),
            outcome,
        })
        .inc();
    metrics
        .voucherly_seconds
        .get_or_create(&EndpointLabels {
            endpoint: endpoint.to_owned(),
        })
        .observe(took.as_secs_f64());
}

/// A cache's lookup counts (`saved_methods`, `gateway_names`, …), found once when the cache is
/// made: counting a lookup is then one atomic add, on every page.
#[derive(Clone)]
pub struct CacheLookups {
    hit: Counter,
    miss: Counter,
}

impl CacheLookups {
    pub fn of(cache: &'static str) -> Self {
        let counter = |result| {
            METRICS
                .cache_lookups
                .get_or_create(&CacheLabels { cache, result })
                .clone()
        };
        Self {
            hit: counter("hit"),
            miss: counter("miss"),
        }
    }

    /// Counts one lookup.
    pub fn record(&self, hit: bool) {
        if hit { &self.hit } else { &self.miss }.inc();
    }
}

/// Counts a callback by what became of it (see the `callbacks` help text).
pub fn record_callback(outcome: &'static str) {
    METRICS
        .callbacks
        .get_or_create(&OutcomeLabels { outcome })
        .inc();
}

/// Counts an open Voucherly payment of a record given up: `adopted` (it was paid, its record
/// follows Voucherly), `voided`, or `void_failed` (tried again at the next run).
pub fn record_orphan(outcome: &'static str) {
    METRICS
        .orphans
        .get_or_create(&OutcomeLabels { outcome })
        .inc();
}

/// `GET v1/customers/{id}/payment_methods`: a Voucherly request named by its method and path,
/// with every segment that is not a fixed word of the API replaced by `{id}`.
pub fn voucherly_endpoint(method: &str, path: &str) -> String {
    const WORDS: &[&str] = &[
        "v1",
        "payments",
        "customers",
        "payment_methods",
        "payment_gateways",
        "confirm",
        "refund",
        "void",
        "capture",
        "receipt",
        "refund_receipt",
        "prepaid",
        "wallet",
        "movements",
    ];
    let path: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    // The base URL may have a path of its own (`/sandbox/`): the API's starts at `v1`.
    let start = path.iter().position(|s| *s == "v1").unwrap_or(0);
    let named: Vec<&str> = path[start..]
        .iter()
        .map(|segment| {
            if WORDS.contains(segment) {
                segment
            } else {
                "{id}"
            }
        })
        .collect();
    format!("{method} {}", named.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voucherly_endpoints_are_named_without_ids_or_base_path() {
        assert_eq!(
            voucherly_endpoint("GET", "/sandbox/v1/customers/5b0c/payment_methods"),
            "GET v1/customers/{id}/payment_methods"
        );
        assert_eq!(
            voucherly_endpoint("POST", "/v1/payments/pay_1/confirm"),
            "POST v1/payments/{id}/confirm"
        );
        assert_eq!(
            voucherly_endpoint("GET", "/v1/payment_gateways"),
            "GET v1/payment_gateways"
        );
    }
}

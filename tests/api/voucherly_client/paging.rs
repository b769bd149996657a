//! Following a paginated list to its end, and never forever: a cursor that repeats or a list
//! longer than the client reads ends the list where it is, logged, instead of looping.

use serde_json::json;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client_for;
use crate::helpers::{keep_logs, logged};

const METHODS: &str = "/v1/customers/cus_1/payment_methods";

fn page(id: &str, next: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "items": [{"id": id, "paymentGatewayId": "card"}],
        "pagination": {"hasMore": true, "nextStart": next}
    }))
}

#[tokio::test]
async fn a_next_start_that_repeats_ends_the_list_with_what_was_read() {
    keep_logs();
    let server = MockServer::start().await;
    Mock::given(path(METHODS))
        .and(query_param_is_missing("start"))
        .respond_with(page("pm_a", json!("cursor-loop")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(METHODS))
        .and(query_param("start", "cursor-loop"))
        .respond_with(page("pm_b", json!("cursor-loop")))
        .expect(1)
        .mount(&server)
        .await;

    let methods = client_for(&server).list_payment_methods("cus_1").await;

    let ids: Vec<String> = methods.expect("a list").into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["pm_a", "pm_b"]);
    assert!(!logged("the same nextStart twice").is_empty());
}

#[tokio::test]
async fn a_list_that_never_ends_is_cut_after_twenty_pages() {
    keep_logs();
    let server = MockServer::start().await;
    // Each page points to a new cursor: the client must stop on its own.
    Mock::given(path(METHODS))
        .respond_with(move |request: &wiremock::Request| {
            let start = request
                .url
                .query_pairs()
                .find(|(key, _)| key == "start")
                .map_or(0, |(_, value)| value.parse::<u32>().unwrap_or(0));
            page(&format!("pm_{start}"), json!((start + 1).to_string()))
        })
        .expect(20)
        .mount(&server)
        .await;

    let methods = client_for(&server)
        .list_payment_methods("cus_1")
        .await
        .expect("the pages read so far");

    assert_eq!(methods.len(), 20);
    assert!(!logged("more than 20 pages of saved methods").is_empty());
}

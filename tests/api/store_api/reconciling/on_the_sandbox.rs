//! Orders paid end to end on the embedded sandbox, listed, downloaded as CSV and reconciled,
//! with a difference planted in the sandbox's own records.

use reqwest::header::{ACCEPT, CONTENT_TYPE};

use super::*;
use crate::forms::{absolute, form_in, submit};
use crate::helpers::location;
use crate::paying::support::{new_key, order_id, pay};

/// The `store_order_id`s of a list's items, in order.
fn order_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["store_order_id"].as_str().unwrap().to_owned())
        .collect()
}

const MARIO_VISA: &str = "9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a01";

/// The demo app's store API, with Mario signed in to pay.
async fn with_mario() -> StoreApi {
    let api = super::super::spawn_store_api().await;
    assert_eq!(
        api.app.sign_in_as("demo-mario").await.status().as_u16(),
        303
    );
    api
}

/// The store's order `store_order_id` for Mario (13 €), paid by him with his Visa at the
/// sandbox checkout and read back; Voucherly's payment id.
async fn paid(api: &StoreApi, store_order_id: &str) -> String {
    let created = api
        .post_order(&super::super::order_body(store_order_id, "demo-mario"))
        .await;
    assert_eq!(created.status().as_u16(), 201);
    let to_checkout = started(api, store_order_id).await;
    let checkout = api
        .app
        .client
        .get(absolute(&api.app, &to_checkout))
        .send()
        .await
        .unwrap();
    let form = form_in(&checkout.text().await.unwrap(), r#"class="checkout""#);
    let back = submit(&api.app, &form, &[("action", "approve")]).await;
    assert_eq!(back.status().as_u16(), 303);
    let page = api
        .app
        .client
        .get(absolute(&api.app, location(&back)))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("Pagamento riuscito"));
    let prefix = "/sandbox/checkout/";
    let at = to_checkout.find(prefix).unwrap() + prefix.len();
    to_checkout[at..]
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned()
}

/// Mario starts paying `store_order_id` and stops at the checkout: where it is.
async fn started(api: &StoreApi, store_order_id: &str) -> String {
    let order = order_id(&api.app, store_order_id);
    let response = pay(&api.app, order, &new_key(), MARIO_VISA, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    location(&response).to_owned()
}

#[tokio::test]
async fn paid_orders_are_listed_with_their_amounts_by_method_and_filtered() {
    let api = with_mario().await;
    let pay_id = paid(&api, "R-1").await;
    paid(&api, "R-2").await;
    api.post_order(&super::super::order_body("R-3", "demo-mario"))
        .await;
    started(&api, "R-3").await;

    let (status, list) = get_json(&api, "/api/v1/payments").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(order_ids(&list), ["R-1", "R-2", "R-3"]);
    assert_eq!(list["next_cursor"], Value::Null);
    let first = &list["items"][0];
    assert_eq!(first["voucherly_payment_id"], pay_id.as_str());
    assert_eq!(first["store_user_id"], "demo-mario");
    assert_eq!(first["status"], "paid");
    assert_eq!(first["voucherly_status"], "Confirmed");
    assert_eq!(first["currency"], "EUR");
    assert_eq!(first["amount"], 1300);
    assert_eq!(first["paid_amount"], 1300);
    assert_eq!(first["paid_voucher_amount"], 0);
    assert_eq!(first["paid_digital_amount"], 1300);
    assert_eq!(first["paid_fringe_amount"], 0);
    assert_eq!(first["confirmed_amount"], 1300);
    assert_eq!(first["refunded_amount"], 0);
    for time in ["created_at", "paid_at", "confirmed_at"] {
        let text = first[time].as_str().unwrap();
        assert!(text.ends_with('Z') && text.contains('T'), "{time}: {text}");
    }
    assert_eq!(list["items"][2]["status"], "requested");
    assert_eq!(list["items"][2]["paid_at"], Value::Null);

    let day = today();
    for (query, expected) in [
        ("status=paid", vec!["R-1", "R-2"]),
        ("status=requested", vec!["R-3"]),
        ("store_user_id=demo-mario", vec!["R-1", "R-2", "R-3"]),
        ("store_user_id=demo-giulia", vec![]),
        (
            &format!("from={day}&to={day}") as &str,
            vec!["R-1", "R-2", "R-3"],
        ),
        (&format!("to={day}T00:00:00Z"), vec![]),
        ("from=2999-01-01", vec![]),
    ] {
        let (status, list) = get_json(&api, &format!("/api/v1/payments?{query}")).await;
        assert_eq!(status, 200, "{query}: {list}");
        assert_eq!(order_ids(&list), expected, "{query}");
    }
}

/// A page of two payments, after `cursor`.
async fn page(api: &StoreApi, cursor: Option<&str>) -> (u16, Value) {
    let query = cursor.map_or(String::new(), |cursor| format!("&cursor={cursor}"));
    get_json(api, &format!("/api/v1/payments?limit=2{query}")).await
}

#[tokio::test]
async fn pages_neither_lose_nor_repeat_a_payment_made_while_the_store_pages_through() {
    let api = with_mario().await;
    for order in ["P-1", "P-2", "P-3", "P-4"] {
        paid(&api, order).await;
    }
    let (_, first) = page(&api, None).await;
    assert_eq!(order_ids(&first), ["P-1", "P-2"]);

    paid(&api, "P-5").await;

    let (_, second) = page(&api, first["next_cursor"].as_str()).await;
    assert_eq!(order_ids(&second), ["P-3", "P-4"]);
    let (_, last) = page(&api, second["next_cursor"].as_str()).await;
    assert_eq!(order_ids(&last), ["P-5"]);
    assert_eq!(last["next_cursor"], Value::Null);
}

#[tokio::test]
async fn the_list_downloads_as_csv_for_an_accountant_with_formulas_defused() {
    let api = with_mario().await;
    paid(&api, "=HYPERLINK(\"x\",\"y\")").await;
    paid(&api, "C-2").await;

    let response = api
        .request(Method::GET, "/api/v1/payments?limit=1")
        .header(ACCEPT, "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    assert!(
        link.starts_with("</api/v1/payments?limit=1&cursor=") && link.ends_with(">; rel=\"next\""),
        "{link}"
    );
    let text = response.text().await.unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "store_order_id,reference,voucherly_payment_id,store_user_id,status,\
         voucherly_status,created_at,paid_at,confirmed_at,currency,amount,paid_amount,\
         paid_voucher_amount,paid_digital_amount,paid_fringe_amount,paid_cash_amount,\
         confirmed_amount,refunded_amount"
    );
    assert!(
        lines[1].starts_with("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\","),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",demo-mario,paid,Confirmed,"),
        "{}",
        lines[1]
    );
    // Amounts in euros: asked, paid, vouchers, digital, fringe, cash (not reported),
    // captured, refunded.
    assert!(
        lines[1].ends_with(",EUR,13.00,13.00,0.00,13.00,0.00,,13.00,0.00"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 3, "a header, one row, and the final line end");

    // The next page, by the link; a browser asks with `format=csv`.
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let page = api
        .request(Method::GET, &format!("{next}&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.split("\r\n").nth(1).unwrap().starts_with("C-2,"),
        "{page}"
    );
}

/// Changes what the sandbox (Voucherly's twin) holds of payment `id`.
fn plant(api: &StoreApi, id: &str, change: &str) {
    let changed = api.app.sandbox_db().execute(
        &format!("UPDATE sandbox_payments SET {change} WHERE id = ?1"),
        args![id],
    );
    assert_eq!(changed, 1);
}

#[tokio::test]
async fn an_untouched_day_reconciles_without_a_finding() {
    let api = with_mario().await;
    paid(&api, "D-1").await;
    paid(&api, "D-2").await;

    let (status, report) =
        get_json(&api, &format!("/api/v1/reconciliation?date={}", today())).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["findings"], json!([]));
    let summary = &report["summary"];
    assert_eq!(summary["payments"], 2);
    assert_eq!(summary["checked"], 2);
    assert_eq!(summary["matching"], 2);
    assert_eq!(summary["ours"], summary["voucherly"]);
    assert_eq!(summary["ours"]["paid_amount"], 2600);
    assert_eq!(summary["ours"]["confirmed_amount"], 2600);
    // Another day has nothing to reconcile.
    let (_, other) = get_json(&api, "/api/v1/reconciliation?date=2020-01-01").await;
    assert_eq!(other["summary"]["payments"], 0);
}

#[tokio::test]
async fn a_difference_planted_in_the_sandbox_is_found_with_both_sides() {
    let api = with_mario().await;
    let changed = paid(&api, "E-1").await;
    let gone = paid(&api, "E-2").await;
    paid(&api, "E-3").await;
    plant(
        &api,
        &changed,
        "body = json_set(body, '$.paidAmount', 1200, '$.paidDigitalAmount', 1200, \
         '$.status', 'Refunded'), status = 'Refunded'",
    );
    let removed = api.app.sandbox_db().execute(
        "DELETE FROM sandbox_payments WHERE id = ?1",
        args![gone.as_str()],
    );
    assert_eq!(removed, 1);

    let (status, report) =
        get_json(&api, &format!("/api/v1/reconciliation?date={}", today())).await;
    assert_eq!(status, 200, "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{report}");
    assert_eq!(findings[0]["store_order_id"], "E-1");
    assert_eq!(findings[0]["voucherly_payment_id"], changed.as_str());
    assert_eq!(findings[0]["outcome"], "differs");
    assert_eq!(
        findings[0]["differences"],
        json!([
            {"field": "status", "ours": "paid", "voucherly": "Refunded"},
            {"field": "paid_amount", "ours": 1300, "voucherly": 1200},
            {"field": "paid_digital_amount", "ours": 1300, "voucherly": 1200},
        ])
    );
    assert_eq!(findings[1]["store_order_id"], "E-2");
    assert_eq!(findings[1]["outcome"], "unknown_to_voucherly");
    let summary = &report["summary"];
    assert_eq!(summary["checked"], 2);
    assert_eq!(summary["matching"], 1);
    assert_eq!(summary["with_differences"], 1);
    assert_eq!(summary["unknown_to_voucherly"], 1);
    assert_eq!(summary["ours"]["paid_amount"], 2600);
    assert_eq!(summary["voucherly"]["paid_amount"], 2500);
    // Reconciling reports; it changes nothing of ours.
    let (_, list) = get_json(&api, "/api/v1/payments?status=paid").await;
    assert_eq!(order_ids(&list), ["E-1", "E-2", "E-3"]);
}

//! Voucherly's fiscal receipts (PDF) next to the history's paid and refunded payments: issued by
//! the sandbox as real PDFs (read back with `pdftotext`), handed on only to their owner, and a
//! readable "no receipt yet" when Voucherly has none.

use std::process::Command;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, browser, spawn_app, spawn_app_with_voucherly};
use crate::paying::support::order_id;
use crate::receipts::{pay_and_approve, signed_in_elsewhere};

/// The text of a PDF, as `pdftotext` (Debian's `poppler-utils`) reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("receipt.pdf");
    std::fs::write(&file, pdf).expect("the PDF written");
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "pdftotext is needed to read receipts ({error}): run scripts/test, or install it \
                 with `apt-get install poppler-utils`"
            )
        });
    assert!(
        output.status.success(),
        "pdftotext refused the PDF: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 text")
}

/// The first link with `class` on the page.
fn link_with_class(html: &str, class: &str) -> Option<String> {
    let at = html.find(&format!(r#"class="{class}""#))?;
    let start = html[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

async fn download(app: &TestApp, href: &str) -> reqwest::Response {
    app.get(href).await
}

#[tokio::test]
async fn a_paid_payment_has_its_fiscal_receipt_as_a_pdf_with_the_store_lines_amounts_and_method() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let reference = pay_and_approve(&app).await;

    let profile = app.get_html("/account").await;
    let href = link_with_class(&profile, "fiscal-receipt").expect("a fiscal receipt link");
    assert_eq!(
        href,
        format!("/account/payments/{reference}/fiscal-receipt.pdf")
    );
    assert!(
        link_with_class(&profile, "refund-receipt").is_none(),
        "a payment not refunded has no refund receipt"
    );
    let response = download(&app, &href).await;
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"scontrino-{reference}.pdf\"").as_str()
    );
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let text = pdf_text(&pdf);
    let voucherly_id = app.payment_row(&reference).voucherly_payment_id.unwrap();
    for expected in [
        "Negozio demo",
        "Documento commerciale di vendita",
        voucherly_id.as_str(),
        "Pizza margherita",
        "Sconto pranzo",
        "17,00 €",
        "Carta di credito Visa •••• 4242",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The date, in Italian time (a payment made around midnight may straddle two days).
    let dates: Vec<String> = [0, 120]
        .iter()
        .map(|ago| {
            let at = voucherly_account::domain::in_italy(
                time::OffsetDateTime::now_utc() - time::Duration::seconds(*ago),
            );
            format!(
                "Data: {:02}/{:02}/{}",
                at.day(),
                u8::from(at.month()),
                at.year()
            )
        })
        .collect();
    assert!(
        dates.iter().any(|date| text.contains(date)),
        "{dates:?} in {text}"
    );

    app.choose_language("/account", "en", "/account").await;
    let english = download(&app, &href).await;
    assert_eq!(
        english.headers()["content-disposition"],
        format!("attachment; filename=\"receipt-{reference}.pdf\"").as_str()
    );
}

#[tokio::test]
async fn the_sandbox_issues_a_refund_receipt_only_once_the_payment_is_refunded() {
    let app = spawn_app().await;
    app.sign_in_as("demo-mario").await;
    let reference = pay_and_approve(&app).await;
    let id = app.payment_row(&reference).voucherly_payment_id.unwrap();
    let sandbox = |suffix: &str| {
        app.client
            .get(app.url(&format!("/sandbox/v1/payments/{id}/{suffix}")))
            .header("Voucherly-API-Key", "sk_sand_x")
    };
    let before = sandbox("refund_receipt").send().await.unwrap();
    assert_eq!(before.status().as_u16(), 404);

    let refunded = app
        .client
        .post(app.url(&format!("/sandbox/v1/payments/{id}/refund")))
        .header("Voucherly-API-Key", "sk_sand_x")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(refunded.status().as_u16(), 200);
    let after = sandbox("refund_receipt").send().await.unwrap();
    assert_eq!(after.status().as_u16(), 200);
    assert_eq!(after.headers()["content-type"], "application/pdf");
    let text = pdf_text(&after.bytes().await.unwrap());
    for expected in [
        "Negozio demo",
        "Documento commerciale di reso o annullamento",
        "Importo reso",
        "17,00 €",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The sale receipt stays.
    let sale = sandbox("receipt").send().await.unwrap();
    assert_eq!(sale.status().as_u16(), 200);
}

/// Mario, on an app whose Voucherly is `voucherly`, with a refunded payment `pay_1`.
async fn mario_refunded(voucherly: &MockServer) -> (TestApp, String) {
    let app = spawn_app_with_voucherly(voucherly).await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let reference = app.insert_payment(order, Some("pay_1"), "refunded", 1_790_000_000);
    (app, reference)
}

#[tokio::test]
async fn a_refunded_payment_links_both_receipts_and_says_when_voucherly_has_none_yet() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1/receipt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"%PDF-1.4 sale".to_vec(), "application/pdf"),
        )
        .expect(1)
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1/refund_receipt"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "type": null, "title": "Not Found", "status": 404, "detail": "no receipt"
        })))
        .expect(1)
        .mount(&voucherly)
        .await;
    let (app, reference) = mario_refunded(&voucherly).await;

    let profile = app.get_html("/account").await;
    let sale = link_with_class(&profile, "fiscal-receipt").expect("a sale receipt link");
    let refund = link_with_class(&profile, "refund-receipt").expect("a refund receipt link");
    let response = download(&app, &sale).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(&response.bytes().await.unwrap()[..], b"%PDF-1.4 sale");

    let missing = download(&app, &refund).await;
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-store");
    let page = missing.text().await.unwrap();
    assert!(page.contains("Nessuno scontrino per ora"), "{page}");
    assert!(page.contains(r#"href="/account""#));
    assert_eq!(
        refund,
        format!("/account/payments/{reference}/refund-receipt.pdf")
    );
}

#[tokio::test]
async fn voucherly_down_or_answering_something_else_than_a_pdf_is_a_readable_page() {
    let voucherly = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1/receipt"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&voucherly)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1/refund_receipt"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&voucherly)
        .await;
    let (app, reference) = mario_refunded(&voucherly).await;
    let not_pdf = app
        .get(&format!("/account/payments/{reference}/fiscal-receipt.pdf"))
        .await;
    assert_eq!(not_pdf.status().as_u16(), 502);
    let page = not_pdf.text().await.unwrap();
    assert!(page.contains("Scontrino non disponibile"), "{page}");
    assert!(!page.contains("oops"));
    let down = app
        .get(&format!("/account/payments/{reference}/refund-receipt.pdf"))
        .await;
    assert_eq!(down.status().as_u16(), 503);
}

#[tokio::test]
async fn receipts_download_only_for_the_shopper_who_owns_the_payment() {
    let voucherly = MockServer::start().await;
    // Voucherly is never asked for a receipt that is not the shopper's.
    Mock::given(method("GET"))
        .and(path("/v1/payments/pay_1/receipt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"%PDF-1.4".to_vec(), "application/pdf"),
        )
        .expect(0)
        .mount(&voucherly)
        .await;
    let app = spawn_app_with_voucherly(&voucherly).await;
    app.sign_in_as("demo-mario").await;
    let order = order_id(&app, "demo-1001");
    let paid = app.insert_payment(order, Some("pay_1"), "paid", 1_790_000_000);
    let open = app.insert_payment(order, Some("pay_2"), "requested", 1_790_000_000);
    let sale = |reference: &str| format!("/account/payments/{reference}/fiscal-receipt.pdf");
    let refund = |reference: &str| format!("/account/payments/{reference}/refund-receipt.pdf");

    let luca = signed_in_elsewhere(&app, "demo-luca").await;
    for path in [sale(&paid), refund(&paid)] {
        let his_try = luca.get(app.url(&path)).send().await.unwrap();
        assert_eq!(his_try.status().as_u16(), 404, "{path}");
    }
    let stranger = browser().get(app.url(&sale(&paid))).send().await.unwrap();
    assert_eq!(stranger.status().as_u16(), 303);
    // Mario's own: a payment not paid has no receipt; a paid one not refunded no refund receipt.
    for path in [sale(&open), refund(&paid), sale("no-such-payment")] {
        assert_eq!(app.get(&path).await.status().as_u16(), 404, "{path}");
    }
}

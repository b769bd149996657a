//! The payment list as CSV for an accountant: RFC 4180 (comma separated, CRLF line ends, fields
//! quoted when they hold a comma, a quote or a line break), a header row, amounts in euros
//! with a decimal point (`12.90`), times in RFC 3339 UTC. A text cell that a spreadsheet would
//! take for a formula (starting with `=`, `+`, `-` or `@`) is prefixed with an apostrophe.

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use super::json::PaymentJson;
use crate::domain::ledger::LedgerEntry;

const HEADER: [&str; 18] = [
    "store_order_id",
    "reference",
    "voucherly_payment_id",
    "store_user_id",
    "status",
    "voucherly_status",
    "created_at",
    "paid_at",
    "confirmed_at",
    "currency",
    "amount",
    "paid_amount",
    "paid_voucher_amount",
    "paid_digital_amount",
    "paid_fringe_amount",
    "paid_cash_amount",
    "confirmed_amount",
    "refunded_amount",
];

pub fn response(entries: &[LedgerEntry]) -> anyhow::Result<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"payments.csv\""))
        .body(csv(entries)?))
}

fn csv(entries: &[LedgerEntry]) -> anyhow::Result<String> {
    let mut out = String::new();
    line(&mut out, HEADER.iter().map(|name| text(name)));
    for entry in entries {
        let row = PaymentJson::of(entry)?;
        let optional = |value: &Option<String>| value.as_deref().map(text).unwrap_or_default();
        let money = |cents: Option<i64>| cents.map(euros).unwrap_or_default();
        line(
            &mut out,
            [
                text(&row.store_order_id),
                text(&row.reference),
                optional(&row.voucherly_payment_id),
                text(&row.store_user_id),
                text(row.status),
                optional(&row.voucherly_status),
                text(&row.created_at),
                optional(&row.paid_at),
                optional(&row.confirmed_at),
                text(&row.currency),
                euros(row.amount),
                money(row.paid_amount),
                money(row.paid_voucher_amount),
                money(row.paid_digital_amount),
                money(row.paid_fringe_amount),
                money(row.paid_cash_amount),
                money(row.confirmed_amount),
                money(row.refunded_amount),
            ],
        );
    }
    Ok(out)
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// `1290` as `12.90`: no thousands separator, so spreadsheets read a number.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let units = cents.unsigned_abs();
    format!("{sign}{}.{:02}", units / 100, units % 100)
}

/// A text cell: defused if a spreadsheet would run it, quoted if it needs to be.
fn text(value: &str) -> String {
    let mut value = value.to_owned();
    if value.starts_with(['=', '+', '-', '@']) {
        value.insert(0, '\'');
    }
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_quoted_and_formulas_defused() {
        assert_eq!(text("A-1"), "A-1");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@x,y"), "\"'@x,y\"");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn amounts_are_euros_with_a_decimal_point() {
        assert_eq!(euros(1290), "12.90");
        assert_eq!(euros(5), "0.05");
        assert_eq!(euros(123_456), "1234.56");
    }
}

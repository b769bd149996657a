//! `GET /account/payments.csv`: the shopper's whole payment history as CSV, for a spreadsheet.
//! In Italian: semicolons and decimal commas, as Italian spreadsheets read them (with a byte
//! order mark so they take it as UTF-8); in English: standard CSV (RFC 4180). Only the signed-in
//! shopper's own payments.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};
use time::OffsetDateTime;
use time::macros::format_description;

use super::history::status_text;
use crate::app::receipts::Receipts;
use crate::domain::in_italy;
use crate::domain::payment::HistoryEntry;
use crate::i18n::Lang;
use crate::session::SignedIn;
use crate::web::PageError;

pub const PATH: &str = "/account/payments.csv";

#[tracing::instrument(name = "history export", skip_all, fields(shopper_id = signed_in.shopper_id))]
pub async fn download(
    req: HttpRequest,
    signed_in: SignedIn,
    receipts: web::Data<Receipts>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let entries = receipts.history(signed_in.shopper_id).await?;
    let name = match lang {
        Lang::It => "pagamenti.csv",
        Lang::En => "payments.csv",
    };
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(csv(&entries, lang)))
}

/// The history as CSV in the conventions of `lang`, lines ending in CRLF.
fn csv(entries: &[HistoryEntry], lang: Lang) -> String {
    let t = lang.texts();
    let (separator, decimal, start) = match lang {
        Lang::It => (';', ',', "\u{feff}"),
        Lang::En => (',', '.', ""),
    };
    let mut out = String::from(start);
    let mut line = |fields: &[&str]| {
        let cells: Vec<String> = fields.iter().map(|f| cell(f, separator)).collect();
        out.push_str(&cells.join(&separator.to_string()));
        out.push_str("\r\n");
    };
    line(&[
        t.history_date,
        t.history_order,
        t.history_amount,
        t.csv_currency,
        t.history_method,
        t.history_status,
        t.csv_reference,
    ]);
    for entry in entries {
        let at = in_italy(
            OffsetDateTime::from_unix_timestamp(entry.created_at)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        );
        let date = at
            .format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
            .unwrap_or_default();
        let amount = plain_amount(entry.amount, decimal);
        let method = entry
            .method_label
            .as_deref()
            .unwrap_or(t.history_at_checkout);
        line(&[
            &date,
            &entry.store_order_id,
            &amount,
            &entry.currency,
            method,
            status_text(t, entry.status),
            &entry.reference,
        ]);
    }
    out
}

/// `1290` as `12,90` or `12.90`: no thousands separator, so spreadsheets read a number.
fn plain_amount(minor_units: i64, decimal: char) -> String {
    let sign = if minor_units < 0 { "-" } else { "" };
    let units = minor_units.unsigned_abs();
    format!("{sign}{}{decimal}{:02}", units / 100, units % 100)
}

/// One field: quoted when it holds the separator, a quote or a line break; a leading `=`, `+`,
/// `-` or `@` (a formula to a spreadsheet) is defused with an apostrophe, since order ids and
/// method names come from elsewhere.
fn cell(text: &str, separator: char) -> String {
    let mut text = text.to_owned();
    let is_number = text.get(1..).is_some_and(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    });
    if text.starts_with(['=', '+', '-', '@']) && !is_number {
        text.insert(0, '\'');
    }
    if text.contains([separator, '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LocalStatus;

    fn entry(store_order_id: &str, amount: i64) -> HistoryEntry {
        HistoryEntry {
            refunds: vec![],
            reference: "ref-1".into(),
            created_at: 1_790_000_000,
            store_order_id: store_order_id.into(),
            amount,
            currency: "EUR".into(),
            method_label: Some("Visa •••• 4242".into()),
            status: LocalStatus::Paid,
            is_duplicate: false,
            needs_manual_refund: false,
            voucher_amount: None,
        }
    }

    #[test]
    fn italian_csv_uses_semicolons_and_decimal_commas() {
        let text = csv(&[entry("A;1", 123_456)], Lang::It);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Data;Ordine;Importo;Valuta;Metodo;Stato;Riferimento"
        );
        assert_eq!(
            lines[1],
            "2026-09-21 16:13;\"A;1\";1234,56;EUR;Visa •••• 4242;Pagato;ref-1"
        );
    }

    #[test]
    fn english_csv_is_standard_and_formulas_are_defused() {
        let text = csv(&[entry("=HYPERLINK(\"x\")", -50)], Lang::En);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(
            lines[0].starts_with("Date,Order,Amount,Currency,"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[1],
            "2026-09-21 16:13,\"'=HYPERLINK(\"\"x\"\")\",-0.50,EUR,Visa •••• 4242,Paid,ref-1"
        );
    }
}

//! The refund endpoints' bodies: the request, read strictly (an unknown field is a 400 naming
//! it), and the refund as answered.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::app::refunds::RefundAsk;
use crate::domain::order::{MAX_AMOUNT, MAX_QUANTITY};
use crate::domain::refund::{Refund, RefundDestination, RefundLine};
use crate::domain::store_event::rfc3339;
use crate::routes::api::ApiError;
use crate::routes::api::object::optional_objects;
use crate::routes::api::orders::request::{optional_whole_number, whole_number};
use crate::routes::api::orders::response::currency;

/// The longest refund id and reason accepted, in characters.
const MAX_ID_CHARS: usize = 100;
const MAX_REASON_CHARS: usize = 500;

/// The body of `POST /api/v1/orders/{store_order_id}/refunds`. Send `amount` or `lines`, not
/// both (a 400 says so); neither gives back everything still refundable.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"refund_id": "R-1", "amount": 500, "reason": "one pizza was cold"}))]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// The store's id of this refund (1 to 100 characters), unique within the order: sending
    /// the same id again with the same body answers the same refund, with another body a 409.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub refund_id: String,
    /// How much to give back, in minor units (cents). Leave out with `lines`; leave both out
    /// to give back everything still refundable.
    #[serde(default, deserialize_with = "optional_whole_number")]
    #[schema(minimum = 1, maximum = 99_999_999)]
    pub amount: Option<i64>,
    /// Which lines of the order to give back, and how many units of each; the amount is their
    /// price less their discounts and their share of the order's discounts.
    #[serde(default, deserialize_with = "optional_objects")]
    #[schema(min_items = 1)]
    pub lines: Option<Vec<RefundLineJson>>,
    /// `original_methods` (the default): to the methods that paid; `wallet`: as credit to the
    /// shopper's Voucherly wallet.
    pub destination: Option<Destination>,
    /// Why, for the store's records (up to 500 characters).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Units of one order line.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RefundLine)]
pub struct RefundLineJson {
    /// The line's position in the order's `lines`, counted from 0.
    #[serde(deserialize_with = "whole_number")]
    #[schema(minimum = 0, maximum = 10_000)]
    pub line: i64,
    /// How many of its units to give back.
    #[serde(deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 10_000)]
    pub quantity: i64,
}

/// Where the money goes back. Read from its name only (serde's derive would also take
/// `{"wallet": null}`).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum Destination {
    /// To the methods the shopper paid with.
    OriginalMethods,
    /// As credit to the shopper's Voucherly wallet.
    Wallet,
}

impl TryFrom<String> for Destination {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        match name.as_str() {
            "original_methods" => Ok(Self::OriginalMethods),
            "wallet" => Ok(Self::Wallet),
            _ => Err(format!(
                "unknown destination {name:?}, expected \"original_methods\" or \"wallet\""
            )),
        }
    }
}

impl RefundRequest {
    /// Checks the fields; nothing is written yet.
    pub fn parse(self) -> Result<RefundAsk, ApiError> {
        let id = self.refund_id.trim();
        if id.is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
            return Err(ApiError::invalid(format!(
                "refund_id: 1 to {MAX_ID_CHARS} characters, without control characters"
            )));
        }
        if self.amount.is_some() && self.lines.is_some() {
            return Err(ApiError::invalid(
                "send either amount or lines, not both (neither refunds everything left)",
            ));
        }
        if let Some(amount) = self.amount
            && !(1..=MAX_AMOUNT).contains(&amount)
        {
            return Err(ApiError::invalid(format!(
                "amount: between 1 and {MAX_AMOUNT} cents"
            )));
        }
        let lines = match &self.lines {
            None => None,
            Some(lines) if lines.is_empty() => {
                return Err(ApiError::invalid(
                    "lines: list at least one line, or leave lines out",
                ));
            }
            Some(lines) => Some(refund_lines(lines)?),
        };
        let reason = self.reason.map(|r| r.trim().to_owned());
        if reason
            .as_deref()
            .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
        {
            return Err(ApiError::invalid(format!(
                "reason: at most {MAX_REASON_CHARS} characters"
            )));
        }
        Ok(RefundAsk {
            store_refund_id: id.to_owned(),
            amount: self.amount,
            lines,
            destination: match self.destination {
                Some(Destination::Wallet) => RefundDestination::Wallet,
                Some(Destination::OriginalMethods) | None => RefundDestination::OriginalMethods,
            },
            reason: reason.filter(|r| !r.is_empty()),
        })
    }
}

/// The lines asked for, each checked: a position from 0, a quantity from 1.
fn refund_lines(lines: &[RefundLineJson]) -> Result<Vec<RefundLine>, ApiError> {
    lines
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let line = usize::try_from(l.line)
                .map_err(|_| ApiError::invalid(format!("lines[{index}].line: 0 or more")))?;
            if !(1..=MAX_QUANTITY).contains(&l.quantity) {
                return Err(ApiError::invalid(format!(
                    "lines[{index}].quantity: between 1 and {MAX_QUANTITY}"
                )));
            }
            Ok(RefundLine {
                line,
                quantity: l.quantity,
            })
        })
        .collect()
}

/// A refund, as the store API answers it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Refund)]
pub struct RefundJson {
    /// The store's id of the refund.
    pub refund_id: String,
    /// The store's id of the order.
    pub store_order_id: String,
    /// `pending` (recorded; Voucherly has not made it yet, it is retried), `refunded`, or
    /// `manual_refund_needed` (Voucherly cannot make it: refund the shopper yourself).
    #[schema(schema_with = refund_status)]
    pub status: &'static str,
    /// Minor units (cents) given back.
    pub amount: i64,
    #[schema(schema_with = currency)]
    pub currency: &'static str,
    /// `original_methods` or `wallet`.
    #[schema(schema_with = destination)]
    pub destination: &'static str,
    /// The lines given back, for a refund by lines; empty otherwise.
    pub lines: Vec<RefundLineJson>,
    /// The store's reason, if it gave one.
    pub reason: Option<String>,
    /// Voucherly's id of the payment refunded.
    pub voucherly_payment_id: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it was settled (refunded, or found impossible), RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub completed_at: Option<String>,
}

/// `GET /api/v1/orders/{store_order_id}/refunds`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RefundList)]
pub struct RefundListJson {
    /// Minor units given back by the order's refunds so far.
    pub refunded_amount: i64,
    /// The order's refunds, oldest first.
    pub items: Vec<RefundJson>,
}

impl RefundJson {
    pub fn new(store_order_id: &str, refund: Refund) -> anyhow::Result<Self> {
        Ok(Self {
            refund_id: refund.store_refund_id,
            store_order_id: store_order_id.to_owned(),
            status: refund.status.as_str(),
            amount: refund.amount,
            currency: "EUR",
            destination: refund.destination.as_str(),
            lines: refund
                .lines
                .into_iter()
                .map(|l| RefundLineJson {
                    line: i64::try_from(l.line).unwrap_or(i64::MAX),
                    quantity: l.quantity,
                })
                .collect(),
            reason: refund.reason,
            voucherly_payment_id: refund.voucherly_payment_id,
            created_at: rfc3339(refund.created_at)?,
            completed_at: refund.completed_at.map(rfc3339).transpose()?,
        })
    }
}

impl RefundListJson {
    pub fn new(store_order_id: &str, refunds: Vec<Refund>) -> anyhow::Result<Self> {
        let refunded_amount = refunds
            .iter()
            .filter(|r| r.status == crate::domain::refund::RefundStatus::Refunded)
            .map(|r| r.amount)
            .sum();
        Ok(Self {
            refunded_amount,
            items: refunds
                .into_iter()
                .map(|refund| RefundJson::new(store_order_id, refund))
                .collect::<anyhow::Result<_>>()?,
        })
    }
}

fn refund_status() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["pending", "refunded", "manual_refund_needed"]))
        .build()
}

fn destination() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["original_methods", "wallet"]))
        .build()
}

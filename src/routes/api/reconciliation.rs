//! `GET /api/v1/reconciliation?date=YYYY-MM-DD`: the payments we recorded on that UTC day,
//! each read back from Voucherly, and every difference between the two. Payments Voucherly
//! cannot be asked about now are listed as unchecked (still a 200); when none at all could be,
//! the answer is a 503 with `Retry-After`.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::openapi::{InvalidRequest, TooManyRequests, Unauthorized, VoucherlyUnreadable};
use super::orders::method_not_allowed;
use super::payments::{cursor, limit, utc};
use super::{ApiError, StoreAuth};
use crate::app::ledger::{Finding, Ledger, Outcome, Report, Summary, Totals};
use crate::domain::ledger::Position;
use crate::domain::reconciliation::Figure;

/// Seconds a store should wait before asking again when Voucherly could not be read at all.
const RETRY_AFTER: u64 = 60;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/reconciliation")
            .route(web::get().to(reconcile))
            .default_service(web::to(|| async { method_not_allowed("GET") })),
    );
}

/// The reconciliation's query parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    /// The UTC day, `YYYY-MM-DD`: the payments created that day. A day that does not exist is
    /// a 400.
    #[param(required = true, value_type = String, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2025-03-01")]
    pub date: Option<String>,
    /// Payments compared in one answer: 1 to 500, 100 when not given.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous answer, for the rest of the day, as it came (any
    /// other is a 400).
    #[param(pattern = r"^[0-9a-f]+$")]
    pub cursor: Option<String>,
}

/// What the day's reconciliation found.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReconciliationJson {
    /// The UTC day reconciled.
    pub date: String,
    /// Counts and totals, ours and Voucherly's.
    pub summary: SummaryJson,
    /// Every payment that does not match, or could not be compared; empty when all match.
    pub findings: Vec<FindingJson>,
    /// When the day has more payments than one answer holds: send it back as `cursor`.
    pub next_cursor: Option<String>,
}

/// Counts of the payments compared, and their totals on both sides.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryJson {
    /// Our payments of the day (in this answer).
    pub payments: u64,
    /// Never created at Voucherly (creation failed or under way): nothing to compare.
    pub not_sent: u64,
    /// Read back from Voucherly.
    pub checked: u64,
    /// Checked and the same on both sides.
    pub matching: u64,
    /// Checked and different in at least one field.
    pub with_differences: u64,
    /// Voucherly does not know the payment.
    pub unknown_to_voucherly: u64,
    /// Could not be read from Voucherly now: reconcile the day again later.
    pub unchecked: u64,
    /// Our totals over the payments checked, in cents.
    pub ours: TotalsJson,
    /// Voucherly's totals over the same payments, in cents.
    pub voucherly: TotalsJson,
}

/// Sums in cents.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsJson {
    /// What was asked (ours: the orders' amounts; Voucherly's: `finalAmount`).
    pub amount: i64,
    /// Paid.
    pub paid_amount: i64,
    /// Captured.
    pub confirmed_amount: i64,
    /// Refunded.
    pub refunded_amount: i64,
}

/// One payment that does not match.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingJson {
    /// The store's order id.
    pub store_order_id: String,
    /// Our reference of the payment.
    pub reference: String,
    /// Voucherly's payment id.
    pub voucherly_payment_id: Option<String>,
    /// `differs`, `unknown_to_voucherly` or `unchecked`.
    #[schema(schema_with = outcome)]
    pub outcome: &'static str,
    /// The fields that differ (for `differs`).
    pub differences: Vec<DifferenceJson>,
    /// Why it could not be checked (for `unchecked`).
    pub note: Option<String>,
}

/// One field on which we and Voucherly disagree.
#[derive(Debug, Serialize, ToSchema)]
pub struct DifferenceJson {
    /// `status`, `amount` (ours asked, Voucherly's `finalAmount`), `paid_amount`,
    /// `paid_voucher_amount`, `paid_digital_amount`, `paid_fringe_amount`, `paid_cash_amount`,
    /// `confirmed_amount` or `refunded_amount`.
    pub field: &'static str,
    /// Our value: cents, a status, or `null` when we recorded none.
    #[schema(value_type = Object)]
    pub ours: Value,
    /// Voucherly's value now.
    #[schema(value_type = Object)]
    pub voucherly: Value,
}

fn outcome() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["differs", "unknown_to_voucherly", "unchecked"]))
        .build()
}

/// Reconcile a day with Voucherly
///
/// Takes the payments created that UTC day (in this instance's Voucherly environment), reads
/// each from Voucherly (8 at a time, 25 seconds in all) and lists every payment that does not
/// match, with each field that differs, ours and Voucherly's; a payment Voucherly does not know
/// is `unknown_to_voucherly`, one it could not be asked about now `unchecked`. Changes nothing.
/// More than `limit` payments: send `next_cursor` back as `cursor`. When none could be read, a
/// 503 with `Retry-After`.
#[utoipa::path(
    get,
    path = "/api/v1/reconciliation",
    tag = "reconciliation",
    operation_id = "reconcileDay",
    params(ReconciliationQuery),
    responses(
        (status = 200, description = "What the day's reconciliation found.", body = ReconciliationJson),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 503, response = VoucherlyUnreadable),
    )
)]
#[tracing::instrument(skip_all)]
pub(super) async fn reconcile(
    _: StoreAuth,
    ledger: web::Data<Ledger>,
    query: web::Query<ReconciliationQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let date = query
        .date
        .ok_or_else(|| ApiError::invalid("date is required, as YYYY-MM-DD (a UTC day)"))?;
    let day = utc::day_start("date", &date)?;
    let report = ledger
        .reconcile(
            day,
            cursor(query.cursor.as_deref())?,
            limit(query.limit.as_deref())?,
        )
        .await?;
    let summary = &report.summary;
    if summary.unchecked > 0 && summary.checked + summary.unknown_to_voucherly == 0 {
        return Err(ApiError::unavailable(
            format!(
                "Voucherly could not be read for any of the {} payments; retry in {RETRY_AFTER} \
                 seconds",
                summary.unchecked
            ),
            RETRY_AFTER,
        ));
    }
    Ok(HttpResponse::Ok().json(ReconciliationJson::of(date, report)))
}

impl ReconciliationJson {
    fn of(date: String, report: Report) -> Self {
        Self {
            date,
            summary: SummaryJson::of(&report.summary),
            findings: report.findings.into_iter().map(FindingJson::of).collect(),
            next_cursor: report.next.map(Position::to_cursor),
        }
    }
}

impl SummaryJson {
    fn of(summary: &Summary) -> Self {
        Self {
            payments: summary.payments,
            not_sent: summary.not_sent,
            checked: summary.checked,
            matching: summary.matching,
            with_differences: summary.with_differences,
            unknown_to_voucherly: summary.unknown_to_voucherly,
            unchecked: summary.unchecked,
            ours: TotalsJson::of(summary.ours),
            voucherly: TotalsJson::of(summary.voucherly),
        }
    }
}

impl TotalsJson {
    fn of(totals: Totals) -> Self {
        Self {
            amount: totals.amount,
            paid_amount: totals.paid_amount,
            confirmed_amount: totals.confirmed_amount,
            refunded_amount: totals.refunded_amount,
        }
    }
}

impl FindingJson {
    fn of(finding: Finding) -> Self {
        let entry = finding.entry;
        let (outcome, differences, note) = match finding.outcome {
            Outcome::Differs(found) => (
                "differs",
                found
                    .into_iter()
                    .map(|difference| DifferenceJson {
                        field: difference.field,
                        ours: figure(difference.ours),
                        voucherly: figure(difference.voucherly),
                    })
                    .collect(),
                None,
            ),
            Outcome::UnknownToVoucherly => ("unknown_to_voucherly", Vec::new(), None),
            Outcome::Unchecked(note) => ("unchecked", Vec::new(), Some(note)),
        };
        Self {
            store_order_id: entry.store_order_id,
            reference: entry.reference,
            voucherly_payment_id: entry.voucherly_payment_id,
            outcome,
            differences,
            note,
        }
    }
}

fn figure(figure: Figure) -> Value {
    match figure {
        Figure::Cents(cents) => Value::from(cents),
        Figure::Text(text) => Value::from(text),
        Figure::Missing => Value::Null,
    }
}

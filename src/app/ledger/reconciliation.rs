//! A day's payments as we recorded them, each read back from Voucherly (a few at a time) and
//! compared with what it reports now. Reading changes nothing of ours: a reconciliation only
//! reports. A payment Voucherly cannot be asked about now is listed as unchecked, never
//! guessed at.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

use super::Ledger;
use crate::app::payments::reading_of;
use crate::domain::ledger::{LedgerEntry, PaymentFilter, Position};
use crate::domain::payment::Reading;
use crate::domain::reconciliation::{Difference, differences};
use crate::voucherly::{VoucherlyClient, VoucherlyError};

/// Payments read from Voucherly at once.
pub const CONCURRENCY: usize = 8;

const DAY: i64 = 24 * 60 * 60;

/// What a reconciliation found.
#[derive(Debug)]
pub struct Report {
    /// The payments that do not match, in the order they were created.
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Where the rest of the day starts, when it had more payments than one answer holds.
    pub next: Option<Position>,
}

/// A payment of ours that does not match Voucherly's, or could not be compared.
#[derive(Debug)]
pub struct Finding {
    pub entry: LedgerEntry,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub enum Outcome {
    /// Voucherly reports it otherwise.
    Differs(Vec<Difference>),
    /// Voucherly does not know the payment.
    UnknownToVoucherly,
    /// Voucherly could not be asked now: why.
    Unchecked(String),
}

/// Counts and totals of a reconciliation.
#[derive(Debug, Default)]
pub struct Summary {
    /// Our payments of the day (of this answer's part of it).
    pub payments: u64,
    /// Never created at Voucherly (its creation failed or is under way): nothing to compare.
    pub not_sent: u64,
    /// Read back from Voucherly.
    pub checked: u64,
    pub matching: u64,
    pub with_differences: u64,
    pub unknown_to_voucherly: u64,
    pub unchecked: u64,
    /// Over the payments checked: what we recorded.
    pub ours: Totals,
    /// Over the payments checked: what Voucherly reports.
    pub voucherly: Totals,
}

/// Sums in cents.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Asked (ours) or `finalAmount` (Voucherly's).
    pub amount: i64,
    pub paid_amount: i64,
    pub confirmed_amount: i64,
    pub refunded_amount: i64,
}

impl Totals {
    fn add(
        &mut self,
        amount: i64,
        paid: Option<i64>,
        confirmed: Option<i64>,
        refunded: Option<i64>,
    ) {
        self.amount = self.amount.saturating_add(amount);
        self.paid_amount = self.paid_amount.saturating_add(paid.unwrap_or(0));
        self.confirmed_amount = self.confirmed_amount.saturating_add(confirmed.unwrap_or(0));
        self.refunded_amount = self.refunded_amount.saturating_add(refunded.unwrap_or(0));
    }
}

impl Ledger {
    /// Reconciles up to `limit` payments created on the UTC day starting at `day` (Unix
    /// seconds), after `after`.
    #[tracing::instrument(name = "ledger.reconcile", skip(self))]
    pub async fn reconcile(
        &self,
        day: i64,
        after: Option<Position>,
        limit: i64,
    ) -> anyhow::Result<Report> {
        let page = self
            .list(PaymentFilter {
                from: Some(day),
                to: Some(day.saturating_add(DAY)),
                environment: Some(self.environment.to_owned()),
                after,
                limit,
                ..PaymentFilter::default()
            })
            .await?;
        let readings = read_all(&self.voucherly, &page.entries, self.time_budget).await;
        let mut summary = Summary {
            payments: page.entries.len() as u64,
            ..Summary::default()
        };
        let mut findings = Vec::new();
        for (entry, read) in page.entries.into_iter().zip(readings) {
            let outcome = match read {
                None => {
                    summary.not_sent += 1;
                    continue;
                }
                Some(Ok(theirs)) => {
                    summary.checked += 1;
                    tally(&mut summary, &entry, &theirs);
                    let found = differences(&entry, &theirs);
                    if found.is_empty() {
                        summary.matching += 1;
                        continue;
                    }
                    summary.with_differences += 1;
                    Outcome::Differs(found)
                }
                Some(Err(VoucherlyError::NotFound)) => {
                    summary.unknown_to_voucherly += 1;
                    Outcome::UnknownToVoucherly
                }
                Some(Err(error)) => {
                    summary.unchecked += 1;
                    Outcome::Unchecked(note(&error))
                }
            };
            findings.push(Finding { entry, outcome });
        }
        Ok(Report {
            findings,
            summary,
            next: page.next,
        })
    }
}

/// Each entry read from Voucherly, [`CONCURRENCY`] at a time, within `time_budget`, in the
/// entries' order; `None` for one Voucherly never gave an id.
async fn read_all(
    voucherly: &VoucherlyClient,
    entries: &[LedgerEntry],
    time_budget: Duration,
) -> Vec<Option<Result<Reading, VoucherlyError>>> {
    let deadline = Instant::now() + time_budget;
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut reads = JoinSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let Some(id) = entry.voucherly_payment_id.clone() else {
            continue;
        };
        let (voucherly, permits) = (voucherly.clone(), Arc::clone(&permits));
        reads.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let read = voucherly.get_payment(&id).await;
            (index, read.map(|payment| reading_of(&payment)))
        });
    }
    // A read that never came back (out of time, or its task failed) is unchecked, never taken
    // as not sent.
    let mut answers: Vec<_> = entries
        .iter()
        .map(|entry| {
            entry.voucherly_payment_id.as_ref().map(|_| {
                Err(VoucherlyError::Unavailable(
                    "no answer within the reconciliation's time".into(),
                ))
            })
        })
        .collect();
    loop {
        match timeout_at(deadline, reads.join_next()).await {
            Ok(Some(Ok((index, read)))) => answers[index] = Some(read),
            Ok(Some(Err(error))) => {
                tracing::error!(%error, "a read-back for the reconciliation failed");
            }
            Ok(None) => break,
            Err(_) => {
                tracing::warn!(
                    left = reads.len(),
                    "Voucherly too slow: reads left unchecked"
                );
                reads.abort_all();
                break;
            }
        }
    }
    answers
}

fn tally(summary: &mut Summary, ours: &LedgerEntry, theirs: &Reading) {
    summary.ours.add(
        ours.amount,
        ours.paid_amount,
        ours.breakdown.confirmed,
        ours.breakdown.refunded,
    );
    summary.voucherly.add(
        theirs.breakdown.final_amount.unwrap_or(0),
        theirs.paid_amount,
        theirs.breakdown.confirmed,
        theirs.breakdown.refunded,
    );
}

/// Why a payment could not be checked, for the store's staff.
fn note(error: &VoucherlyError) -> String {
    match error {
        VoucherlyError::Unavailable(_) => {
            "Voucherly is unavailable right now; reconcile the day again later".to_owned()
        }
        VoucherlyError::Unauthorized => {
            "Voucherly refused our API key; check the Voucherly settings".to_owned()
        }
        other => format!(
            "Voucherly answered unexpectedly ({}); reconcile the day again later",
            other.kind()
        ),
    }
}

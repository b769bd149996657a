//! Comparing our record of a payment with what Voucherly reports of it now: every field that
//! differs, in words an accountant can act on.

use super::LocalStatus;
use super::ledger::LedgerEntry;
use super::payment::Reading;

/// One field on which our record and Voucherly disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `status`, `amount`, `paid_amount`, `paid_voucher_amount`, `paid_digital_amount`,
    /// `paid_fringe_amount`, `paid_cash_amount`, `confirmed_amount` or `refunded_amount`.
    pub field: &'static str,
    pub ours: Figure,
    pub voucherly: Figure,
}

/// A value on either side of a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Cents.
    Cents(i64),
    Text(String),
    /// Not recorded (or not reported).
    Missing,
}

/// Every difference between `ours` and Voucherly's `theirs`. An amount Voucherly does not
/// report is not compared; one we never recorded counts as 0 (nothing was paid when we last
/// looked). Failed, abandoned and never-created are one outcome here: nothing was paid.
pub fn differences(ours: &LedgerEntry, theirs: &Reading) -> Vec<Difference> {
    let mut found = Vec::new();
    if !same_status(ours.status, theirs) {
        found.push(Difference {
            field: "status",
            ours: Figure::Text(ours.status.as_str().to_owned()),
            voucherly: theirs
                .voucherly_status
                .clone()
                .map_or(Figure::Missing, Figure::Text),
        });
    }
    let reported = &theirs.breakdown;
    let recorded = &ours.breakdown;
    let pairs = [
        ("amount", Some(ours.amount), reported.final_amount),
        ("paid_amount", ours.paid_amount, theirs.paid_amount),
        (
            "paid_voucher_amount",
            ours.paid_voucher_amount,
            theirs.paid_voucher_amount,
        ),
        (
            "paid_digital_amount",
            recorded.paid_digital,
            reported.paid_digital,
        ),
        (
            "paid_fringe_amount",
            recorded.paid_fringe,
            reported.paid_fringe,
        ),
        ("paid_cash_amount", recorded.paid_cash, reported.paid_cash),
        ("confirmed_amount", recorded.confirmed, reported.confirmed),
        ("refunded_amount", recorded.refunded, reported.refunded),
    ];
    for (field, ours, voucherly) in pairs {
        let Some(voucherly) = voucherly else {
            continue;
        };
        if ours.unwrap_or(0) != voucherly {
            found.push(Difference {
                field,
                ours: ours.map_or(Figure::Missing, Figure::Cents),
                voucherly: Figure::Cents(voucherly),
            });
        }
    }
    found
}

/// Whether Voucherly's status means what ours says.
fn same_status(ours: LocalStatus, theirs: &Reading) -> bool {
    let Some(heard) = theirs.status else {
        return false;
    };
    let unpaid = |status: LocalStatus| status.is_given_up();
    heard == ours || (unpaid(heard) && unpaid(ours))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::payment::Breakdown;

    fn ours(status: LocalStatus) -> LedgerEntry {
        LedgerEntry {
            id: 1,
            reference: "ref".into(),
            store_order_id: "A-1".into(),
            store_user_id: "anna".into(),
            voucherly_payment_id: Some("pay_1".into()),
            status,
            voucherly_status: Some("Confirmed".into()),
            currency: "EUR".into(),
            amount: 1500,
            paid_amount: Some(1500),
            paid_voucher_amount: Some(800),
            breakdown: Breakdown {
                confirmed: Some(1500),
                ..Breakdown::default()
            },
            created_at: 0,
        }
    }

    fn theirs(status: Option<LocalStatus>, word: &str, paid: i64) -> Reading {
        Reading {
            voucherly_payment_id: "pay_1".into(),
            reference: Some("ref".into()),
            status,
            voucherly_status: Some(word.into()),
            checkout_url: None,
            paid_amount: Some(paid),
            paid_voucher_amount: Some(800),
            breakdown: Breakdown {
                final_amount: Some(1500),
                confirmed: Some(paid),
                refunded: Some(0),
                ..Breakdown::default()
            },
        }
    }

    #[test]
    fn the_same_payment_on_both_sides_differs_in_nothing() {
        let same = theirs(Some(LocalStatus::Paid), "Confirmed", 1500);
        assert_eq!(differences(&ours(LocalStatus::Paid), &same), []);
        // Expired at Voucherly, abandoned by us: nothing was paid on either side.
        let mut expired = theirs(Some(LocalStatus::Failed), "Expired", 0);
        expired.breakdown.confirmed = None;
        let mut abandoned = ours(LocalStatus::Abandoned);
        abandoned.paid_amount = None;
        assert_eq!(differences(&abandoned, &expired), []);
    }

    #[test]
    fn every_field_that_differs_is_listed_with_both_sides() {
        let refunded = theirs(Some(LocalStatus::Refunded), "Refunded", 1200);
        assert_eq!(
            differences(&ours(LocalStatus::Paid), &refunded),
            [
                Difference {
                    field: "status",
                    ours: Figure::Text("paid".into()),
                    voucherly: Figure::Text("Refunded".into()),
                },
                Difference {
                    field: "paid_amount",
                    ours: Figure::Cents(1500),
                    voucherly: Figure::Cents(1200),
                },
                Difference {
                    field: "confirmed_amount",
                    ours: Figure::Cents(1500),
                    voucherly: Figure::Cents(1200),
                },
            ]
        );
        let unknown = theirs(None, "Weird", 1500);
        assert_eq!(differences(&ours(LocalStatus::Paid), &unknown).len(), 1);
    }
}

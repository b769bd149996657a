//! A store's refund of a paid order: what it asks for ([`NewRefund`]), how it stands
//! ([`Refund`]), and the rules on it: how much a refund by lines comes to, how an amount is
//! split over the payment's transactions ([`RefundPlan`]), and when Voucherly already shows it
//! made.

use serde::{Deserialize, Serialize};

use super::order::Order;

/// Where the money goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundDestination {
    /// To the methods the shopper paid with.
    OriginalMethods,
    /// As credit to the shopper's Voucherly wallet.
    Wallet,
}

impl RefundDestination {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OriginalMethods => "original_methods",
            Self::Wallet => "wallet",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::OriginalMethods, Self::Wallet]
            .into_iter()
            .find(|d| d.as_str() == text)
    }
}

/// Where a refund stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    /// Recorded; Voucherly has not (yet, or not knowingly) made it.
    Pending,
    /// Voucherly made it.
    Refunded,
    /// Voucherly cannot make it (`ImpossibleRefund`, a refusal): a person must.
    ManualRefundNeeded,
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Refunded => "refunded",
            Self::ManualRefundNeeded => "manual_refund_needed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Refunded, Self::ManualRefundNeeded]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Units of one order line to refund; `line` is its zero-based position in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundLine {
    pub line: usize,
    pub quantity: i64,
}

/// A refund as the store asked for it, checked against its order, before it is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRefund {
    pub order_id: i64,
    /// The store's id: the idempotency key, unique per order.
    pub store_refund_id: String,
    /// Identifies the request: the same id with another fingerprint is a conflict.
    pub fingerprint: String,
    /// `None`: everything still refundable.
    pub amount: Option<i64>,
    /// How much of the amount is food (what meal vouchers may have paid).
    pub food_amount: i64,
    pub destination: RefundDestination,
    pub reason: Option<String>,
    pub lines: Vec<RefundLine>,
}

/// A recorded refund.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund {
    pub id: i64,
    pub order_id: i64,
    pub store_refund_id: String,
    pub fingerprint: String,
    /// The Voucherly payment refunded.
    pub voucherly_payment_id: String,
    pub amount: i64,
    pub food_amount: i64,
    pub destination: RefundDestination,
    pub reason: Option<String>,
    pub lines: Vec<RefundLine>,
    pub status: RefundStatus,
    /// Set before Voucherly is first asked; kept for every retry.
    pub plan: Option<RefundPlan>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
}

/// What recording a refund did.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordRefund {
    /// Recorded now, pending.
    Created(Refund),
    /// The same refund was asked before: this is it.
    Existing(Refund),
    /// The refund id is taken by a different refund of the order.
    Conflict(Refund),
    /// More than is left to refund: at most `maximum` (minor units).
    TooMuch { maximum: i64 },
    /// The order holds no captured money to refund.
    NotRefundable(NotRefundable),
}

/// Why an order cannot be refunded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRefundable {
    /// It awaits payment (or it ended without being paid: `status` says how).
    NotPaid { status: String },
    /// Its money is only authorised: it must be captured or released, not refunded.
    OnlyAuthorised,
}

/// The transactions a refund asks Voucherly to give back from, and how much each had given
/// back already before the first attempt: with it, a retry tells a refund Voucherly already
/// made from one it never received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundPlan {
    pub parts: Vec<RefundPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundPart {
    pub transaction_id: String,
    pub amount: i64,
    /// The transaction's `refundedAmount` before the first attempt.
    pub refunded_before: i64,
}

/// A transaction of the payment, as Voucherly last showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub transaction_id: String,
    pub is_voucher: bool,
    /// Captured and not yet given back.
    pub left: i64,
    pub refunded: i64,
}

impl RefundPlan {
    /// Splits `amount` over `held`: the food share first over meal vouchers, the rest first
    /// over the other methods, then whatever is left anywhere. `None` when the transactions do
    /// not hold that much.
    pub fn allocate(amount: i64, food_amount: i64, held: &[Held]) -> Option<Self> {
        let mut left: Vec<i64> = held.iter().map(|h| h.left.max(0)).collect();
        let mut asked = vec![0i64; held.len()];
        let food = food_amount.clamp(0, amount);
        let mut take = |want: i64, vouchers: Option<bool>| {
            let mut want = want;
            for (i, h) in held.iter().enumerate() {
                if want == 0 {
                    break;
                }
                if vouchers.is_some_and(|v| v != h.is_voucher) {
                    continue;
                }
                let part = want.min(left[i]);
                left[i] -= part;
                asked[i] += part;
                want -= part;
            }
            want
        };
        let food_rest = take(food, Some(true));
        let other_rest = take(amount - food, Some(false));
        if take(food_rest + other_rest, None) > 0 {
            return None;
        }
        let parts = held
            .iter()
            .zip(asked)
            .filter(|(_, amount)| *amount > 0)
            .map(|(h, amount)| RefundPart {
                transaction_id: h.transaction_id.clone(),
                amount,
                refunded_before: h.refunded,
            })
            .collect();
        Some(Self { parts })
    }

    /// Whether `held`, read from Voucherly, shows every part given back already.
    pub fn is_done(&self, held: &[Held]) -> bool {
        self.remaining(held).is_empty()
    }

    /// What `held`, read from Voucherly, does not show given back yet: (transaction id,
    /// amount) of each part not made, or made only in part. A part Voucherly made before an
    /// answer was lost is never asked again.
    pub fn remaining(&self, held: &[Held]) -> Vec<(String, i64)> {
        self.parts
            .iter()
            .filter_map(|part| {
                let now = held
                    .iter()
                    .find(|h| h.transaction_id.eq_ignore_ascii_case(&part.transaction_id))
                    .map_or(part.refunded_before, |h| h.refunded);
                let given = (now - part.refunded_before).clamp(0, part.amount);
                let left = part.amount - given;
                (left > 0).then(|| (part.transaction_id.clone(), left))
            })
            .collect()
    }
}

/// How much a refund of `lines` comes to, and its food share: each unit at its price less its
/// discount, less its part of the order's discounts; `already` are the units refunded (or
/// being refunded) before. `Err` names the line at fault.
pub fn amount_of_lines(
    order: &Order,
    lines: &[RefundLine],
    already: &[RefundLine],
) -> Result<(i64, i64), String> {
    let lines_total: i128 = order
        .lines
        .iter()
        .map(|l| i128::from(l.final_amount()))
        .sum();
    let (mut amount, mut food) = (0i128, 0i128);
    for (index, wanted) in lines.iter().enumerate() {
        let Some(line) = order.lines.get(wanted.line) else {
            return Err(format!(
                "lines[{index}].line: the order has no line {} (it has {}, counted from 0)",
                wanted.line,
                order.lines.len()
            ));
        };
        let units = |of: &[RefundLine]| -> i64 {
            of.iter()
                .filter(|l| l.line == wanted.line)
                .map(|l| l.quantity)
                .sum()
        };
        let left = line.quantity - units(already);
        if wanted.quantity <= 0 || units(lines) > left {
            return Err(format!(
                "lines[{index}].quantity: between 1 and {left} units of line {} can be refunded",
                wanted.line
            ));
        }
        let net = i128::from(line.unit_amount - line.unit_discount_amount);
        let value = if lines_total > 0 {
            i128::from(wanted.quantity) * net * i128::from(order.final_amount) / lines_total
        } else {
            0
        };
        amount += value;
        if line.is_food {
            food += value;
        }
    }
    let amount = i64::try_from(amount).map_err(|_| "lines: the amount is too large".to_owned())?;
    let food = i64::try_from(food).map_err(|_| "lines: the amount is too large".to_owned())?;
    Ok((amount, food))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: &str, is_voucher: bool, left: i64) -> Held {
        Held {
            transaction_id: id.into(),
            is_voucher,
            left,
            refunded: 0,
        }
    }

    #[test]
    fn non_food_goes_to_cards_first_and_food_to_vouchers_first() {
        let held = [held("voucher", true, 800), held("card", false, 900)];
        let plan = RefundPlan::allocate(1000, 300, &held).unwrap();
        let amounts: Vec<(&str, i64)> = plan
            .parts
            .iter()
            .map(|p| (p.transaction_id.as_str(), p.amount))
            .collect();
        assert_eq!(amounts, [("voucher", 300), ("card", 700)]);
    }

    #[test]
    fn what_one_kind_cannot_hold_goes_to_the_other_and_more_than_held_is_none() {
        let held = [held("voucher", true, 800), held("card", false, 200)];
        let plan = RefundPlan::allocate(500, 0, &held).unwrap();
        assert_eq!(plan.parts.len(), 2);
        assert_eq!(plan.parts[1].amount, 200);
        assert_eq!(plan.parts[0].amount, 300);
        assert!(RefundPlan::allocate(1001, 0, &held).is_none());
    }

    #[test]
    fn a_plan_is_done_once_every_part_shows_given_back() {
        let mut card = held("card", false, 900);
        card.refunded = 100;
        let plan = RefundPlan::allocate(400, 0, &[card.clone()]).unwrap();
        assert!(!plan.is_done(&[card.clone()]));
        card.refunded = 500;
        assert!(plan.is_done(&[card]));
    }

    #[test]
    fn lines_come_to_their_share_of_the_order_and_no_more_units_than_it_has() {
        use crate::domain::order::{OrderLine, OrderStatus};
        let line = |quantity, unit_amount, is_food| OrderLine {
            product_id: None,
            product_name: "x".into(),
            product_description: None,
            product_image: None,
            quantity,
            unit_amount,
            unit_discount_amount: 0,
            tax_rate: None,
            is_food,
        };
        // 2 × 7,50 food + 10,00 not food, less a 5,00 discount: 20,00 to pay.
        let order = Order {
            id: 1,
            shopper_id: 1,
            store_order_id: "A-1".into(),
            currency: "EUR".into(),
            status: OrderStatus::Paid,
            total_amount: 2500,
            discount_amount: 500,
            final_amount: 2000,
            created_at: 0,
            lines: vec![line(2, 750, true), line(1, 1000, false)],
            discounts: vec![],
        };
        let one_pizza = [RefundLine {
            line: 0,
            quantity: 1,
        }];
        assert_eq!(amount_of_lines(&order, &one_pizza, &[]), Ok((600, 600)));
        let bottle = [RefundLine {
            line: 1,
            quantity: 1,
        }];
        assert_eq!(amount_of_lines(&order, &bottle, &[]), Ok((800, 0)));
        let two = [RefundLine {
            line: 0,
            quantity: 2,
        }];
        assert!(amount_of_lines(&order, &two, &one_pizza).is_err());
        let missing = [RefundLine {
            line: 2,
            quantity: 1,
        }];
        assert!(amount_of_lines(&order, &missing, &[]).is_err());
    }

    #[test]
    fn only_the_parts_not_shown_made_are_asked_again() {
        let held = [held("voucher", true, 300), held("card", false, 300)];
        let plan = RefundPlan::allocate(500, 0, &held).unwrap();
        let mut after = held.clone();
        after[1].refunded = 300;
        after[0].refunded = 50;
        assert_eq!(plan.remaining(&after), [("voucher".to_owned(), 150)]);
        assert_eq!(plan.remaining(&held).len(), 2);
    }
}

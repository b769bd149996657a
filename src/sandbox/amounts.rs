//! A payment's amounts, computed from its lines and discounts as Voucherly reports them. All in
//! minor units (cents); checked arithmetic, so absurd numbers are refused, never wrapped.

use crate::voucherly::types::{DiscountType, PaymentDiscount, PaymentLine};

/// The lines and discounts with their computed fields filled in, and the payment's totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub lines: Vec<PaymentLine>,
    pub discounts: Vec<PaymentDiscount>,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
}

/// Prices a payment, or explains (for a 400 answer) why it cannot be priced.
///
/// A payment discount uses its `amount` when given; otherwise `PERCENOFF` takes `value` percent
/// of what the lines come to after their own discounts, and `DOLLAROFF`/`FIXED` take `value` as
/// minor units, like every other amount of the API.
pub fn price(lines: &[PaymentLine], discounts: &[PaymentDiscount]) -> Result<Priced, String> {
    if lines.is_empty() {
        return Err("a payment needs at least one line".into());
    }
    let too_big = || "the amounts are too large".to_owned();
    let mut priced_lines = Vec::with_capacity(lines.len());
    let (mut total, mut line_discounts) = (0i64, 0i64);
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if line.product_name.trim().is_empty() {
            return Err(format!("line {number} has no productName"));
        }
        if line.quantity < 1 {
            return Err(format!("line {number} needs a quantity of at least 1"));
        }
        if line.unit_amount < 0 || line.unit_discount_amount < 0 || line.discount_amount < 0 {
            return Err(format!("line {number} has a negative amount"));
        }
        let line_total = line
            .quantity
            .checked_mul(line.unit_amount)
            .ok_or_else(too_big)?;
        let line_discount = line
            .quantity
            .checked_mul(line.unit_discount_amount)
            .and_then(|unit| unit.checked_add(line.discount_amount))
            .ok_or_else(too_big)?;
        if line_discount > line_total {
            return Err(format!("line {number} is discounted below zero"));
        }
        total = total.checked_add(line_total).ok_or_else(too_big)?;
        line_discounts = line_discounts
            .checked_add(line_discount)
            .ok_or_else(too_big)?;
        priced_lines.push(PaymentLine {
            total_amount: Some(line_total),
            total_discount_amount: Some(line_discount),
            final_amount: Some(line_total - line_discount),
            ..line.clone()
        });
    }
    let after_lines = total - line_discounts;
    let mut priced_discounts = Vec::with_capacity(discounts.len());
    let mut payment_discounts = 0i64;
    for (index, discount) in discounts.iter().enumerate() {
        let amount = discount_amount(discount, after_lines)
            .ok_or_else(|| format!("discount {} has no usable amount", index + 1))?;
        payment_discounts = payment_discounts.checked_add(amount).ok_or_else(too_big)?;
        priced_discounts.push(PaymentDiscount {
            amount: Some(amount),
            ..discount.clone()
        });
    }
    let discount_amount = line_discounts
        .checked_add(payment_discounts)
        .ok_or_else(too_big)?;
    if discount_amount > total {
        return Err("the discounts exceed the total".into());
    }
    Ok(Priced {
        lines: priced_lines,
        discounts: priced_discounts,
        total_amount: total,
        discount_amount,
        final_amount: total - discount_amount,
    })
}

fn discount_amount(discount: &PaymentDiscount, base: i64) -> Option<i64> {
    let amount = match (discount.amount, &discount.kind, discount.value) {
        (Some(amount), _, _) => amount,
        (None, Some(DiscountType::PercentOff), Some(percent)) => {
            (base as f64 * percent / 100.0).round() as i64
        }
        (None, Some(DiscountType::AmountOff | DiscountType::Fixed), Some(value)) => {
            value.round() as i64
        }
        _ => return None,
    };
    (amount >= 0).then_some(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(quantity: i64, unit: i64, unit_discount: i64, discount: i64) -> PaymentLine {
        PaymentLine {
            quantity,
            unit_amount: unit,
            unit_discount_amount: unit_discount,
            discount_amount: discount,
            product_name: "Pizza".into(),
            ..Default::default()
        }
    }

    #[test]
    fn totals_add_line_and_payment_discounts() -> Result<(), String> {
        let discounts = [PaymentDiscount {
            discount_name: "Welcome".into(),
            amount: Some(100),
            ..Default::default()
        }];
        let priced = price(&[line(2, 790, 50, 20), line(1, 300, 0, 0)], &discounts)?;
        assert_eq!(priced.total_amount, 1880);
        assert_eq!(priced.discount_amount, 120 + 100);
        assert_eq!(priced.final_amount, 1660);
        assert_eq!(priced.lines[0].total_amount, Some(1580));
        assert_eq!(priced.lines[0].total_discount_amount, Some(120));
        assert_eq!(priced.lines[0].final_amount, Some(1460));
        Ok(())
    }

    #[test]
    fn a_percent_discount_applies_to_the_discounted_lines() -> Result<(), String> {
        let discounts = [PaymentDiscount {
            kind: Some(DiscountType::PercentOff),
            value: Some(10.0),
            ..Default::default()
        }];
        let priced = price(&[line(1, 1000, 0, 0)], &discounts)?;
        assert_eq!(priced.discounts[0].amount, Some(100));
        assert_eq!(priced.final_amount, 900);
        Ok(())
    }

    #[test]
    fn impossible_payments_are_refused() {
        assert!(price(&[], &[]).is_err());
        assert!(price(&[line(0, 100, 0, 0)], &[]).is_err());
        assert!(price(&[line(1, -5, 0, 0)], &[]).is_err());
        assert!(price(&[line(1, 100, 0, 101)], &[]).is_err());
        assert!(price(&[line(i64::MAX, 2, 0, 0)], &[]).is_err());
    }
}

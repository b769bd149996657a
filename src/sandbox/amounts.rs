//! A payment's lines, discounts and amounts, computed from the request as Voucherly documents
//! them. All in minor units (cents); checked arithmetic, so absurd numbers are refused, never
//! wrapped.
//!
//! Sources: `create-payment.RequestSchema.json` (line and discount fields, `unitDiscountAmount`
//! and `discountAmount` mutually exclusive, `productId` = a Voucherly catalogue product,
//! `value` an integer, `index` the order discounts apply in), openapi.yaml's
//! `Payments.DiscountType` (`DOLLAROFF` subtracts cents, `PERCENOFF` a percentage, `FIXED`
//! sets the price), `payment-confirmation.md#split` ("Meal vouchers pay only food"),
//! `Payments.LineType` (only `Food` lines are food; `NonFood` when a line says nothing).

use super::error::ApiError;
use super::wire::{Discount, DiscountType, Line, LineType, NewDiscount, NewLine};

/// The lines and discounts with their computed fields filled in, and the payment's totals.
#[derive(Debug, Clone)]
pub struct Priced {
    pub lines: Vec<Line>,
    pub discounts: Vec<Discount>,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
}

fn too_big() -> ApiError {
    ApiError::validation("Lines", "the amounts are too large")
}

/// Prices a payment, or explains (as a 400) why it cannot be priced. `lines` may be empty
/// only for a `Wallet` or `Setup` payment, which the caller decides.
pub fn price(lines: &[NewLine], discounts: &[NewDiscount]) -> Result<Priced, ApiError> {
    let mut priced_lines = Vec::with_capacity(lines.len());
    let (mut total, mut line_discounts) = (0i64, 0i64);
    for (index, line) in lines.iter().enumerate() {
        let priced = price_line(index, line)?;
        let gross = priced
            .quantity
            .checked_mul(priced.unit_amount)
            .ok_or_else(too_big)?;
        total = total.checked_add(gross).ok_or_else(too_big)?;
        line_discounts = line_discounts
            .checked_add(gross - priced.final_amount)
            .ok_or_else(too_big)?;
        priced_lines.push(priced);
    }
    let after_lines = total - line_discounts;
    // `index` orders the discounts (those without one last, in the order sent); each applies
    // to what is left after the ones before it.
    let mut order: Vec<usize> = (0..discounts.len()).collect();
    order.sort_by_key(|&i| (discounts[i].index.is_none(), discounts[i].index));
    let mut priced_discounts: Vec<Option<Discount>> = vec![None; discounts.len()];
    let mut running = after_lines;
    for i in order {
        let amount = discount_amount(i, &discounts[i], running)?;
        running -= amount;
        let discount = &discounts[i];
        priced_discounts[i] = Some(Discount {
            discount_name: discount.discount_name.clone().unwrap_or_default(),
            discount_description: discount.discount_description.clone(),
            amount,
            kind: discount.kind,
            value: discount.value,
            index: discount.index,
        });
    }
    let final_amount = running;
    Ok(Priced {
        lines: priced_lines,
        discounts: priced_discounts.into_iter().flatten().collect(),
        total_amount: total,
        discount_amount: total - final_amount,
        final_amount,
    })
}

/// What meal vouchers may pay of a payment whose lines come to `after_lines`, `food` of it for
/// food, and which ends at `final_amount` after its own discounts. Payment discounts lower the
/// food share in proportion (rounded down): the smaller, stricter reading of "meal vouchers pay
/// only food" where the documents do not say how discounts split between food and the rest.
pub fn food_share(food: i64, after_lines: i64, final_amount: i64) -> i64 {
    if after_lines <= 0 {
        return 0;
    }
    let share = i128::from(food) * i128::from(final_amount) / i128::from(after_lines);
    i64::try_from(share).unwrap_or(0).clamp(0, final_amount)
}

/// The food share of a priced payment, from its lines as stored.
pub fn food_amount(lines: &[Line], final_amount: i64) -> i64 {
    let after_lines = lines.iter().map(|line| line.final_amount).sum();
    let food = lines
        .iter()
        .filter(|line| line.is_food)
        .map(|line| line.final_amount)
        .sum();
    food_share(food, after_lines, final_amount)
}

fn price_line(index: usize, line: &NewLine) -> Result<Line, ApiError> {
    let at = |field: &str| format!("Lines[{index}].{field}");
    // The sandbox has no product catalogue, so every catalogue id is unknown: a 400
    // RESOURCE_MISSING, never silently ignored.
    if let Some(id) = &line.product_id {
        return Err(ApiError::missing(&at("ProductId"), id));
    }
    if let Some(id) = &line.price_id {
        return Err(ApiError::missing(&at("PriceId"), id));
    }
    let product = line.product.clone().unwrap_or_default();
    let name = product
        .name
        .clone()
        .or_else(|| line.product_name.clone())
        .unwrap_or_default();
    if name.trim().is_empty() {
        return Err(ApiError::validation(
            &at("Product.Name"),
            "a line without productId needs a product name",
        ));
    }
    let quantity = line.quantity.unwrap_or(0);
    if quantity < 1 {
        return Err(ApiError::validation(
            &at("Quantity"),
            "the quantity must be at least 1",
        ));
    }
    let Some(unit_amount) = line.unit_amount else {
        return Err(ApiError::validation(
            &at("UnitAmount"),
            "unitAmount is required when productId is not specified",
        ));
    };
    let unit_discount = line.unit_discount_amount.unwrap_or(0);
    let discount = line.discount_amount.unwrap_or(0);
    // RequestSchema: each of the three is "a non-negative integer in cents"; the error names
    // the field that is not (errors.mdx: `parameter` is the failing one).
    for (field, value) in [
        ("UnitAmount", unit_amount),
        ("UnitDiscountAmount", unit_discount),
        ("DiscountAmount", discount),
    ] {
        if value < 0 {
            return Err(ApiError::validation(
                &at(field),
                "amounts must not be negative",
            ));
        }
    }
    // Documented as mutually exclusive; the official SDK sends `0` for the one it does not use,
    // so only two non-zero values conflict.
    if unit_discount > 0 && discount > 0 {
        return Err(ApiError::validation(
            &at("DiscountAmount"),
            "unitDiscountAmount and discountAmount are mutually exclusive",
        ));
    }
    let gross = quantity.checked_mul(unit_amount).ok_or_else(too_big)?;
    let line_discount = match unit_discount {
        0 => discount,
        unit => quantity.checked_mul(unit).ok_or_else(too_big)?,
    };
    if line_discount > gross {
        return Err(ApiError::validation(
            &at("DiscountAmount"),
            "the line is discounted below zero",
        ));
    }
    // The schema's `lineType` decides ("`Food` ... The only type meal vouchers can pay", and
    // `NonFood` "the default when the line declares nothing"); the legacy `isFood` counts only
    // on a line that does not say its `lineType`.
    let line_type =
        product
            .line_type
            .unwrap_or(match product.is_food.or(line.is_food).unwrap_or(false) {
                true => LineType::Food,
                false => LineType::NonFood,
            });
    let tax_rate = product.tax_rate.or(line.tax_rate);
    Ok(Line {
        quantity,
        product_id: None,
        product_name: name.clone(),
        product_variant: product
            .variant
            .clone()
            .or_else(|| line.product_variant.clone()),
        product_image: product.image.clone().or_else(|| line.product_image.clone()),
        unit_amount,
        unit_discount_amount: unit_discount,
        discount_amount: discount,
        final_amount: gross - line_discount,
        tax_rate,
        line_type: Some(line_type),
        is_food: line_type == LineType::Food,
        external_id: line.external_id.clone(),
        product_external_id1: product.external_id.clone(),
        product_external_id2: None,
        is_gift: false,
    })
}

/// What one payment discount takes off `running`, the amount left before it.
fn discount_amount(index: usize, discount: &NewDiscount, running: i64) -> Result<i64, ApiError> {
    let at = |field: &str| format!("Discounts[{index}].{field}");
    let amount = match (discount.amount, discount.kind, discount.value) {
        (Some(amount), _, _) => amount,
        (None, Some(DiscountType::AmountOff), Some(cents)) => cents,
        (None, Some(DiscountType::PercentOff), Some(percent)) => {
            if !(0..=100).contains(&percent) {
                return Err(ApiError::validation(
                    &at("Value"),
                    "a percentage must be between 0 and 100",
                ));
            }
            // Rounded half up to the cent.
            let cents = i128::from(running) * i128::from(percent);
            i64::try_from((cents + 50) / 100).map_err(|_| too_big())?
        }
        (None, Some(DiscountType::Fixed), Some(price)) => running - price,
        (None, Some(_), None) => {
            return Err(ApiError::validation(
                &at("Value"),
                "value must be specified when type is provided and amount is null",
            ));
        }
        (None, None, _) => {
            return Err(ApiError::validation(
                &at("Amount"),
                "amount must be specified when both type and value are null",
            ));
        }
    };
    if amount < 0 || amount > running {
        return Err(ApiError::validation(
            &at("Amount"),
            "a discount must be between zero and what is left to pay",
        ));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::wire::NewProduct;

    fn line(quantity: i64, unit: i64, unit_discount: i64, food: bool) -> NewLine {
        NewLine {
            quantity: Some(quantity),
            unit_amount: Some(unit),
            unit_discount_amount: Some(unit_discount),
            product: Some(NewProduct {
                name: Some("Pizza".into()),
                line_type: Some(if food {
                    LineType::Food
                } else {
                    LineType::NonFood
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn discount(kind: DiscountType, value: i64, index: Option<i64>) -> NewDiscount {
        NewDiscount {
            kind: Some(kind),
            value: Some(value),
            index,
            ..Default::default()
        }
    }

    #[test]
    fn line_discounts_are_counted_once() -> Result<(), ApiError> {
        // €15.00 of pizza less €2.50 off, plus €4.00 of drinks: €16.50, not €17.00 or €14.00.
        let priced = price(&[line(1, 1500, 250, true), line(1, 400, 0, false)], &[])?;
        assert_eq!(priced.total_amount, 1900);
        assert_eq!(priced.discount_amount, 250);
        assert_eq!(priced.final_amount, 1650);
        assert_eq!(priced.lines[0].final_amount, 1250);
        assert_eq!(food_amount(&priced.lines, priced.final_amount), 1250);
        Ok(())
    }

    #[test]
    fn discounts_apply_in_index_order_each_to_what_is_left() -> Result<(), ApiError> {
        let lines = [line(1, 10_000, 0, false)];
        // 10% first (−10.00), then 5.00 off: 85.00. The other order would give 85.50.
        let discounts = [
            discount(DiscountType::AmountOff, 500, Some(2)),
            discount(DiscountType::PercentOff, 10, Some(1)),
        ];
        let priced = price(&lines, &discounts)?;
        assert_eq!(priced.final_amount, 8500);
        assert_eq!(priced.discounts[0].amount, 500);
        assert_eq!(priced.discounts[1].amount, 1000);
        let fixed = price(&lines, &[discount(DiscountType::Fixed, 7000, None)])?;
        assert_eq!(
            (fixed.final_amount, fixed.discounts[0].amount),
            (7000, 3000)
        );
        Ok(())
    }

    #[test]
    fn payment_discounts_lower_the_food_share_in_proportion() -> Result<(), ApiError> {
        let lines = [line(1, 1500, 0, true), line(1, 500, 0, false)];
        let priced = price(&lines, &[discount(DiscountType::PercentOff, 50, None)])?;
        assert_eq!(priced.final_amount, 1000);
        assert_eq!(food_amount(&priced.lines, priced.final_amount), 750);
        Ok(())
    }

    #[test]
    fn food_is_judged_by_line_type_and_by_is_food_only_on_a_line_without_one()
    -> Result<(), ApiError> {
        let with = |line_type: Option<LineType>, is_food: Option<bool>| NewLine {
            product: Some(NewProduct {
                name: Some("Pane".into()),
                line_type,
                is_food,
                ..Default::default()
            }),
            ..line(1, 100, 0, false)
        };
        let lines = [
            with(Some(LineType::Food), None),
            with(None, None),
            with(None, Some(true)),
            with(Some(LineType::NonFood), Some(true)),
            with(Some(LineType::Shipping), None),
        ];
        let priced = price(&lines, &[])?;
        let food: Vec<bool> = priced.lines.iter().map(|line| line.is_food).collect();
        assert_eq!(food, [true, false, true, false, false]);
        assert_eq!(food_amount(&priced.lines, priced.final_amount), 200);
        Ok(())
    }

    #[test]
    fn impossible_payments_are_refused() {
        assert!(price(&[line(0, 100, 0, true)], &[]).is_err());
        assert!(price(&[line(1, -5, 0, true)], &[]).is_err());
        assert!(price(&[line(1, 100, 101, true)], &[]).is_err());
        assert!(price(&[line(i64::MAX, 2, 0, true)], &[]).is_err());
        let both = NewLine {
            discount_amount: Some(10),
            ..line(1, 100, 10, true)
        };
        assert!(price(&[both], &[]).is_err());
        let catalogue = NewLine {
            product_id: Some("prod_1".into()),
            ..line(1, 100, 0, true)
        };
        assert!(matches!(
            price(&[catalogue], &[]),
            Err(ApiError::Invalid {
                code: "RESOURCE_MISSING",
                ..
            })
        ));
        assert!(
            price(
                &[line(1, 100, 0, true)],
                &[discount(DiscountType::PercentOff, 150, None)]
            )
            .is_err()
        );
    }
}

//! The orders still to pay as the profile shows them, each with its own pay form.

use std::collections::HashMap;

use crate::domain::order::Order;
use crate::domain::{Choice, format_eur};
use crate::i18n::Lang;
use crate::web::UniqueId;

pub struct LineView {
    pub name: String,
    pub quantity: i64,
    /// What the line comes to, after its own discount.
    pub amount: String,
}

pub struct DiscountView {
    pub name: String,
    pub amount: String,
}

pub struct OrderView {
    pub id: i64,
    pub store_order_id: String,
    pub lines: Vec<LineView>,
    pub discounts: Vec<DiscountView>,
    pub total: String,
    /// Fresh for every rendering of the page: one form, one payment.
    pub idempotency_key: String,
    /// Voucherly's checkout of a payment of this order still in progress, to go back to.
    pub open_checkout: Option<String>,
    /// How much meal vouchers may pay ("€15.00"); `None` when the order has no food.
    pub food_share: Option<String>,
    /// The shopper's words for a voucher's share, with `{method}` and `{amount}`.
    voucher_share_text: &'static str,
}

impl OrderView {
    /// The saved methods this order may be paid with: meal vouchers only for an order with
    /// food, labelled with how much they can cover.
    pub fn offer(&self, choices: &[Choice]) -> Vec<Choice> {
        choices
            .iter()
            .filter_map(|choice| match (&self.food_share, choice.meal_voucher) {
                (_, false) => Some(choice.clone()),
                (None, true) => None,
                (Some(amount), true) => Some(Choice {
                    label: self
                        .voucher_share_text
                        .replace("{method}", &choice.label)
                        .replace("{amount}", amount),
                    ..choice.clone()
                }),
            })
            .collect()
    }
}

/// What the pay forms offer.
pub struct PayOptions {
    /// False when paying cannot work at all (Voucherly refuses our key): no form is shown.
    pub open: bool,
    /// The shopper's usable saved methods; the first is preselected.
    pub choices: Vec<Choice>,
    /// Why saved methods are missing although the shopper may have some.
    pub note: Option<&'static str>,
}

pub fn views(
    orders: Vec<Order>,
    open_checkouts: &HashMap<i64, String>,
    lang: Lang,
) -> Vec<OrderView> {
    orders
        .into_iter()
        .map(|order| {
            let (lines, discounts) = lines_of(&order, lang);
            let food_share = order
                .has_food()
                .then(|| format_eur(order.food_amount(), lang));
            OrderView {
                id: order.id,
                lines,
                discounts,
                total: format_eur(order.final_amount, lang),
                food_share,
                voucher_share_text: lang.texts().voucher_share,
                open_checkout: open_checkouts.get(&order.id).cloned(),
                store_order_id: order.store_order_id,
                idempotency_key: UniqueId::next().simple(),
            }
        })
        .collect()
}

/// An order's lines and discounts in the shopper's words, as the profile and receipts show them.
pub fn lines_of(order: &Order, lang: Lang) -> (Vec<LineView>, Vec<DiscountView>) {
    let lines = order
        .lines
        .iter()
        .map(|line| LineView {
            name: line.product_name.clone(),
            quantity: line.quantity,
            amount: format_eur(line.final_amount(), lang),
        })
        .collect();
    let discounts = order
        .discounts
        .iter()
        .map(|discount| DiscountView {
            amount: format!("−{}", format_eur(discount.amount, lang)),
            name: discount.name.clone(),
        })
        .collect();
    (lines, discounts)
}

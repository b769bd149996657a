//! The body of `POST /api/v1/orders`, read strictly (unknown fields are refused) and turned into
//! validated values before anything is written. Every refusal names the field at fault.

use serde::Deserialize;
use serde_json::Value;

use super::explain::explain;
use crate::app::shoppers::StoreShopper;
use crate::domain::order::{NewOrder, OrderDiscount, OrderLine};
use crate::domain::{Email, PersonName, StoreUserId};
use crate::i18n::Lang;
use crate::routes::api::ApiError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an order object")]
pub(super) struct OrderBody {
    store_order_id: String,
    shopper: ShopperBody,
    lines: Vec<LineBody>,
    #[serde(default)]
    discounts: Vec<DiscountBody>,
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a shopper object")]
pub(super) struct ShopperBody {
    store_user_id: String,
    email: String,
    first_name: String,
    last_name: String,
    language: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an order line object")]
pub(super) struct LineBody {
    product_id: Option<String>,
    product_name: String,
    product_description: Option<String>,
    product_image: Option<String>,
    quantity: i64,
    unit_amount: i64,
    #[serde(default)]
    unit_discount_amount: i64,
    tax_rate: Option<f64>,
    #[serde(default)]
    is_food: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a discount object")]
pub(super) struct DiscountBody {
    name: String,
    description: Option<String>,
    amount: i64,
}

/// A request that passed every check.
pub struct ValidOrder {
    pub shopper: StoreShopper,
    pub order: NewOrder,
}

/// Reads and checks the whole body; nothing is written yet.
pub fn parse(body: Value) -> Result<ValidOrder, ApiError> {
    let parsed: OrderBody =
        serde_json::from_value(body.clone()).map_err(|_| ApiError::invalid(explain(&body)))?;
    let shopper = parsed.shopper;
    let shopper = StoreShopper {
        store_user_id: StoreUserId::parse(&shopper.store_user_id)
            .map_err(at("shopper.store_user_id"))?,
        email: Email::parse(&shopper.email).map_err(at("shopper.email"))?,
        first_name: PersonName::parse(&shopper.first_name).map_err(at("shopper.first_name"))?,
        last_name: PersonName::parse(&shopper.last_name).map_err(at("shopper.last_name"))?,
        language: shopper
            .language
            .map(|code| match code.as_str() {
                "it" => Ok(Lang::It),
                "en" => Ok(Lang::En),
                _ => Err(format!(
                    "{code:?} is not a language we speak: use \"it\" or \"en\""
                )),
            })
            .transpose()
            .map_err(at("shopper.language"))?,
    };
    if parsed.currency.as_deref().is_some_and(|code| code != "EUR") {
        return Err(ApiError::invalid("currency: only \"EUR\" is supported"));
    }
    let id = parsed.store_order_id.trim();
    let lines = parsed.lines.into_iter().map(OrderLine::from).collect();
    let discounts = parsed
        .discounts
        .into_iter()
        .map(OrderDiscount::from)
        .collect();
    let order = NewOrder::parse(id, lines, discounts).map_err(|e| ApiError::invalid(e.0))?;
    Ok(ValidOrder { shopper, order })
}

/// The line as the store sent it; [`NewOrder::parse`] checks it.
impl From<LineBody> for OrderLine {
    fn from(line: LineBody) -> Self {
        Self {
            product_id: line.product_id,
            product_name: line.product_name,
            product_description: line.product_description,
            product_image: line.product_image,
            quantity: line.quantity,
            unit_amount: line.unit_amount,
            unit_discount_amount: line.unit_discount_amount,
            tax_rate: line.tax_rate,
            is_food: line.is_food,
        }
    }
}

impl From<DiscountBody> for OrderDiscount {
    fn from(discount: DiscountBody) -> Self {
        Self {
            name: discount.name,
            description: discount.description,
            amount: discount.amount,
        }
    }
}

fn at(field: &'static str) -> impl Fn(String) -> ApiError {
    move |problem| ApiError::invalid(format!("{field}: {problem}"))
}

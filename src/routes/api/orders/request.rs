//! The body of `POST /api/v1/orders`, read strictly (unknown fields are refused) and turned into
//! validated values before anything is written. Every refusal names the field at fault.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::schema::Object;

use super::explain::explain;
use crate::app::shoppers::StoreShopper;
use crate::domain::order::{NewOrder, OrderDiscount, OrderLine};
use crate::domain::{Email, PersonName, StoreUserId};
use crate::i18n::Lang;
use crate::routes::api::ApiError;
use crate::routes::api::object::{JsonObject, object, objects};
use crate::routes::api::openapi::strings_or_null;

/// An order comes to at most 99999999 cents (999.999,99 €), and to more than zero after its
/// discounts: a zero-total order (every line free, or discounts as large as the lines) is refused
/// with a 400 whose message starts `discounts:`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "an order object")]
#[schema(as = OrderInput)]
pub(super) struct OrderBody {
    /// Your own id of the order, unique across all shoppers. Sending the same body again is
    /// safe. Trimmed; no control characters.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    store_order_id: String,
    #[serde(deserialize_with = "object")]
    shopper: ShopperBody,
    #[serde(deserialize_with = "objects")]
    #[schema(min_items = 1, max_items = 200)]
    lines: Vec<LineBody>,
    #[serde(default, deserialize_with = "objects")]
    #[schema(max_items = 50)]
    discounts: Vec<DiscountBody>,
    /// Only `EUR`; null or absent means `EUR`.
    #[schema(schema_with = currency_schema)]
    currency: Option<String>,
}

/// The shopper, created or updated from these details.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a shopper object")]
#[schema(as = ShopperInput)]
pub(super) struct ShopperBody {
    /// Your own id of the user: 1 to 128 printable ASCII characters, no spaces.
    #[schema(min_length = 1, max_length = 128, pattern = r"^[!-~]+$")]
    store_user_id: String,
    #[schema(format = "email", max_length = 254)]
    email: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    last_name: String,
    #[schema(schema_with = language_schema)]
    language: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "an order line object")]
#[schema(as = OrderLineInput)]
pub(super) struct LineBody {
    #[schema(max_length = 64)]
    product_id: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    product_name: String,
    #[schema(max_length = 2000)]
    product_description: Option<String>,
    /// An absolute https URL.
    #[schema(
        max_length = 2000,
        pattern = r"^https://([a-z0-9]+\.)*[a-z][a-z0-9]*(/[!-~]*)?$"
    )]
    product_image: Option<String>,
    #[serde(deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 10000)]
    quantity: i64,
    /// Price of one unit, in cents.
    #[serde(deserialize_with = "whole_number")]
    #[schema(minimum = 0, maximum = 99999999)]
    unit_amount: i64,
    /// Taken off each unit, in cents; at most unit_amount.
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 0, maximum = 99999999, default = 0)]
    unit_discount_amount: i64,
    /// Percent, e.g. 10.
    #[schema(minimum = 0, maximum = 100)]
    tax_rate: Option<f64>,
    /// Only food may be paid with meal vouchers.
    #[serde(default)]
    #[schema(default = false)]
    is_food: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a discount object")]
#[schema(as = DiscountInput)]
pub(super) struct DiscountBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    name: String,
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// Taken off the order, in cents.
    #[serde(deserialize_with = "whole_number")]
    #[schema(minimum = 0, maximum = 99999999)]
    amount: i64,
}

/// An integer, also when written with a zero fraction (`400.0`): JSON Schema's `integer`, which
/// the document promises, includes those. `1.5`, `"2"` and numbers past `i64` are refused.
pub(in crate::routes::api) fn whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<i64, D::Error> {
    struct Whole;

    impl Visitor<'_> for Whole {
        type Value = i64;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an integer")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
            // Every f64 from -2^63 up to (not including) 2^63 with no fraction is an i64.
            let bound = 9_223_372_036_854_775_808.0;
            if value.fract() == 0.0 && (-bound..bound).contains(&value) {
                Ok(value as i64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(value), &self))
            }
        }
    }

    deserializer.deserialize_any(Whole)
}

fn currency_schema() -> Object {
    strings_or_null(&["EUR"], "Only `EUR`; null or absent means `EUR`.")
        .default(Some("EUR".into()))
        .build()
}

fn language_schema() -> Object {
    strings_or_null(
        &["it", "en"],
        "Language of the pages; null or absent keeps the one we know (Italian for a new \
         shopper).",
    )
    .build()
}

/// A request that passed every check.
pub struct ValidOrder {
    pub shopper: StoreShopper,
    pub order: NewOrder,
}

/// Reads and checks the whole body; nothing is written yet.
pub fn parse(body: Value) -> Result<ValidOrder, ApiError> {
    let JsonObject(parsed) = serde_json::from_value::<JsonObject<OrderBody>>(body.clone())
        .map_err(|_| ApiError::invalid(explain(&body)))?;
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

/// [`whole_number`], or nothing when the field is `null` or left out (with `#[serde(default)]`).
pub(in crate::routes::api) fn optional_whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole_number")] i64);
    Ok(Option::<Whole>::deserialize(deserializer)?.map(|whole| whole.0))
}

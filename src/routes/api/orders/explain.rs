//! Saying which field of a body serde refused. serde's own message names unknown and missing
//! fields but not a field of the wrong type, so the field is found by leaving each one out in
//! turn: the one whose absence changes the error is at fault.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::request::{DiscountBody, LineBody, OrderBody, ShopperBody};
use crate::routes::api::object::JsonObject;

/// `path.field: what serde said` for the first part of an order body that does not read.
pub(super) fn explain(body: &Value) -> String {
    let item = |list: &str, index: usize| format!("{list}[{index}]");
    // The parts first: a field missing inside one is reported by serde without its path.
    body.get("shopper")
        .and_then(|shopper| describe::<ShopperBody>(shopper, "shopper"))
        .or_else(|| {
            items(body, "lines")
                .find_map(|(index, line)| describe::<LineBody>(line, &item("lines", index)))
        })
        .or_else(|| {
            items(body, "discounts")
                .find_map(|(index, one)| describe::<DiscountBody>(one, &item("discounts", index)))
        })
        .or_else(|| {
            problem::<OrderBody>(body).map(|(field, message)| match field {
                Some(field) => format!("{field}: {message}"),
                None => message,
            })
        })
        .unwrap_or_else(|| "the body is not a valid order".into())
}

fn items<'a>(body: &'a Value, list: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    body.get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn describe<T: DeserializeOwned>(value: &Value, path: &str) -> Option<String> {
    problem::<T>(value).map(|(field, message)| match field {
        Some(field) => format!("{path}.{field}: {message}"),
        None => format!("{path}: {message}"),
    })
}

/// serde's complaint about `value` as a `T` (written as an object), and the field it is about
/// when one can be found.
fn problem<T: DeserializeOwned>(value: &Value) -> Option<(Option<String>, String)> {
    let message = serde_json::from_value::<JsonObject<T>>(value.clone())
        .err()?
        .to_string();
    if message.starts_with("missing field") {
        return Some((None, message));
    }
    let field = value.as_object().and_then(|map| {
        map.keys()
            .find(|key| {
                let mut rest = map.clone();
                rest.remove(key.as_str());
                serde_json::from_value::<JsonObject<T>>(Value::Object(rest))
                    .err()
                    .is_none_or(|e| e.to_string() != message)
            })
            .cloned()
    });
    Some((field, message))
}

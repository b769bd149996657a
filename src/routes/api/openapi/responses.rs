//! The error answers many operations share, each a component of the document that an operation
//! lists as `(status = 400, response = InvalidRequest)`. Never built: they only describe
//! [`ErrorJson`] answers.

// The wrapped answers are described, never read.
#![allow(dead_code)]

use utoipa::ToResponse;

use super::super::ErrorJson;

/// A field is missing, unknown or wrong (`invalid_request`), or the body is not JSON
/// (`invalid_body`). The message names the field.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "invalid_request", "message": "lines[0].quantity: must be at least 1"}
}))]
pub struct InvalidRequest(ErrorJson);

/// No store API key, a wrong one, or not sent as `Authorization: Bearer <key>`.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "unauthorized", "message": "the store API key is wrong"}
}))]
pub struct Unauthorized(ErrorJson);

/// No such order, or no such API endpoint.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "not_found", "message": "no order \"A-1001\""}
}))]
pub struct NotFound(ErrorJson);

/// The store order id is taken by a different order, or by another shopper's.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "conflict", "message": "the store order id \"A-1001\" is already used by a different order or by another shopper; send the very same body to read it again, or use a new id"}
}))]
pub struct Conflict(ErrorJson);

/// The body is larger than 64 KiB.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "invalid_body", "message": "the JSON body is not valid: JSON payload is larger than allowed"}
}))]
pub struct PayloadTooLarge(ErrorJson);

/// The body is not sent as `Content-Type: application/json`.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "invalid_body", "message": "the JSON body is not valid: Content type error"}
}))]
pub struct UnsupportedMediaType(ErrorJson);

/// The order has no authorised payment waiting: not paid yet, already captured, or released
/// (`not_authorised`).
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "not_authorised", "message": "order \"A-1001\" has no authorised payment to capture or release"}
}))]
pub struct NotAuthorised(ErrorJson);

/// Voucherly did not answer: nothing changed, try again later (`voucherly_unavailable`).
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "voucherly_unavailable", "message": "Voucherly is not answering: nothing changed, try again later"}
}))]
pub struct VoucherlyUnavailable(ErrorJson);

/// Voucherly refused (`voucherly_refused`): read the order again to see where it stands.
#[derive(ToResponse)]
#[response(example = json!({
    "error": {"code": "voucherly_refused", "message": "Voucherly refused: the order is as the answer of GET shows it"}
}))]
pub struct VoucherlyRefused(ErrorJson);

/// Too many requests with a wrong or missing key from this client (`too_many_requests`): wait
/// `Retry-After` seconds. Every call with the right key goes on being answered.
#[derive(ToResponse)]
#[response(
    example = json!({
        "error": {"code": "too_many_requests", "message": "too many requests; retry after 60 seconds"}
    }),
    headers(("Retry-After" = u64, description = "Seconds to wait."))
)]
pub struct TooManyRequests(ErrorJson);

/// Voucherly could not be read for any payment of the day (`unavailable`): reconcile again
/// after `Retry-After` seconds.
#[derive(ToResponse)]
#[response(
    example = json!({
        "error": {"code": "unavailable", "message": "Voucherly could not be read for any of the 3 payments; retry in 60 seconds"}
    }),
    headers(("Retry-After" = u64, description = "Seconds to wait."))
)]
pub struct VoucherlyUnreadable(ErrorJson);

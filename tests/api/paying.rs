//! Paying an order with a saved method: the profile's "to pay" list and pay forms, the payment
//! Voucherly is asked for, idempotency, refusals, failures and the history.

mod capturing;
#[cfg(feature = "demo")]
mod lost_database;
#[cfg(feature = "demo")]
mod meal_vouchers;
#[cfg(feature = "demo")]
mod on_the_sandbox;
mod one_customer;
mod refusals_and_failures;
mod starting_again;
pub mod support;
#[cfg(feature = "demo")]
mod two_checkouts;
mod with_voucherly;

//! The sandbox's own JSON shapes, written from Voucherly's documentation rather than shared
//! with the app's client, so that a mistake in the client is never mirrored here.
//!
//! Sources: `files/openapi.yaml` (schemas `Payment`, `Payments.*`, `PaymentMethod`,
//! `PaymentGateways.PaymentGatewayDto`) and `docs/api/webapi/create-payment.RequestSchema.json`
//! (the newest request shape). Requests are read strictly: both documents declare
//! `additionalProperties: false`, so an unknown field is a 400, never silently dropped. Where
//! the two documents name a field differently, both names are accepted. `requests` holds what
//! callers send, `answers` what the sandbox answers and stores.

mod answers;
mod requests;

pub use answers::*;
pub use requests::*;

use serde::{Deserialize, Serialize};

/// A payment's status (`Payments.PaymentStatus`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Requested,
    Paid,
    Confirmed,
    Refunded,
    Cancelled,
    Voided,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "Requested",
            Self::Paid => "Paid",
            Self::Confirmed => "Confirmed",
            Self::Refunded => "Refunded",
            Self::Cancelled => "Cancelled",
            Self::Voided => "Voided",
            Self::Expired => "Expired",
        }
    }

    /// Money is held (`Paid`, authorised) or taken (`Confirmed`).
    pub fn is_paid(self) -> bool {
        matches!(self, Self::Paid | Self::Confirmed)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A transaction's status (`payments-lifecycle.md`, "Transaction statuses").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxStatus {
    #[default]
    Requested,
    NextAction,
    Paid,
    Confirmed,
    Refunded,
    RefundedPartially,
    Dropped,
    Cancelled,
    Failed,
    Voided,
    Expired,
    Reversed,
    ImpossibleRefund,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    #[default]
    Payment,
    Wallet,
    Setup,
}

/// When a payment paid by several transactions closes (`payments-lifecycle.md#completion-mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionMode {
    #[default]
    Standard,
    Partial,
    AnyTransaction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiscountType {
    #[serde(rename = "DOLLAROFF")]
    AmountOff,
    #[serde(rename = "PERCENOFF")]
    PercentOff,
    #[serde(rename = "FIXED")]
    Fixed,
}

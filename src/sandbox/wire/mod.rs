//! The sandbox's own JSON shapes, written from Voucherly's documentation rather than shared
//! with the app's client, so that a mistake in the client is never mirrored here.
//!
//! Sources: `static/download/openapi.yaml` (schemas `Payment`, `Payments.*`, `PaymentMethod`,
//! `PaymentGateway`, `PaginationResponse`, `CreatePaymentRequest`, `Payments.PaymentLine.Request`).
//! Requests are read strictly: the schemas declare `additionalProperties: false`, so an unknown
//! field is a 400, never silently dropped. The legacy names the official SDKs still send are
//! read too, unless the sandbox is strict ([`super::dialect`]). `requests` holds what callers
//! send, `answers` what the sandbox answers and stores.

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

/// A transaction's status (openapi.yaml `Payments.TransactionStatus`; `Dropped` is gone).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxStatus {
    RequestFailed,
    #[default]
    Requested,
    NextAction,
    Paid,
    Confirmed,
    Refunded,
    RefundedPartially,
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

/// What a line is (openapi.yaml `Payments.LineType`): "`Food`: grocery food. The only type meal
/// vouchers can pay"; `NonFood` is "the default when the line declares nothing".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineType {
    #[default]
    NonFood,
    Food,
    Shipping,
    AdditionalCharge,
    PreauthorizationMargin,
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

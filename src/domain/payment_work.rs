//! The payment work waiting for a worker: unsettled payments due for a re-read, refunds the
//! app owes, and Voucherly's callbacks kept until they are applied.

/// An unsettled payment due for a re-read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCheck {
    pub id: i64,
    pub voucherly_payment_id: String,
    pub status: crate::domain::LocalStatus,
    pub created_at: i64,
    pub check_interval: Option<i64>,
}

/// A payment to refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRefund {
    pub id: i64,
    pub voucherly_payment_id: String,
}

/// One callback to handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCallback {
    pub voucherly_payment_id: String,
    /// How many times it was claimed, this time included.
    pub attempts: i64,
    pub received_at: i64,
}

/// A callback as heard: the payment it names and when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Callback {
    pub voucherly_payment_id: String,
    /// The body's `referenceId`, when it had one.
    pub reference: Option<String>,
    pub received_at: i64,
}

/// What became of a callback offered to the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// In the inbox, due at once.
    Kept,
    /// No payment of ours has this id or this reference: nothing to read back.
    NotOurs,
    /// The inbox holds `cap` callbacks already; the reconciler still re-reads the payment.
    Full,
}

/// A spool entry: a callback kept in the file while the database refused it, under an id of
/// its own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Spooled {
    pub entry: String,
    #[serde(flatten)]
    pub callback: Callback,
}

//! The store's view of its payments for accounting: which ones a list asks for, a page at a
//! time after an opaque cursor, and what each row holds.

use super::LocalStatus;
use super::payment::Breakdown;

/// Rows a page of the list holds when the store does not say.
pub const DEFAULT_LIMIT: i64 = 100;
/// The most rows a page may hold.
pub const MAX_LIMIT: i64 = 500;

/// Which payments to list, oldest first: created in `[from, to)` (Unix seconds), in `status`,
/// of the shopper `store_user_id`, made in Voucherly's `environment`, after `after`, at most
/// `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub status: Option<LocalStatus>,
    pub store_user_id: Option<String>,
    /// `sandbox` or `live`.
    pub environment: Option<String>,
    pub after: Option<Position>,
    pub limit: i64,
}

/// Where a page ended: its last row's creation time and id. Rows are ordered by both, so a
/// row inserted while the store pages through comes after every row already listed (it is
/// newer) and is neither lost nor listed twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub created_at: i64,
    pub id: i64,
}

impl Position {
    /// The opaque text the store sends back as `cursor`.
    pub fn to_cursor(self) -> String {
        hex::encode(format!("{}.{}", self.created_at, self.id))
    }

    /// The position a cursor of ours names; `None` for anything else.
    pub fn from_cursor(cursor: &str) -> Option<Self> {
        let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
        let (created_at, id) = text.split_once('.')?;
        Some(Self {
            created_at: created_at.parse().ok()?,
            id: id.parse().ok().filter(|id| *id > 0)?,
        })
    }
}

/// One payment as the store's accounting lists it. Amounts in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub reference: String,
    pub store_order_id: String,
    pub store_user_id: String,
    pub voucherly_payment_id: Option<String>,
    pub status: LocalStatus,
    /// Voucherly's word for it, as last read.
    pub voucherly_status: Option<String>,
    pub currency: String,
    /// What the order asked.
    pub amount: i64,
    pub paid_amount: Option<i64>,
    pub paid_voucher_amount: Option<i64>,
    /// The rest as Voucherly last reported it (`final_amount` is never stored: `None`).
    pub breakdown: Breakdown,
    /// Unix seconds.
    pub created_at: i64,
}

impl LedgerEntry {
    pub fn position(&self) -> Position {
        Position {
            created_at: self.created_at,
            id: self.id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_its_position_and_nothing_else_is_one() {
        let at = Position {
            created_at: 1_796_292_000,
            id: 42,
        };
        assert_eq!(Position::from_cursor(&at.to_cursor()), Some(at));
        for other in ["", "zz", "31", &hex::encode("1.0"), &hex::encode("a.1")] {
            assert_eq!(Position::from_cursor(other), None, "{other:?}");
        }
    }
}

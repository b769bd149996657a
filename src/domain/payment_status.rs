//! Where one of our payment records stands, and the only direction it may move: forward. A late
//! or replayed word from Voucherly can never undo a payment that was taken.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalStatus {
    /// Written, Voucherly not yet answered.
    Creating,
    /// Voucherly could not create it (down, slow, refused); the order can be paid again.
    CreateFailed,
    /// Created at Voucherly, the shopper is (or was) at the checkout.
    Requested,
    /// Declined, cancelled, voided or expired at Voucherly.
    Failed,
    /// Never settled within the reconciler's patience.
    Abandoned,
    /// Voucherly's `Paid`: the money is authorised, not yet captured (confirmed).
    Authorised,
    /// Captured: Voucherly's `Confirmed` (or `Captured`).
    Paid,
    Refunded,
}

impl LocalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creating => "creating",
            Self::CreateFailed => "create_failed",
            Self::Requested => "requested",
            Self::Failed => "failed",
            Self::Abandoned => "abandoned",
            Self::Authorised => "authorised",
            Self::Paid => "paid",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Creating,
            Self::CreateFailed,
            Self::Requested,
            Self::Failed,
            Self::Abandoned,
            Self::Authorised,
            Self::Paid,
            Self::Refunded,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    fn rank(self) -> u8 {
        match self {
            Self::Creating | Self::CreateFailed => 0,
            Self::Requested => 1,
            Self::Failed | Self::Abandoned => 2,
            Self::Authorised => 3,
            Self::Paid => 4,
            Self::Refunded => 5,
        }
    }

    /// Whether moving to `next` is progress. A payment Voucherly reports paid after we gave up
    /// on it, or after it failed to be created (a timeout), is still paid.
    /// A payment whose creation we gave up on is never reopened: if Voucherly did create it,
    /// it is an orphan to void, not a checkout to resume.
    pub fn can_move_to(self, next: Self) -> bool {
        if self == Self::CreateFailed && matches!(next, Self::Creating | Self::Requested) {
            return false;
        }
        next.rank() > self.rank()
    }

    /// Whether the outcome is final for the shopper (the reconciler stops looking, unless an
    /// authorisation waits to be captured).
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Self::CreateFailed
                | Self::Failed
                | Self::Abandoned
                | Self::Authorised
                | Self::Paid
                | Self::Refunded
        )
    }

    /// Whether we stopped expecting this payment to be paid (its creation failed, it failed or
    /// was abandoned): a checkout of it still open at Voucherly is an orphan.
    pub fn is_given_up(self) -> bool {
        matches!(self, Self::CreateFailed | Self::Failed | Self::Abandoned)
    }

    /// Whether the payment holds the shopper's money (authorised or captured).
    pub fn holds_money(self) -> bool {
        matches!(self, Self::Authorised | Self::Paid)
    }
}

#[cfg(test)]
mod tests {
    use super::LocalStatus::*;
    use super::*;

    #[test]
    fn a_paid_payment_is_never_undone_by_a_late_status() {
        for late in [
            Creating,
            CreateFailed,
            Requested,
            Failed,
            Abandoned,
            Authorised,
            Paid,
        ] {
            assert!(!Paid.can_move_to(late), "{late:?}");
        }
        assert!(Paid.can_move_to(Refunded));
        assert!(Authorised.can_move_to(Paid));
        assert!(Authorised.can_move_to(Refunded));
        assert!(!Authorised.can_move_to(Failed));
    }

    #[test]
    fn a_payment_given_up_at_creation_is_never_reopened() {
        assert!(!CreateFailed.can_move_to(Requested));
        assert!(!CreateFailed.can_move_to(Creating));
        assert!(CreateFailed.can_move_to(Failed));
        assert!(Creating.can_move_to(Requested));
    }

    #[test]
    fn a_late_success_still_counts() {
        assert!(Failed.can_move_to(Paid));
        assert!(Abandoned.can_move_to(Paid));
        assert!(CreateFailed.can_move_to(Paid));
    }

    #[test]
    fn settled_given_up_and_holding_money_are_what_the_reconciler_and_refunds_read() {
        let all = [
            Creating,
            CreateFailed,
            Requested,
            Failed,
            Abandoned,
            Authorised,
            Paid,
            Refunded,
        ];
        let settled: Vec<_> = all.into_iter().filter(|s| s.is_settled()).collect();
        assert_eq!(
            settled,
            [CreateFailed, Failed, Abandoned, Authorised, Paid, Refunded]
        );
        let given_up: Vec<_> = all.into_iter().filter(|s| s.is_given_up()).collect();
        assert_eq!(given_up, [CreateFailed, Failed, Abandoned]);
        let holding: Vec<_> = all.into_iter().filter(|s| s.holds_money()).collect();
        assert_eq!(holding, [Authorised, Paid]);
        assert_eq!(LocalStatus::parse("paid twice"), None);
    }

    #[test]
    fn every_status_reads_back_from_its_text() {
        for status in [
            Creating,
            CreateFailed,
            Requested,
            Failed,
            Abandoned,
            Authorised,
            Paid,
            Refunded,
        ] {
            assert_eq!(LocalStatus::parse(status.as_str()), Some(status));
        }
    }
}

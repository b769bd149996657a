//! Who owns what: a shopper may pay with, prefer or remove only a method that Voucherly lists
//! as theirs, and pay with or prefer only one that can pay today.

use super::SavedMethod;

/// The method named is not one the shopper may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotTheirs;

/// A shopper's saved methods as Voucherly lists them for their customer, in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedMethods(Vec<SavedMethod>);

/// A saved method offered for paying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: String,
    /// "Visa •••• 4242", "Edenred", "SEPA •••• 3456".
    pub label: String,
    /// A meal voucher: it pays food only.
    pub meal_voucher: bool,
}

impl From<&SavedMethod> for Choice {
    fn from(method: &SavedMethod) -> Self {
        Self {
            id: method.id.clone(),
            label: method.label(),
            meal_voucher: method.is_meal_voucher(),
        }
    }
}

impl OwnedMethods {
    pub fn new(listed: Vec<SavedMethod>) -> Self {
        Self(listed)
    }

    /// Every method, expired cards included.
    pub fn all(&self) -> &[SavedMethod] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<SavedMethod> {
        self.0
    }

    /// The method `id` if it is theirs and can pay today: the only one that may pay or be
    /// preferred.
    pub fn usable(&self, id: &str) -> Result<&SavedMethod, NotTheirs> {
        self.0
            .iter()
            .find(|method| method.id == id)
            .filter(|method| method.is_usable())
            .ok_or(NotTheirs)
    }

    /// The method `id` if it is theirs, expired or not (it may be removed), and the others.
    pub fn take(self, id: &str) -> Result<(SavedMethod, OwnedMethods), NotTheirs> {
        let (mut chosen, others): (Vec<_>, Vec<_>) =
            self.0.into_iter().partition(|method| method.id == id);
        let chosen = chosen.pop().ok_or(NotTheirs)?;
        Ok((chosen, Self(others)))
    }

    /// The methods that can pay today, as offered for paying, in Voucherly's order.
    pub fn choices(&self) -> Vec<Choice> {
        self.0
            .iter()
            .filter(|method| method.is_usable())
            .map(Choice::from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{NOV_2026, visa};
    use super::super::{MethodKind, YearMonth};
    use super::*;

    fn listed() -> OwnedMethods {
        let expired = visa("old", YearMonth::new(2020, 12).unwrap());
        let voucher = SavedMethod {
            gateway_id: Some("edenred".into()),
            ..super::super::tests::method("voucher", MethodKind::Account)
        };
        OwnedMethods::new(vec![visa("good", NOV_2026), expired, voucher])
    }

    #[test]
    fn only_a_listed_usable_method_may_pay() {
        let methods = listed();
        assert_eq!(methods.usable("good").map(|m| m.id.as_str()), Ok("good"));
        assert_eq!(methods.usable("old"), Err(NotTheirs));
        assert_eq!(methods.usable("someone-elses"), Err(NotTheirs));
        assert_eq!(methods.usable(""), Err(NotTheirs));
    }

    #[test]
    fn a_listed_method_may_be_removed_even_expired_and_the_others_stay() {
        let (removed, others) = listed().take("old").expect("theirs");
        assert_eq!(removed.id, "old");
        let ids: Vec<&str> = others.all().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["good", "voucher"]);
        assert_eq!(listed().take("someone-elses"), Err(NotTheirs));
    }

    #[test]
    fn expired_cards_are_not_offered_and_vouchers_are_told_apart() {
        let choices: Vec<(String, bool)> = listed()
            .choices()
            .into_iter()
            .map(|c| (c.id, c.meal_voucher))
            .collect();
        assert_eq!(choices, [("good".into(), false), ("voucher".into(), true)]);
    }
}

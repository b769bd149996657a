//! How the checkout writes amounts (the app's `format_eur`), statuses and card problems in the
//! payment's language.

use super::texts::Texts;
use crate::domain::format_eur;
use crate::i18n::Lang;
use crate::sandbox::card::CardProblem;
use crate::sandbox::wire::Status;

impl Texts {
    /// `7,90 €` in Italian, `€7.90` in English.
    pub fn money(&self, cents: i64) -> String {
        format_eur(cents, self.lang)
    }

    pub fn status(&self, status: Status) -> String {
        let english = self.lang == Lang::En;
        let label = match status {
            Status::Requested => ["In attesa", "Pending"],
            Status::Paid => ["Autorizzato", "Authorised"],
            Status::Confirmed => ["Pagato", "Paid"],
            Status::Refunded => ["Rimborsato", "Refunded"],
            Status::Cancelled => ["Annullato", "Cancelled"],
            Status::Voided => ["Annullato", "Voided"],
            Status::Expired => ["Scaduto", "Expired"],
        };
        label[usize::from(english)].to_owned()
    }

    pub fn card_problem(&self, problem: CardProblem) -> &'static str {
        match problem {
            CardProblem::MissingHolder => self.missing_holder,
            CardProblem::BadNumber => self.bad_number,
            CardProblem::BadExpiry => self.bad_expiry,
            CardProblem::Expired => self.card_expired,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::texts::{EN, IT, for_language};
    use crate::i18n::Lang;

    #[test]
    fn euros_are_written_per_language() {
        assert_eq!(IT.money(790), "7,90 €");
        assert_eq!(EN.money(790), "€7.90");
    }

    #[test]
    fn italian_is_the_default_language() {
        assert_eq!(for_language(None).lang, Lang::It);
        assert_eq!(for_language(Some("de")).lang, Lang::It);
        assert_eq!(for_language(Some("EN-gb")).lang, Lang::En);
    }
}

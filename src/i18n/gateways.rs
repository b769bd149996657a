//! Voucherly's well-known gateway types in the shopper's language: Voucherly names its gateways
//! in Italian ("Carta di credito", "Addebito SEPA"), which an English page must not show. Brands
//! (Edenred, Satispay) read the same in every language and keep Voucherly's name.

use super::Texts;

/// The kinds of gateway whose name depends on the language.
enum KnownGateway {
    Cards,
    SepaDirectDebit,
}

/// Recognises a gateway by its id or, for ids we do not know, by Voucherly's Italian name.
fn known(id: Option<&str>, name: Option<&str>) -> Option<KnownGateway> {
    let squashed = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    [id, name]
        .into_iter()
        .flatten()
        .find_map(|text| match squashed(text).as_str() {
            "card" | "cards" | "creditcard" | "cartadicredito" | "carte" | "cartadidebito" => {
                Some(KnownGateway::Cards)
            }
            "sepa"
            | "sepadd"
            | "sepadirectdebit"
            | "directdebit"
            | "addebitosepa"
            | "addebitodirettosepa" => Some(KnownGateway::SepaDirectDebit),
            _ => None,
        })
}

impl Texts {
    /// A gateway's name as the shopper reads it: a known type in their language, else the name
    /// Voucherly gives it (else nothing).
    pub fn gateway_name(&self, id: Option<&str>, voucherly_name: Option<String>) -> Option<String> {
        match known(id, voucherly_name.as_deref()) {
            Some(KnownGateway::Cards) => Some(self.gateway_cards.to_owned()),
            Some(KnownGateway::SepaDirectDebit) => Some(self.direct_debit.to_owned()),
            None => voucherly_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;

    #[test]
    fn known_gateways_are_named_in_the_shoppers_language_and_brands_are_kept() {
        let en = Lang::En.texts();
        let it = Lang::It.texts();
        let name = |t: &crate::i18n::Texts, id: &str, voucherly: &str| {
            t.gateway_name(Some(id), Some(voucherly.to_owned()))
        };
        assert_eq!(
            name(en, "card", "Carta di credito").as_deref(),
            Some("Payment cards")
        );
        assert_eq!(
            name(it, "card", "Carta di credito").as_deref(),
            Some("Carte di pagamento")
        );
        assert_eq!(
            name(en, "sepa", "Addebito SEPA").as_deref(),
            Some("SEPA direct debit")
        );
        // An id we do not know, recognised by Voucherly's Italian name.
        assert_eq!(
            name(en, "gw_42", "Addebito SEPA").as_deref(),
            Some("SEPA direct debit")
        );
        assert_eq!(name(en, "edenred", "Edenred").as_deref(), Some("Edenred"));
        assert_eq!(en.gateway_name(Some("edenred"), None), None);
    }
}

//! The checkout's words in Italian and English, chosen by the payment's `language` (Italian by
//! default), and EUR amounts written the way each language writes them.

use crate::voucherly::types::PaymentStatus;

use crate::sandbox::card::CardProblem;

pub struct Texts {
    pub lang: &'static str,
    pub sandbox_badge: &'static str,
    pub sandbox_notice: &'static str,
    pub checkout_title: &'static str,
    pub order_summary: &'static str,
    pub reference: &'static str,
    pub customer: &'static str,
    pub product: &'static str,
    pub quantity: &'static str,
    pub amount: &'static str,
    pub discount: &'static str,
    pub total: &'static str,
    pub pay_with: &'static str,
    pub expires: &'static str,
    pub expired: &'static str,
    pub new_card: &'static str,
    pub new_card_details: &'static str,
    pub test_cards_hint: &'static str,
    pub holder_name: &'static str,
    pub card_number: &'static str,
    pub expiry_month: &'static str,
    pub expiry_year: &'static str,
    pub save_card: &'static str,
    pub testing_options: &'static str,
    pub lost_callback: &'static str,
    pub approve: &'static str,
    pub decline: &'static str,
    pub cancel: &'static str,
    pub result_title: &'static str,
    pub already_completed: &'static str,
    pub outcome_paid: &'static str,
    pub outcome_failed: &'static str,
    pub status: &'static str,
    pub payment_id: &'static str,
    pub back_to_store: &'static str,
    pub choose_method: &'static str,
    pub method_expired: &'static str,
    pub missing_holder: &'static str,
    pub bad_number: &'static str,
    pub bad_expiry: &'static str,
    pub card_expired: &'static str,
    pub error_title: &'static str,
    pub not_found: &'static str,
    pub forbidden: &'static str,
    pub bad_form: &'static str,
    pub unexpected: &'static str,
    pub reference_code: &'static str,
}

pub const IT: Texts = Texts {
    lang: "it",
    sandbox_badge: "sandbox",
    sandbox_notice: "Ambiente di prova: nessun addebito reale viene eseguito.",
    checkout_title: "Pagamento",
    order_summary: "Riepilogo dell'ordine",
    reference: "Riferimento",
    customer: "Cliente",
    product: "Prodotto",
    quantity: "Quantità",
    amount: "Importo",
    discount: "Sconto",
    total: "Totale",
    pay_with: "Scegli come pagare",
    expires: "scade",
    expired: "scaduta, non utilizzabile",
    new_card: "Paga con una nuova carta",
    new_card_details: "Dati della nuova carta",
    test_cards_hint: "Carte di prova: 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444 (Mastercard).",
    holder_name: "Titolare della carta",
    card_number: "Numero della carta",
    expiry_month: "Mese di scadenza (MM)",
    expiry_year: "Anno di scadenza (AAAA)",
    save_card: "Salva questa carta per i prossimi acquisti",
    testing_options: "Opzioni di test",
    lost_callback: "Simula una notifica al negozio (callback) persa",
    approve: "Paga",
    decline: "Rifiuta il pagamento",
    cancel: "Annulla e torna al negozio",
    result_title: "Esito del pagamento",
    already_completed: "Questo pagamento è già stato completato.",
    outcome_paid: "Pagamento riuscito.",
    outcome_failed: "Il pagamento non è stato eseguito.",
    status: "Stato",
    payment_id: "Identificativo del pagamento",
    back_to_store: "Torna al negozio",
    choose_method: "Scegli un metodo di pagamento.",
    method_expired: "Il metodo scelto non è utilizzabile: scegline un altro.",
    missing_holder: "Indica il titolare della carta.",
    bad_number: "Il numero della carta non è valido.",
    bad_expiry: "La data di scadenza non è valida.",
    card_expired: "La carta è scaduta.",
    error_title: "Impossibile continuare",
    not_found: "Questo pagamento non esiste.",
    forbidden: "Il modulo non è valido per questo pagamento. Riapri la pagina di pagamento.",
    bad_form: "Il modulo inviato non è valido.",
    unexpected: "Si è verificato un errore imprevisto. Riprova più tardi.",
    reference_code: "Codice di riferimento",
};

pub const EN: Texts = Texts {
    lang: "en",
    sandbox_badge: "sandbox",
    sandbox_notice: "Test environment: no real money is charged.",
    checkout_title: "Payment",
    order_summary: "Order summary",
    reference: "Reference",
    customer: "Customer",
    product: "Product",
    quantity: "Quantity",
    amount: "Amount",
    discount: "Discount",
    total: "Total",
    pay_with: "Choose how to pay",
    expires: "expires",
    expired: "expired, cannot be used",
    new_card: "Pay with a new card",
    new_card_details: "New card details",
    test_cards_hint: "Test cards: 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444 (Mastercard).",
    holder_name: "Cardholder name",
    card_number: "Card number",
    expiry_month: "Expiry month (MM)",
    expiry_year: "Expiry year (YYYY)",
    save_card: "Save this card for future purchases",
    testing_options: "Testing options",
    lost_callback: "Simulate a lost notification to the store (callback)",
    approve: "Pay",
    decline: "Decline the payment",
    cancel: "Cancel and return to the store",
    result_title: "Payment result",
    already_completed: "This payment has already been completed.",
    outcome_paid: "Payment successful.",
    outcome_failed: "The payment was not made.",
    status: "Status",
    payment_id: "Payment id",
    back_to_store: "Back to the store",
    choose_method: "Choose a payment method.",
    method_expired: "The chosen method cannot be used: choose another one.",
    missing_holder: "Enter the cardholder's name.",
    bad_number: "The card number is not valid.",
    bad_expiry: "The expiry date is not valid.",
    card_expired: "The card has expired.",
    error_title: "Cannot continue",
    not_found: "This payment does not exist.",
    forbidden: "The form is not valid for this payment. Open the payment page again.",
    bad_form: "The submitted form is not valid.",
    unexpected: "Something unexpected went wrong. Please try again later.",
    reference_code: "Reference code",
};

/// The texts for a payment's `language` (`"en"`, `"en-GB"`, ...); Italian otherwise.
pub fn for_language(language: Option<&str>) -> &'static Texts {
    match language.map(|l| l.trim().to_ascii_lowercase()) {
        Some(l) if l == "en" || l.starts_with("en-") || l.starts_with("en_") => &EN,
        _ => &IT,
    }
}

impl Texts {
    /// `7,90 €` and `1.234,56 €` in Italian; `€7.90` and `€1,234.56` in English.
    pub fn money(&self, cents: i64) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        let (units, cents) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
        let (thousands, decimal) = if self.lang == "en" {
            (',', '.')
        } else {
            ('.', ',')
        };
        let digits = units.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(thousands);
            }
            grouped.push(digit);
        }
        if self.lang == "en" {
            format!("{sign}€{grouped}{decimal}{cents:02}")
        } else {
            format!("{sign}{grouped}{decimal}{cents:02} €")
        }
    }

    pub fn status(&self, status: &PaymentStatus) -> String {
        let english = self.lang == "en";
        let label = match status {
            PaymentStatus::Requested => ["In attesa", "Pending"],
            PaymentStatus::Paid => ["Pagato", "Paid"],
            PaymentStatus::Confirmed | PaymentStatus::Captured => ["Confermato", "Confirmed"],
            PaymentStatus::Refunded => ["Rimborsato", "Refunded"],
            PaymentStatus::Cancelled => ["Annullato", "Cancelled"],
            PaymentStatus::Voided => ["Rifiutato", "Declined"],
            PaymentStatus::Expired => ["Scaduto", "Expired"],
            PaymentStatus::Other(text) => return text.clone(),
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
    use super::*;

    #[test]
    fn euros_are_written_per_language() {
        assert_eq!(IT.money(790), "7,90 €");
        assert_eq!(EN.money(790), "€7.90");
        assert_eq!(IT.money(123_456), "1.234,56 €");
        assert_eq!(EN.money(123_456_789), "€1,234,567.89");
        assert_eq!(IT.money(5), "0,05 €");
    }

    #[test]
    fn italian_is_the_default_language() {
        assert_eq!(for_language(None).lang, "it");
        assert_eq!(for_language(Some("de")).lang, "it");
        assert_eq!(for_language(Some("EN-gb")).lang, "en");
    }
}

//! The demo store's texts, in Italian and English. It is a developer's tool, so its texts live
//! here rather than among the shopper's texts in `crate::i18n`.

use crate::i18n::Lang;

pub struct DemoTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub users_heading: &'static str,
    pub open_account_as: &'static str,
    pub create_order: &'static str,
    pub order_contents: &'static str,
    pub settings_heading: &'static str,
    pub api_key: &'static str,
    pub api_key_note: &'static str,
    pub api_key_configured_note: &'static str,
    pub api_key_missing: &'static str,
    pub webhook: &'static str,
    pub webhook_missing: &'static str,
    pub webhook_elsewhere: &'static str,
    pub openapi: &'static str,
    pub call_heading: &'static str,
    pub request: &'static str,
    pub response: &'static str,
    pub status: &'static str,
    pub unreachable: &'static str,
    pub open_order_as: &'static str,
    pub events_heading: &'static str,
    pub events_caption: &'static str,
    pub events_refresh: &'static str,
    pub no_events: &'static str,
    pub received_at: &'static str,
    pub event_type: &'static str,
    pub store_order_id: &'static str,
    pub event_id: &'static str,
    pub signature: &'static str,
    pub signature_valid: &'static str,
    pub signature_invalid: &'static str,
    pub handover_failed: &'static str,
    pub back: &'static str,
}

pub fn of(lang: Lang) -> &'static DemoTexts {
    match lang {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}

static IT: DemoTexts = DemoTexts {
    title: "Negozio demo",
    intro: "Questa pagina fa la parte del server di un negozio: chiama l'API per i negozi di \
            questa app con la chiave del negozio, come farebbe il tuo backend, e passa il cliente \
            a «Il mio account» con un link che vale una volta sola. Quando un ordine viene pagato, \
            non riesce o viene rimborsato, l'app manda al negozio una notifica firmata, che qui \
            sotto vedi arrivare e verificare.",
    users_heading: "I clienti del negozio",
    open_account_as: "Apri «Il mio account» come",
    create_order: "Crea un ordine",
    order_contents: "Ogni ordine contiene",
    settings_heading: "Come è configurato il negozio",
    api_key: "Chiave dell'API per i negozi",
    api_key_note: "mostrata per intero perché questa è la modalità demo: è la STORE_API_KEY degli esempi del README",
    api_key_missing: "non configurata",
    api_key_configured_note: "solo i primi 8 caratteri: è la chiave che hai configurato",
    webhook: "URL del webhook",
    webhook_missing: "nessuno: le notifiche non vengono inviate",
    webhook_elsewhere: "Le notifiche vanno a questo indirizzo, non al negozio demo: qui non ne \
                        arriverà nessuna.",
    openapi: "Descrizione OpenAPI dell'API",
    call_heading: "La risposta dell'API",
    request: "Richiesta",
    response: "Risposta",
    status: "Stato HTTP",
    unreachable: "nessuna risposta",
    open_order_as: "Apri questo ordine in «Il mio account» come",
    events_heading: "Notifiche ricevute",
    events_caption: "Le notifiche arrivate al webhook del negozio demo, dalla più recente.",
    events_refresh: "Aggiorna l'elenco",
    no_events: "Nessuna notifica ancora: paga un ordine e torna qui.",
    received_at: "Ricevuta",
    event_type: "Tipo",
    store_order_id: "Ordine",
    event_id: "Id dell'evento",
    signature: "Firma",
    signature_valid: "firma valida",
    signature_invalid: "firma NON valida",
    handover_failed: "L'API per i negozi non ha dato il link per «Il mio account»",
    back: "Torna al negozio demo",
};

static EN: DemoTexts = DemoTexts {
    title: "Demo store",
    intro: "This page plays a store's server: it calls this app's store API with the store's \
            key, as your backend would, and hands the shopper over to «My account» with a link \
            that works once. When an order is paid, fails or is refunded, the app sends the store \
            a signed notification, which you can see arrive and be verified below.",
    users_heading: "The store's customers",
    open_account_as: "Open «My account» as",
    create_order: "Create an order",
    order_contents: "Every order holds",
    settings_heading: "How the store is set up",
    api_key: "Store API key",
    api_key_note: "shown in full because this is demo mode: it is the STORE_API_KEY of the README's examples",
    api_key_missing: "not configured",
    api_key_configured_note: "first 8 characters only: it is the key you configured",
    webhook: "Webhook URL",
    webhook_missing: "none: notifications are not sent",
    webhook_elsewhere: "Notifications go to this address, not to the demo store: none will \
                        arrive here.",
    openapi: "OpenAPI description of the API",
    call_heading: "The API's answer",
    request: "Request",
    response: "Response",
    status: "HTTP status",
    unreachable: "no answer",
    open_order_as: "Open this order in «My account» as",
    events_heading: "Notifications received",
    events_caption: "Notifications that reached the demo store's webhook, newest first.",
    events_refresh: "Refresh the list",
    no_events: "No notification yet: pay an order and come back.",
    received_at: "Received",
    event_type: "Type",
    store_order_id: "Order",
    event_id: "Event id",
    signature: "Signature",
    signature_valid: "signature valid",
    signature_invalid: "signature NOT valid",
    handover_failed: "The store API did not give a link to «My account»",
    back: "Back to the demo store",
};

use super::{Texts, text};

pub static TEXTS: Texts = Texts {
    lang_name: text("Italiano"),
    app_name: text("Il mio account"),
    skip_to_content: text("Vai al contenuto"),
    language_label: text("Lingua"),
    sign_out: text("Esci"),
    footer: text("I pagamenti sono gestiti da Voucherly."),
    sandbox_badge: text("Sandbox: nessun pagamento reale"),

    sign_in_title: text("Accesso di prova"),
    sign_in_intro: text(
        "Modalità dimostrativa: nessun pagamento è reale. Scegli un cliente di prova per entrare nel suo account.",
    ),
    sign_in_as: text("Entra come"),
    demo_shopper_has_customer: text("è già cliente Voucherly"),
    demo_shopper_no_customer: text("non è ancora cliente Voucherly"),
    come_from_store_title: text("Apri il tuo account dal negozio"),
    come_from_store_text: text(
        "Per vedere i tuoi metodi di pagamento, accedi al sito del negozio e apri da lì la pagina «Il mio account».",
    ),
    signed_out: text("Sei uscito dal tuo account."),

    profile_title: text("I tuoi metodi di pagamento"),
    profile_heading: text("Il tuo profilo"),
    name_label: text("Nome"),
    email_label: text("Email"),
    methods_heading: text("Metodi di pagamento salvati"),
    no_customer_yet: text(
        "Non hai ancora metodi di pagamento salvati. Potrai salvarne uno al tuo primo pagamento.",
    ),
    no_methods: text("Non hai metodi di pagamento salvati."),
    card: text("Carta"),
    ending_in: text("che termina con"),
    expires: text("Scadenza"),
    expired: text("Scaduta"),
    holder: text("Intestatario"),
    direct_debit: text("Addebito diretto SEPA"),
    iban: text("IBAN"),
    account: text("Conto collegato"),
    gateway_label: text("Circuito"),
    to_pay_heading: text("Da pagare"),
    nothing_to_pay: text("Non hai ordini da pagare."),
    order_label: text("Ordine"),
    order_discount: text("Sconto"),
    order_total: text("Totale"),
    pay_legend: text("Come vuoi pagare?"),
    pay_at_checkout: text("Un altro metodo, da scegliere nella pagina di pagamento di Voucherly"),
    pay_button: text("Paga con questo metodo"),
    pay_methods_not_shown: text(
        "Al momento non possiamo mostrarti i metodi salvati: potrai sceglierne uno nella pagina di pagamento di Voucherly.",
    ),
    payments_not_available: text(
        "Al momento i pagamenti non sono disponibili. Il problema è del negozio, non tuo: riprova più tardi.",
    ),
    notice_already_paid: text("Questo ordine risulta già pagato."),
    history_heading: text("Storico pagamenti"),
    history_caption: text("I tuoi pagamenti, dal più recente"),
    history_empty: text("Non hai ancora effettuato pagamenti."),
    history_date: text("Data"),
    history_order: text("Ordine"),
    history_amount: text("Importo"),
    history_method: text("Metodo"),
    history_status: text("Stato"),
    history_at_checkout: text("Scelto su Voucherly"),
    history_pages: text("Pagine dello storico pagamenti"),
    previous_page: text("Pagina precedente"),
    next_page: text("Pagina successiva"),
    page_word: text("Pagina"),
    of_word: text("di"),
    status_creating: text("In preparazione"),
    status_create_failed: text("Non avviato"),
    status_requested: text("In corso"),
    status_failed: text("Non riuscito"),
    status_abandoned: text("Non completato"),
    status_paid: text("Pagato"),
    status_refunded: text("Rimborsato"),
    pay_failed_title: text("Il pagamento non è partito"),
    pay_failed_text: text(
        "Voucherly non è riuscito ad avviare il pagamento. Non ti è stato addebitato nulla e l'ordine resta da pagare: riprova tra qualche minuto.",
    ),
    pay_refused_title: text("Metodo non disponibile"),
    pay_method_refused: text(
        "Il metodo scelto non è tra i tuoi metodi di pagamento utilizzabili. Torna al tuo account e scegline un altro.",
    ),
    pay_cancelled_title: text("Ordine annullato"),
    pay_cancelled_text: text(
        "Il negozio ha annullato questo ordine: non si può più pagare e non ti è stato addebitato nulla. Torna al tuo account per vedere cosa devi ancora pagare.",
    ),
    voucherly_unavailable: text(
        "Al momento non riusciamo a raggiungere Voucherly, quindi non possiamo mostrarti i metodi di pagamento salvati. Riprova tra qualche minuto.",
    ),
    voucherly_misconfigured: text(
        "Il servizio di pagamento non è configurato correttamente, quindi non possiamo mostrarti i metodi di pagamento salvati. Il problema è del negozio, non tuo: riprova più tardi.",
    ),

    error_title: text("Qualcosa non va"),
    error_bad_request: text(
        "La richiesta non è valida. Torna indietro e controlla i dati inseriti.",
    ),
    error_forbidden: text("Non hai accesso a questa pagina."),
    error_csrf: text(
        "Il modulo è scaduto o non proviene da questa pagina. Torna indietro, ricarica la pagina e riprova.",
    ),
    error_not_found: text("Questa pagina non esiste."),
    error_too_large: text("La richiesta è troppo grande."),
    error_unexpected: text(
        "Si è verificato un errore imprevisto. Riprova tra poco; se il problema continua, comunica al negozio il codice qui sotto.",
    ),
    error_reference: text("Codice di riferimento"),
    back_to_start: text("Torna al tuo account"),

    payment_return_title: text("Esito del pagamento"),
    payment_paid: text("Pagamento riuscito"),
    payment_paid_text: text("Grazie: il pagamento è stato ricevuto."),
    payment_failed: text("Il pagamento non è andato a buon fine"),
    payment_failed_text: text("L'ordine resta da pagare: puoi pagarlo di nuovo dal tuo account."),
    payment_processing: text("Stiamo verificando il pagamento"),
    payment_processing_text: text(
        "Aspettiamo la conferma di Voucherly. Questa pagina si aggiorna da sola ogni pochi secondi.",
    ),
    payment_refunded: text("Pagamento rimborsato"),
    payment_refunded_text: text("Il pagamento è stato rimborsato."),
    payment_order_label: text("Ordine"),
    payment_amount_label: text("Importo"),
    payment_to_account: text("Vai al tuo account"),
    payment_pay_again: text("Paga di nuovo dal tuo account"),
    payment_to_start: text("Vai alla pagina iniziale"),

    back_to_store: text("Torna al negozio"),
    handover_gone_title: text("Link non più valido"),
    handover_gone_text: text(
        "Questo link è già stato usato oppure è scaduto: ogni link funziona una volta sola e per pochi minuti. Torna al negozio e apri di nuovo il tuo account da lì.",
    ),
    handover_unknown_title: text("Link non valido"),
    handover_unknown_text: text(
        "Questo link non è valido. Torna al negozio e apri di nuovo il tuo account da lì.",
    ),
    try_demo_store: text(
        "Oppure prova l'integrazione completa dal negozio demo: un negozio che crea ordini con l'API, ti passa al tuo account e riceve le notifiche firmate.",
    ),

    remove_button: text("Rimuovi"),
    remove_title: text("Rimuovi il metodo di pagamento"),
    remove_question: text(
        "Vuoi rimuovere questo metodo di pagamento? Non potrai più usarlo per pagare senza inserirlo di nuovo.",
    ),
    remove_cancel: text("Annulla"),
    remove_failed_title: text("Metodo di pagamento non rimosso"),
    remove_failed_text: text(
        "Non siamo riusciti a rimuovere il metodo di pagamento: è ancora salvato. Riprova tra qualche minuto.",
    ),
    notice_method_removed: text("Metodo di pagamento rimosso."),
    payment_in_progress: text(
        "Un pagamento di questo ordine è già in corso su Voucherly. Se lo hai completato, l'esito arriverà a breve; altrimenti puoi riprenderlo o pagare di nuovo qui sotto.",
    ),
    resume_payment: text("Riprendi il pagamento"),

    // money: ordini pagati due volte, buoni pasto.
    status_paid_twice_refunding: text("Pagato due volte: rimborso in corso"),
    status_paid_twice_refunded: text("Pagato due volte: rimborsato"),
    status_paid_twice_manual: text("Pagato due volte: il negozio lo rimborserà"),
    voucher_share: text(
        "{method}: fino a {amount} di alimentari; il resto con un altro metodo al checkout",
    ),
    remove_unsure_text: text(
        "Non siamo riusciti a verificare se il metodo di pagamento è stato rimosso. Ricontrolla i tuoi metodi salvati tra qualche minuto.",
    ),
    start_again_button: text("Ricomincia con questo metodo (il pagamento aperto viene annullato)"),
    history_voucher_part: text("{amount} con buono pasto"),
    history_refund: text("Rimborsati {amount} il {date} {to}"),
    history_refund_to_methods: text("sul metodo di pagamento"),
    history_refund_to_wallet: text("nel wallet Voucherly"),
    // harden: faults, limits and the language form
    error_unavailable: text(
        "Il servizio è occupato o in manutenzione in questo momento. Non è andato perso nulla: riprova tra qualche secondo.",
    ),
    error_too_many: text("Troppi tentativi in poco tempo. Attendi un po' e riprova."),
    // speed: the last known saved methods, shown when Voucherly is down or slow.
    methods_as_of: text(
        "Voucherly non risponde in questo momento: ecco i tuoi metodi di pagamento salvati, aggiornati al",
    ),
    // newcomer: gateway names, preferred method, expiring cards, last used, receipts, export.
    gateway_cards: text("Carte di pagamento"),
    expires_this_month: text("Scade questo mese"),
    expires_next_month: text("Scade il mese prossimo"),
    expiring_suggestion: text(
        "Una tua carta scade a breve: al prossimo pagamento scegli «un altro metodo» e salva la nuova carta nella pagina di pagamento di Voucherly.",
    ),
    preferred_tag: text("Preferito"),
    make_preferred: text("Rendi preferito"),
    last_used_label: text("Ultimo utilizzo qui"),
    never_used: text("non ancora"),
    notice_preference_saved: text("Metodo preferito salvato: ora è scelto per primo quando paghi."),
    notice_preference_not_saved: text(
        "Al momento non riusciamo a verificare i tuoi metodi di pagamento con Voucherly, quindi la preferenza non è stata salvata. Riprova tra qualche minuto.",
    ),
    // shopper-alone: removing the preferred method, expired ones in one step, brand icons.
    remove_preferred_question: text(
        "È il tuo metodo preferito. Vuoi preferirne un altro al suo posto?",
    ),
    remove_preferred_none: text("No, nessun metodo preferito"),
    notice_method_removed_preferred: text(
        "Metodo di pagamento rimosso. Il nuovo metodo preferito è stato salvato.",
    ),
    // shopper-alone: saving a method without buying.
    add_method_button: text("Aggiungi una carta o un buono pasto"),
    add_method_hint: text(
        "Lo salvi nella pagina sicura di Voucherly, senza pagare nulla, e lo ritrovi qui.",
    ),
    notice_method_added: text("Metodo di pagamento aggiunto: {method}."),
    notice_method_not_added: text(
        "Nessun metodo è stato aggiunto: la pagina di Voucherly è stata chiusa o il metodo non è stato accettato. Non ti è stato addebitato nulla.",
    ),
    notice_method_added_unknown: text(
        "Al momento non riusciamo a verificare con Voucherly se il metodo è stato aggiunto: ricarica questa pagina tra qualche minuto.",
    ),
    receipt_link: text("Ricevuta"),
    receipt_title: text("Ricevuta di pagamento"),
    receipt_order: text("Ordine"),
    receipt_paid_on: text("Data del pagamento"),
    receipt_method: text("Metodo di pagamento"),
    receipt_voucherly_id: text("Id del pagamento Voucherly"),
    receipt_reference: text("Nostro riferimento"),
    receipt_lines_caption: text("Che cosa è stato pagato"),
    receipt_product: text("Prodotto"),
    receipt_quantity: text("Quantità"),
    receipt_amount: text("Importo"),
    receipt_discounts: text("Sconti"),
    receipt_total: text("Totale pagato"),
    receipt_voucher_share: text("Pagato con buoni pasto"),
    receipt_other_share: text("Pagato con altri metodi"),
    receipt_shares_unknown: text(
        "Al momento Voucherly non ci dice quanto è stato pagato con buoni pasto: riprova più tardi.",
    ),
    receipt_print_hint: text(
        "Per conservarne una copia, stampa questa pagina o salvala in PDF dal tuo browser.",
    ),
    receipt_back: text("Torna al tuo account"),
    // shopper-alone: Voucherly's fiscal receipts (PDF) of a payment and of its refund.
    fiscal_receipt_link: text("Scontrino (PDF)"),
    refund_receipt_link: text("Documento di reso (PDF)"),
    fiscal_receipt_missing_title: text("Nessuno scontrino per ora"),
    fiscal_receipt_missing_text: text(
        "Voucherly non ha ancora emesso questo documento fiscale. Riprova più tardi; intanto puoi usare la ricevuta stampabile.",
    ),
    fiscal_receipt_unavailable_title: text("Scontrino non disponibile"),
    fiscal_receipt_unavailable_text: text(
        "Al momento non riusciamo a ottenere il documento da Voucherly. Riprova tra qualche minuto.",
    ),
    // shopper-alone: the Voucherly wallet, the prepaid quota and the wallet's movements.
    wallet_heading: text("Credito Voucherly"),
    wallet_balance: text("Saldo del portafoglio"),
    wallet_voucher_part: text("di cui da buoni pasto (solo per alimentari)"),
    prepaid_today: text("Quota prepagata di oggi"),
    prepaid_left: text("{left} disponibili su {cap}"),
    wallet_unavailable: text(
        "Al momento Voucherly non ci dice il saldo del tuo portafoglio: riprova più tardi.",
    ),
    wallet_movements_link: text("Vedi i movimenti del portafoglio"),
    wallet_title: text("Movimenti del portafoglio"),
    wallet_caption: text("I movimenti del tuo portafoglio Voucherly, dal più recente"),
    wallet_date: text("Data"),
    wallet_action: text("Movimento"),
    wallet_amount: text("Importo"),
    wallet_running: text("Saldo dopo"),
    wallet_empty: text("Nessun movimento nel tuo portafoglio."),
    wallet_no_customer: text(
        "Non hai ancora un portafoglio Voucherly: nasce con il primo pagamento.",
    ),
    wallet_pages: text("Pagine dei movimenti"),
    first_page: text("Prima pagina"),
    wallet_action_topup: text("Ricarica"),
    wallet_action_topup_reversed: text("Ricarica annullata"),
    wallet_action_payment: text("Pagamento"),
    wallet_action_payment_refunded: text("Pagamento rimborsato"),
    wallet_action_adjustment: text("Rettifica"),
    wallet_action_excess: text("Eccedenza di buoni pasto accreditata"),
    wallet_action_excess_reversed: text("Eccedenza di buoni pasto stornata"),
    csv_download: text("Scarica lo storico (CSV)"),
    csv_currency: text("Valuta"),
    csv_reference: text("Riferimento"),
};

//! Payment attempts: one record per form, at most one open payment per order, readings applied
//! only forward with the order and the store's events following once, and refunds leased to
//! one worker at a time, on either engine.

use std::future::Future;
use std::sync::Mutex;

use voucherly_account::domain::order::{CreateOrder, NewOrder, OrderLine};
use voucherly_account::domain::payment::{Begun, Breakdown, Created, NewPayment, Reading};
use voucherly_account::domain::{Email, LocalStatus, PersonName, ShopperDetails, StoreUserId};
use voucherly_account::storage::{PaymentStore, Storage};

// The shoppers and orders a test pays for, and what became of them, made and read through the
// interface on either engine. `on_both_with_rows!` is `on_both!` with such a `Rows` for each.
macro_rules! on_both_with_rows {
    (|$store:ident, $rows:ident| $body:block) => {{
        let engines = $crate::storage::engines::Engines::new().await;
        {
            let $store = &engines.sqlite;
            let $rows = $crate::storage::payments::Rows::on(&engines.sqlite);
            $body
        }
        {
            let $store = &engines.postgres;
            let $rows = $crate::storage::payments::Rows::on(&engines.postgres);
            $body
        }
    }};
}
pub(crate) use on_both_with_rows;

/// Where a test's shoppers and orders are made and looked at, with the events drained from the
/// outbox so far: (order id, kind).
pub struct Rows<'a> {
    db: &'a dyn Storage,
    drained: Mutex<Vec<(i64, String)>>,
}

impl<'a> Rows<'a> {
    pub fn on(db: &'a dyn Storage) -> Self {
        Self {
            db,
            drained: Mutex::default(),
        }
    }

    /// The shopper the store knows as `name` (made the first time).
    pub async fn shopper(&self, name: &str) -> i64 {
        self.db
            .upsert_shopper(ShopperDetails {
                store_user_id: StoreUserId::parse(name).unwrap(),
                email: Email::parse(&format!("{name}@example.com")).unwrap(),
                first_name: PersonName::parse(name).unwrap(),
                last_name: PersonName::parse("Test").unwrap(),
                language: "it",
            })
            .await
            .unwrap()
    }

    /// A new order of `amount` cents for the shopper, awaiting payment.
    pub async fn order(&self, shopper_id: i64, store_order_id: &str, amount: i64) -> i64 {
        let line = OrderLine {
            product_id: None,
            product_name: "Pizza".into(),
            product_description: None,
            product_image: None,
            quantity: 1,
            unit_amount: amount,
            unit_discount_amount: 0,
            tax_rate: None,
            is_food: true,
        };
        let order = NewOrder::parse(store_order_id, vec![line], vec![]).unwrap();
        match self.db.create_order(shopper_id, order).await.unwrap() {
            CreateOrder::Created(id) => id,
            other => panic!("order not created: {other:?}"),
        }
    }

    /// The order's status: `awaiting_payment`, `paid` or `refunded`.
    pub async fn order_status(&self, shopper_id: i64, order_id: i64) -> String {
        self.db
            .order_for_shopper(shopper_id, order_id)
            .await
            .unwrap()
            .unwrap()
            .status
            .as_str()
            .to_owned()
    }

    /// The kinds of every event queued for the order so far, oldest first (drained from the
    /// outbox as a delivery worker would).
    pub async fn events(&self, order_id: i64) -> Vec<String> {
        loop {
            let due = self
                .db
                .lease_due_events(i64::MAX / 2, 100, 60)
                .await
                .unwrap();
            if due.is_empty() {
                break;
            }
            for event in due {
                self.drained
                    .lock()
                    .unwrap()
                    .push((event.order_id, event.kind.clone()));
                self.db
                    .mark_event_delivered(event.event_id, 0)
                    .await
                    .unwrap();
            }
        }
        let drained = self.drained.lock().unwrap();
        drained
            .iter()
            .filter(|(order, _)| *order == order_id)
            .map(|(_, kind)| kind.clone())
            .collect()
    }
}

/// `n` calls of `call` at once, each with its own handle on the store and its number.
pub async fn at_once<S, F, Fut, T>(store: &S, n: usize, call: F) -> Vec<T>
where
    S: Clone,
    F: Fn(S, usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = (0..n)
        .map(|i| tokio::spawn(call(store.clone(), i)))
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// The form `key` of the shopper, paying the order.
pub fn new_payment(shopper_id: i64, order_id: i64, key: u32, amount: i64) -> NewPayment {
    NewPayment {
        shopper_id,
        order_id,
        idempotency_key: format!("{key:032x}"),
        environment: "sandbox",
        amount,
        method_id: Some("card-1".into()),
        method_label: Some("Visa •••• 4242".into()),
    }
}

/// Voucherly's answer to a create that succeeded.
pub fn created(voucherly_payment_id: &str) -> Created {
    Created {
        voucherly_payment_id: voucherly_payment_id.into(),
        voucherly_status: Some("Pending".into()),
        checkout_url: format!("https://checkout.example/{voucherly_payment_id}"),
        first_check_after: 30,
    }
}

/// Voucherly's word `word` about a payment, `status` in our terms.
pub fn reading(voucherly_payment_id: &str, status: LocalStatus, word: &str) -> Reading {
    Reading {
        voucherly_payment_id: voucherly_payment_id.into(),
        reference: None,
        status: Some(status),
        voucherly_status: Some(word.into()),
        checkout_url: None,
        paid_amount: None,
        paid_voucher_amount: None,
        breakdown: Breakdown::default(),
    }
}

/// A new payment of the order, created at Voucherly as `voucherly_payment_id`: its reference.
pub async fn requested<S: PaymentStore>(
    store: &S,
    shopper_id: i64,
    order_id: i64,
    key: u32,
    voucherly_payment_id: &str,
) -> String {
    let Begun::New(record) = store
        .begin_payment(new_payment(shopper_id, order_id, key, 1500), 600)
        .await
        .unwrap()
    else {
        panic!("no new payment");
    };
    store
        .record_created(&record.reference, created(voucherly_payment_id))
        .await
        .unwrap();
    record.reference
}

/// An order paid twice, its second payment (`second`) a duplicate due for a refund:
/// (shopper, order, duplicate payment) ids.
pub async fn paid_twice<S: PaymentStore>(
    store: &S,
    rows: &Rows<'_>,
    name: &str,
    first: &str,
    second: &str,
) -> (i64, i64, i64) {
    let shopper = rows.shopper(name).await;
    let order = rows.order(shopper, &format!("{name}-order"), 1500).await;
    requested(store, shopper, order, 1, first).await;
    // The first checkout is still open when Voucherly forgets it; the shopper pays again.
    store.mark_outcome_unknown(first).await.unwrap();
    let second_reference = requested(store, shopper, order, 2, second).await;
    for id in [first, second] {
        store
            .apply_reading(reading(id, LocalStatus::Paid, "Confirmed"))
            .await
            .unwrap();
    }
    let duplicate = store
        .payment_by_reference(&second_reference)
        .await
        .unwrap()
        .unwrap();
    (shopper, order, duplicate.id)
}

mod applying;
mod beginning;
mod cancelling;
mod refunds;
mod schedule;

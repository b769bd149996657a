//! What a shopper's pages read: the profile page in one piece, the payment history a page at a
//! time.

use voucherly_account::domain::LocalStatus;
use voucherly_account::storage::PageStore;

use super::raw_setup::{Payment, Raw};

const ENV: &str = "sandbox";

/// A payment of `order_id` by `shopper_id` in the sandbox.
fn paid<'a>(shopper_id: i64, order_id: i64, reference: &'a str, created_at: i64) -> Payment<'a> {
    Payment {
        shopper_id,
        order_id,
        reference,
        environment: ENV,
        status: "paid",
        method_id: None,
        checkout_url: None,
        next_check_at: 0,
        is_duplicate: false,
        created_at,
    }
}

/// Ada, with five payments of one paid order made at 10, 20, …, 50; returns her id.
async fn five_payments(raw: &Raw) -> i64 {
    let ada = raw.shopper("ada").await;
    let order = raw.order(ada, "paid-order", 1).await;
    raw.execute(
        "UPDATE orders SET status = 'paid' WHERE id = $1",
        &[order.into()],
    )
    .await;
    for n in 1..=5_i64 {
        raw.payment(paid(ada, order, &format!("p{n}"), n * 10))
            .await;
    }
    ada
}

fn references(page: &voucherly_account::domain::payment::HistoryPage) -> Vec<&str> {
    page.entries
        .iter()
        .map(|entry| entry.reference.as_str())
        .collect()
}

#[tokio::test]
async fn there_is_no_page_for_an_unknown_shopper() {
    on_both!(|store| {
        assert!(store.profile_page(42, ENV, 1, 10).await.unwrap().is_none());
    });
}

#[tokio::test]
async fn the_history_is_newest_first_a_page_at_a_time() {
    on_both_with_raw!(|store, raw| {
        let ada = five_payments(raw).await;
        let bob = raw.shopper("bob").await;
        let first = store.payment_history(ada, 1, 2).await.unwrap();
        assert_eq!(references(&first), ["p5", "p4"]);
        assert_eq!(first.total, 5);
        let last = store.payment_history(ada, 3, 2).await.unwrap();
        assert_eq!(references(&last), ["p1"]);
        let past = store.payment_history(ada, 4, 2).await.unwrap();
        assert!(past.entries.is_empty());
        assert_eq!(past.total, 5);
        let page_zero = store.payment_history(ada, 0, 2).await.unwrap();
        assert_eq!(
            references(&page_zero),
            ["p5", "p4"],
            "page 0 reads as page 1"
        );
        let nobody = store.payment_history(bob, 1, 2).await.unwrap();
        assert_eq!((nobody.entries.len(), nobody.total), (0, 0));
    });
}

#[tokio::test]
async fn a_history_entry_says_what_the_payment_was() {
    on_both_with_raw!(|store, raw| {
        let ada = raw.shopper("ada").await;
        let order = raw.order(ada, "store-7", 1).await;
        let id = raw
            .payment(Payment {
                method_id: Some("card-1"),
                is_duplicate: true,
                status: "refunded",
                ..paid(ada, order, "dup", 10)
            })
            .await;
        raw.execute(
            "UPDATE payments SET refund_error = 'declined', paid_voucher_amount = 400
             WHERE id = $1",
            &[id.into()],
        )
        .await;
        raw.payment(paid(ada, order, "plain", 20)).await;
        let history = store.payment_history(ada, 1, 10).await.unwrap();
        let [plain, dup] = &history.entries[..] else {
            panic!("two entries: {:?}", history.entries);
        };
        assert_eq!(dup.reference, "dup");
        assert_eq!(dup.created_at, 10);
        assert_eq!(dup.store_order_id, "store-7");
        assert_eq!((dup.amount, dup.currency.as_str()), (1000, "EUR"));
        assert_eq!(dup.method_label.as_deref(), Some("card-1"));
        assert_eq!(dup.status, LocalStatus::Refunded);
        assert!(dup.is_duplicate);
        assert!(
            dup.needs_manual_refund,
            "refund failed and not scheduled again"
        );
        assert_eq!(dup.voucher_amount, Some(400));
        assert_eq!(plain.status, LocalStatus::Paid);
        assert_eq!(plain.method_label, None);
        assert!(!plain.is_duplicate && !plain.needs_manual_refund);
        assert_eq!(plain.voucher_amount, None);
    });
}

#[tokio::test]
async fn the_profile_page_reads_everything_the_page_shows() {
    on_both_with_raw!(|store, raw| {
        let ada = raw.shopper("ada").await;
        let bob = raw.shopper("bob").await;
        raw.execute(
            "INSERT INTO voucherly_customers (shopper_id, environment, customer_id, updated_at)
             VALUES ($1, 'sandbox', 'cus-sandbox', 1), ($1, 'live', 'cus-live', 1)",
            &[ada.into()],
        )
        .await;
        raw.execute(
            "INSERT INTO preferred_methods (shopper_id, environment, method_id, updated_at)
             VALUES ($1, 'sandbox', 'card-2', 1), ($1, 'live', 'card-9', 1)",
            &[ada.into()],
        )
        .await;
        let later = raw.order(ada, "later", 20).await;
        let earlier = raw.order(ada, "earlier", 10).await;
        let done = raw.order(ada, "done", 5).await;
        raw.order(bob, "bobs", 1).await;
        raw.execute(
            "UPDATE orders SET status = 'paid' WHERE id = $1",
            &[done.into()],
        )
        .await;
        raw.execute(
            "INSERT INTO order_lines (order_id, position, product_id, product_name,
                 product_description, product_image, quantity, unit_amount,
                 unit_discount_amount, tax_rate, is_food)
             VALUES ($1, 1, 'sku-2', 'Bread', NULL, NULL, 1, 200, 0, NULL, FALSE),
                    ($1, 0, 'sku-1', 'Pasta', 'Fresh', 'https://img.example/p.png', 2, 500,
                     50, 10.0, TRUE)",
            &[earlier.into()],
        )
        .await;
        raw.execute(
            "INSERT INTO order_discounts (order_id, position, name, description, amount)
             VALUES ($1, 0, 'Welcome', NULL, 200)",
            &[earlier.into()],
        )
        .await;
        let checkout = |order_id, reference, url| Payment {
            status: "requested",
            checkout_url: Some(url),
            ..paid(ada, order_id, reference, 30)
        };
        raw.payment(checkout(earlier, "checkout", "https://pay.example/new"))
            .await;
        raw.payment(checkout(later, "odd-checkout", "javascript:alert(1)"))
            .await;
        let with = |method, reference, created_at, status| Payment {
            method_id: Some(method),
            status,
            ..paid(ada, done, reference, created_at)
        };
        raw.payment(with("card-1", "c1-old", 40, "paid")).await;
        raw.payment(with("card-1", "c1-new", 50, "refunded")).await;
        raw.payment(with("card-1", "c1-failed", 60, "failed")).await;
        raw.payment(with("card-3", "c3-failed", 60, "failed")).await;
        raw.payment(Payment {
            environment: "live",
            ..with("card-4", "c4-live", 70, "paid")
        })
        .await;

        let page = store.profile_page(ada, ENV, 1, 3).await.unwrap().unwrap();
        assert_eq!(page.shopper.id, ada);
        assert_eq!(page.shopper.store_user_id, "ada");
        assert_eq!(page.shopper.email, "ada@example.com");
        assert_eq!(
            (
                page.shopper.first_name.as_str(),
                page.shopper.last_name.as_str()
            ),
            ("Ada", "Lovelace")
        );
        assert_eq!(page.shopper.language, "en");
        assert_eq!(page.customer_id.as_deref(), Some("cus-sandbox"));
        assert_eq!(page.preferred.as_deref(), Some("card-2"));

        let orders: Vec<&str> = page
            .orders
            .iter()
            .map(|o| o.store_order_id.as_str())
            .collect();
        assert_eq!(
            orders,
            ["earlier", "later"],
            "awaiting payment, oldest first"
        );
        let first = &page.orders[0];
        assert_eq!((first.id, first.shopper_id), (earlier, ada));
        assert_eq!(
            (
                first.total_amount,
                first.discount_amount,
                first.final_amount
            ),
            (1200, 200, 1000)
        );
        assert_eq!((first.currency.as_str(), first.created_at), ("EUR", 10));
        let names: Vec<&str> = first
            .lines
            .iter()
            .map(|l| l.product_name.as_str())
            .collect();
        assert_eq!(names, ["Pasta", "Bread"], "in their positions");
        let pasta = &first.lines[0];
        assert_eq!(pasta.product_id.as_deref(), Some("sku-1"));
        assert_eq!(pasta.product_description.as_deref(), Some("Fresh"));
        assert_eq!(
            pasta.product_image.as_deref(),
            Some("https://img.example/p.png")
        );
        assert_eq!(
            (
                pasta.quantity,
                pasta.unit_amount,
                pasta.unit_discount_amount
            ),
            (2, 500, 50)
        );
        assert_eq!(pasta.tax_rate, Some(10.0));
        assert!(pasta.is_food && !first.lines[1].is_food);
        assert_eq!(first.lines[1].tax_rate, None);
        assert_eq!(first.discounts.len(), 1);
        assert_eq!(first.discounts[0].name, "Welcome");
        assert_eq!(first.discounts[0].amount, 200);
        assert!(page.orders[1].lines.is_empty());

        assert_eq!(page.open_checkouts.len(), 1, "{:?}", page.open_checkouts);
        assert_eq!(page.open_checkouts[&earlier], "https://pay.example/new");
        assert_eq!(page.last_used.len(), 1, "{:?}", page.last_used);
        assert_eq!(page.last_used["card-1"], 50);

        assert_eq!(page.history.total, 7);
        assert_eq!(
            references(&page.history),
            ["c4-live", "c3-failed", "c1-failed"],
            "newest first, the later written first at the same time"
        );
        assert_eq!(page.history_page, 1);
    });
}

#[tokio::test]
async fn a_profile_page_past_the_end_of_the_history_shows_its_last_page() {
    on_both_with_raw!(|store, raw| {
        let ada = five_payments(raw).await;
        let page = store.profile_page(ada, ENV, 9, 2).await.unwrap().unwrap();
        assert_eq!(page.history_page, 3);
        assert_eq!(references(&page.history), ["p1"]);
        let page = store.profile_page(ada, ENV, 2, 2).await.unwrap().unwrap();
        assert_eq!(page.history_page, 2);
        assert_eq!(references(&page.history), ["p3", "p2"]);
        assert!(page.customer_id.is_none() && page.preferred.is_none());
        assert!(page.orders.is_empty() && page.open_checkouts.is_empty());
        let bob = raw.shopper("bob").await;
        let empty = store.profile_page(bob, ENV, 5, 2).await.unwrap().unwrap();
        assert_eq!((empty.history_page, empty.history.total), (1, 0));
    });
}

#[tokio::test]
async fn what_a_store_writes_is_read_back_by_it_at_once_though_its_pages_are_kept_in_memory() {
    use voucherly_account::domain::{Email, PersonName, ShopperDetails, StoreUserId};
    use voucherly_account::storage::{ChangeFeed, MethodStore, ShopperStore};
    let ada = |first_name: &str| ShopperDetails {
        store_user_id: StoreUserId::parse("ada").unwrap(),
        email: Email::parse("ada@example.com").unwrap(),
        first_name: PersonName::parse(first_name).unwrap(),
        last_name: PersonName::parse("Lovelace").unwrap(),
        language: "it",
    };
    on_both!(|store| {
        let id = store.upsert_shopper(ada("Ada")).await.unwrap();
        // Several rounds: PostgreSQL keeps nothing until its listener listens, a moment after
        // the first read.
        for round in 1..=5 {
            let method = format!("card-{round}");
            let name = format!("Ada{}", "a".repeat(round));
            for _ in 0..2 {
                let page = store.profile_page(id, ENV, 1, 10).await.unwrap().unwrap();
                assert_ne!(page.preferred.as_deref(), Some(method.as_str()));
            }
            store.prefer_method(id, ENV, method.clone()).await.unwrap();
            store.upsert_shopper(ada(&name)).await.unwrap();
            store.caught_up().await;
            let page = store.profile_page(id, ENV, 1, 10).await.unwrap().unwrap();
            assert_eq!(
                page.preferred.as_deref(),
                Some(method.as_str()),
                "round {round}"
            );
            assert_eq!(page.shopper.first_name, name, "round {round}");
        }
    });
}

//! A store whose database is lost and restored empty still has one Voucherly customer per
//! shopper: the next first payment finds the customer by email instead of making another. Here
//! Voucherly is a second app's embedded sandbox, which keeps its customers while the store's
//! database starts again from nothing.

use secrecy::SecretString;

use crate::helpers::{TestApp, location, spawn_app, spawn_with};

use super::support::{new_key, order_id, pay};

/// A store app on a fresh database whose Voucherly is `voucherly`'s sandbox.
async fn store_on(voucherly: &TestApp) -> TestApp {
    let base_url = format!("{}/sandbox/", voucherly.address);
    spawn_with(move |settings| {
        settings.voucherly_api_key = Some(SecretString::from("sk_sand_store"));
        settings.voucherly_base_url = Some(base_url);
        settings.demo = Some(true);
    })
    .await
}

/// Giulia pays her order on `store` up to Voucherly's checkout; returns her customer id there.
async fn giulia_pays(store: &TestApp) -> String {
    store.sign_in_as("demo-giulia").await;
    let order = order_id(store, "demo-1003");
    let response = pay(store, order, &new_key(), "checkout", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(location(&response).contains("/sandbox/checkout/pay_"));
    store.db().value(
        "SELECT c.customer_id FROM voucherly_customers c
         JOIN shoppers s ON s.id = c.shopper_id WHERE s.store_user_id = 'demo-giulia'",
        &[],
    )
}

#[tokio::test]
async fn after_the_database_is_restored_empty_the_next_payment_reuses_the_same_voucherly_customer()
{
    let voucherly = spawn_app().await;
    let before = store_on(&voucherly).await;
    let first = giulia_pays(&before).await;

    // The database is lost: the store starts again on an empty one, same Voucherly.
    let after = store_on(&voucherly).await;
    let count: i64 = after
        .db()
        .value("SELECT COUNT(*) FROM voucherly_customers", &[]);
    assert_eq!(count, 0, "the restored database knows no customer");
    let second = giulia_pays(&after).await;
    assert_eq!(second, first);

    let listed = voucherly
        .sandbox_json("/customers?email=giulia.bianchi@example.com")
        .await;
    let items = listed["items"].as_array().expect("a list");
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["id"], first.as_str());
}

//! Orders the demo shoppers have to pay, created through the same function the store API will
//! use; idempotent, so every start finds them unchanged (or paid).

use crate::domain::order::{CreateOrder, NewOrder, OrderDiscount, OrderLine};
use crate::storage::Storage;

fn line(name: &str, description: &str, quantity: i64, unit_amount: i64) -> OrderLine {
    OrderLine {
        product_id: None,
        product_name: name.to_owned(),
        product_description: Some(description.to_owned()),
        product_image: None,
        quantity,
        unit_amount,
        unit_discount_amount: 0,
        tax_rate: Some(22.0),
        is_food: false,
    }
}

fn food(line: OrderLine, tax_rate: f64) -> OrderLine {
    OrderLine {
        is_food: true,
        tax_rate: Some(tax_rate),
        ..line
    }
}

/// (store user id, order) for every demo order.
fn demo_orders() -> anyhow::Result<Vec<(&'static str, NewOrder)>> {
    let lunch = NewOrder::parse(
        "demo-1001",
        vec![
            OrderLine {
                product_id: Some("pizza-margherita".into()),
                ..food(
                    line("Pizza margherita", "Pomodoro, mozzarella, basilico", 2, 750),
                    10.0,
                )
            },
            OrderLine {
                product_id: Some("tiramisu".into()),
                unit_discount_amount: 50,
                ..food(line("Tiramisù", "Porzione singola", 1, 450), 10.0)
            },
        ],
        vec![OrderDiscount {
            name: "Sconto pranzo".into(),
            description: Some("Benvenuto nel negozio".into()),
            amount: 200,
        }],
    )?;
    let headphones = NewOrder::parse(
        "demo-1002",
        vec![OrderLine {
            product_id: Some("cuffie-bt".into()),
            ..line("Cuffie Bluetooth", "Over-ear, nere", 1, 4990)
        }],
        Vec::new(),
    )?;
    let fruit = NewOrder::parse(
        "demo-1003",
        vec![food(
            line("Cesto di frutta", "Frutta di stagione, 3 kg", 1, 2490),
            4.0,
        )],
        Vec::new(),
    )?;
    let book = NewOrder::parse(
        "demo-1004",
        vec![OrderLine {
            tax_rate: Some(4.0),
            ..line("Libro di cucina", "Ricette della tradizione", 1, 1890)
        }],
        Vec::new(),
    )?;
    Ok(vec![
        ("demo-mario", lunch),
        ("demo-mario", headphones),
        ("demo-giulia", fruit),
        ("demo-luca", book),
    ])
}

pub async fn seed(db: &dyn Storage) -> anyhow::Result<()> {
    for (store_user_id, order) in demo_orders()? {
        let Some(shopper) = db.shopper_by_store_user_id(store_user_id).await? else {
            continue;
        };
        let store_order_id = order.store_order_id().to_owned();
        if db.create_order(shopper.id, order).await? == CreateOrder::Conflict {
            tracing::warn!(
                store_order_id,
                "a different demo order has this id; kept it"
            );
        }
    }
    Ok(())
}

//! Versioned schema changes. Each runs once, in order, inside a transaction; the database's
//! `user_version` records how many have been applied. Never edit a migration that has shipped:
//! add a new one.

use anyhow::Context;
use rusqlite::{Connection, TransactionBehavior};

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_shoppers",
        include_str!("migrations/0001_shoppers.sql"),
    ),
    ("0002_sandbox", include_str!("migrations/0002_sandbox.sql")),
    (
        "0003_orders_payments",
        include_str!("migrations/0003_orders_payments.sql"),
    ),
    (
        "0004_handovers",
        include_str!("migrations/0004_handovers.sql"),
    ),
    ("0005_outbox", include_str!("migrations/0005_outbox.sql")),
    (
        "0006_demo_store",
        include_str!("migrations/0006_demo_store.sql"),
    ),
    (
        "0007_twin_sandbox_state",
        include_str!("migrations/0007_twin_sandbox_state.sql"),
    ),
    (
        "0008_money_callback_inbox",
        include_str!("migrations/0008_money_callback_inbox.sql"),
    ),
    (
        "0013_money_one_open_payment",
        include_str!("migrations/0013_money_one_open_payment.sql"),
    ),
    (
        "0009_harden_rate_limits",
        include_str!("migrations/0009_harden_rate_limits.sql"),
    ),
    (
        "0011_newcomer_preferred_methods",
        include_str!("migrations/0011_newcomer_preferred_methods.sql"),
    ),
    (
        "0014_shopper_alone_customers",
        include_str!("migrations/0014_shopper_alone_customers.sql"),
    ),
    (
        "0015_shopper_alone_method_setups",
        include_str!("migrations/0015_shopper_alone_method_setups.sql"),
    ),
];

/// Fails unless the database's schema is exactly the one this program knows: an older one was
/// not migrated, a newer one belongs to a newer program.
pub fn check_current(conn: &Connection) -> anyhow::Result<()> {
    let applied: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if applied != MIGRATIONS.len() {
        anyhow::bail!(
            "the database has schema version {applied}, this program expects {}",
            MIGRATIONS.len()
        );
    }
    Ok(())
}

pub fn apply(conn: &mut Connection) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied: usize = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if applied > MIGRATIONS.len() {
        anyhow::bail!(
            "the database has schema version {applied}, newer than this program knows ({}); \
             run a newer version of voucherly-account",
            MIGRATIONS.len()
        );
    }
    for (number, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied) {
        tx.execute_batch(sql)
            .with_context(|| format!("migration {name} failed"))?;
        tx.pragma_update(None, "user_version", number + 1)?;
    }
    tx.commit()?;
    Ok(())
}

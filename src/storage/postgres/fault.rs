//! PostgreSQL's faults told apart from bugs (see `storage::fault`): a server that cannot be
//! reached or is shutting down, a pool with no free connection, a lock held too long.

use tokio_postgres::error::SqlState;

use crate::storage::fault::Fault;

/// The fault behind `error`, if any of its causes is one.
pub fn of(error: &anyhow::Error) -> Option<Fault> {
    error.chain().find_map(|cause| {
        if let Some(pool) = cause.downcast_ref::<deadpool_postgres::PoolError>() {
            return Some(match pool {
                deadpool_postgres::PoolError::Timeout(_) => Fault::Busy,
                _ => Fault::NotWritable,
            });
        }
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(classify)
    })
}

fn classify(error: &tokio_postgres::Error) -> Option<Fault> {
    let Some(code) = error.code() else {
        // No SQL state: the connection itself failed (refused, closed, timed out).
        return error.is_closed().then_some(Fault::NotWritable);
    };
    if [
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::TOO_MANY_CONNECTIONS,
        SqlState::QUERY_CANCELED,
    ]
    .contains(code)
    {
        Some(Fault::Busy)
    } else if [
        SqlState::READ_ONLY_SQL_TRANSACTION,
        SqlState::DISK_FULL,
        SqlState::ADMIN_SHUTDOWN,
        SqlState::CANNOT_CONNECT_NOW,
        SqlState::CRASH_SHUTDOWN,
    ]
    .contains(code)
    {
        Some(Fault::NotWritable)
    } else {
        None
    }
}

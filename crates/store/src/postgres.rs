//! What only PostgreSQL needs: its connection settings.

use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

use crate::Result;

/// Several app servers share one database; each keeps a modest pool.
const MAX_CONNECTIONS: u32 = 10;

/// Opens the pool. The database must exist; the store creates tables, not databases.
pub(crate) async fn connect(url: &str) -> Result<AnyPool> {
    Ok(AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(30))
        .connect(url)
        .await?)
}

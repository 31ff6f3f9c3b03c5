//! The store's integration tests: one suite, run on SQLite and on PostgreSQL.
//!
//! `storetest!(name)` turns `async fn name(db: TestDb)` into `name::sqlite` and
//! `name::postgres`, each on a fresh database (a temporary file; a `tz_test_…` database
//! created on the server named by `TAIZHANG_TEST_POSTGRES` and dropped afterwards).
//! PostgreSQL being unreachable fails the tests, unless `TAIZHANG_SKIP_POSTGRES=1`.

#[macro_use]
mod util;

mod assessment;
mod documents;
mod facts;
mod ledger;
mod open;
mod projects;
mod regions;
mod users;

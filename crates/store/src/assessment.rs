//! Assessment (考核): schemes and saved runs (migration 0008). A scheme's body, a run's
//! inputs and outcome are JSON text that `app` writes and reads; the store keeps them as
//! given. Every write is one transaction that advances the store's generation.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Change, commit_change};
use crate::sql;
use crate::{Error, Generation, Result, Store};

/// A scheme as a user writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewScheme {
    /// Its name; not empty.
    pub name: String,
    /// The year it assesses.
    pub year: Option<i32>,
    /// The scheme as JSON.
    pub body: String,
}

/// A stored scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeRow {
    /// Its id.
    pub id: i64,
    /// Its name, year and body.
    pub scheme: NewScheme,
    /// When it was added (RFC 3339).
    pub created_at: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
}

/// A run to save: the scheme as it was, the inputs and the outcome, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRun {
    /// The scheme run.
    pub scheme_id: i64,
    /// A label (`2026年第一季度`); may be empty.
    pub label: String,
    /// The scheme's body at the time.
    pub scheme: String,
    /// The inputs.
    pub inputs: String,
    /// The outcome.
    pub outcome: String,
}

/// A saved run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    /// Its id.
    pub id: i64,
    /// What was saved.
    pub run: NewRun,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A part of a scheme's row a change replaces.
#[derive(Debug, Clone, Copy)]
enum Part {
    Body,
    Inputs,
}

const SCHEME_COLUMNS: &str = "id, name, year, body, created_at, updated_at";
const RUN_COLUMNS: &str = "id, scheme_id, label, scheme, inputs, outcome, created_at";

impl Store {
    /// Adds a scheme; returns its id and the generation.
    pub async fn add_scheme(
        &self,
        scheme: &NewScheme,
        change: &Change,
    ) -> Result<(i64, Generation)> {
        check_scheme(scheme)?;
        let now = sql::now();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO schemes (name, year, body, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(scheme.name.trim())
        .bind(scheme.year.map(i64::from))
        .bind(scheme.body.as_str())
        .bind(now.as_str())
        .bind(now.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        let generation = commit_change(tx, change, &[id]).await?;
        Ok((id, generation))
    }

    /// Replaces scheme `id`. [`Error::NotFound`] if there is none. Its saved runs keep the
    /// scheme they were run with.
    pub async fn update_scheme<F>(
        &self,
        id: i64,
        scheme: &NewScheme,
        change: F,
    ) -> Result<Generation>
    where
        F: FnOnce(&str) -> Change + Send,
    {
        check_scheme(scheme)?;
        let mut tx = self.begin_write().await?;
        let before = self.scheme_for_write(&mut tx, id, Part::Body).await?;
        sqlx::query(
            "UPDATE schemes SET name = $1, year = $2, body = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(scheme.name.trim())
        .bind(scheme.year.map(i64::from))
        .bind(scheme.body.as_str())
        .bind(sql::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        commit_change(tx, &change(&before), &[id]).await
    }

    /// The inputs entered by hand for scheme `id`, as JSON (`[]` until some are set);
    /// `None` if there is no such scheme.
    pub async fn scheme_inputs(&self, id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT inputs FROM schemes WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Replaces the inputs entered by hand for scheme `id` with `json`, which the store
    /// keeps as given. [`Error::NotFound`] if there is no such scheme.
    pub async fn set_scheme_inputs<F>(&self, id: i64, json: &str, change: F) -> Result<Generation>
    where
        F: FnOnce(&str) -> Change + Send,
    {
        let mut tx = self.begin_write().await?;
        let before = self.scheme_for_write(&mut tx, id, Part::Inputs).await?;
        sqlx::query("UPDATE schemes SET inputs = $1 WHERE id = $2")
            .bind(json)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_change(tx, &change(&before), &[id]).await
    }

    /// Deletes scheme `id` and its saved runs. [`Error::NotFound`] if there is none.
    pub async fn delete_scheme<F>(&self, id: i64, change: F) -> Result<Generation>
    where
        F: FnOnce(&str) -> Change + Send,
    {
        let mut tx = self.begin_write().await?;
        let before = self.scheme_for_write(&mut tx, id, Part::Body).await?;
        // The children first, explicitly: ON DELETE CASCADE works on SQLite only while
        // `foreign_keys` is on.
        sqlx::query("DELETE FROM assessment_runs WHERE scheme_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM schemes WHERE id = $1").bind(id).execute(&mut *tx).await?;
        commit_change(tx, &change(&before), &[id]).await
    }

    /// Part of scheme `id` as a write finds it, in the write's own transaction (the row
    /// locked on PostgreSQL), so that the change it records has what it replaces as its
    /// "before". [`Error::NotFound`] if there is no such scheme.
    async fn scheme_for_write(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: i64,
        part: Part,
    ) -> Result<String> {
        let column = match part {
            Part::Body => "body",
            Part::Inputs => "inputs",
        };
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let sql = format!("SELECT {column} FROM schemes WHERE id = $1{lock}");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
        match row {
            Some(r) => Ok(r.try_get(0)?),
            None => Err(scheme_not_found(id)),
        }
    }

    /// Scheme `id`, or `None`.
    pub async fn scheme(&self, id: i64) -> Result<Option<SchemeRow>> {
        let sql = format!("SELECT {SCHEME_COLUMNS} FROM schemes WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(scheme_row).transpose()
    }

    /// Every scheme: the latest year first (schemes without a year last), then by name and
    /// id.
    pub async fn schemes(&self) -> Result<Vec<SchemeRow>> {
        let sql = format!(
            "SELECT {SCHEME_COLUMNS} FROM schemes \
             ORDER BY CASE WHEN year IS NULL THEN 1 ELSE 0 END, year DESC, name, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(scheme_row).collect()
    }

    /// Saves a run of scheme `run.scheme_id`. [`Error::NotFound`] if there is no such
    /// scheme.
    pub async fn add_run(&self, run: &NewRun, change: &Change) -> Result<(i64, Generation)> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM schemes WHERE id = $1")
            .bind(run.scheme_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(scheme_not_found(run.scheme_id));
        }
        let row = sqlx::query(
            "INSERT INTO assessment_runs (scheme_id, label, scheme, inputs, outcome, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(run.scheme_id)
        .bind(run.label.trim())
        .bind(run.scheme.as_str())
        .bind(run.inputs.as_str())
        .bind(run.outcome.as_str())
        .bind(sql::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        let generation = commit_change(tx, change, &[id]).await?;
        Ok((id, generation))
    }

    /// Run `id`, or `None`.
    pub async fn run(&self, id: i64) -> Result<Option<RunRow>> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM assessment_runs WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(run_row).transpose()
    }

    /// The saved runs of scheme `scheme_id`, latest first.
    pub async fn runs(&self, scheme_id: i64) -> Result<Vec<RunRow>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM assessment_runs WHERE scheme_id = $1 ORDER BY id DESC"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(scheme_id).fetch_all(&self.pool).await?;
        rows.iter().map(run_row).collect()
    }
}

fn scheme_not_found(id: i64) -> Error {
    Error::NotFound { what: "scheme", id: id.to_string() }
}

fn check_scheme(scheme: &NewScheme) -> Result<()> {
    if scheme.name.trim().is_empty() {
        return Err(Error::Invalid { what: "name", reason: "a scheme needs a name".into() });
    }
    Ok(())
}

fn scheme_row(r: &AnyRow) -> Result<SchemeRow> {
    let year: Option<i64> = r.try_get(2)?;
    let year = year
        .map(|y| i32::try_from(y).map_err(|_| Error::corrupt(format!("scheme year {y}"))))
        .transpose()?;
    Ok(SchemeRow {
        id: r.try_get(0)?,
        scheme: NewScheme { name: r.try_get(1)?, year, body: r.try_get(3)? },
        created_at: r.try_get(4)?,
        updated_at: r.try_get(5)?,
    })
}

fn run_row(r: &AnyRow) -> Result<RunRow> {
    Ok(RunRow {
        id: r.try_get(0)?,
        run: NewRun {
            scheme_id: r.try_get(1)?,
            label: r.try_get(2)?,
            scheme: r.try_get(3)?,
            inputs: r.try_get(4)?,
            outcome: r.try_get(5)?,
        },
        created_at: r.try_get(6)?,
    })
}

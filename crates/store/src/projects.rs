//! Named projects (项目) across documents, the rows the project library is built from.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use taizhang_extract::{Project, ProjectCategory, Stage};

use crate::audit::{AuditOutcome, Change, commit_change, record};
use crate::documents::like_prefix;
use crate::sql::{self, Where};
use crate::{
    Error, Generation, ProjectEntry, ProjectFilter, ProjectOverride, ProjectRow, Result, Store,
};

/// The columns every project query reads, over `projects p` joined to `documents d`.
const COLUMNS: &str = "p.document_id, d.title, d.year, d.date, p.ord, p.region_code, r.name, \
     p.name, p.category, p.capacity, p.investment, p.stage, p.year, p.start, p.\"end\", \
     p.sentence_start, p.sentence_end, p.sentence, p.section_ord";

impl Store {
    /// Projects matching `filter`, by region, name and then document order.
    pub async fn projects(&self, filter: &ProjectFilter) -> Result<Vec<ProjectRow>> {
        let mut w = Where::default();
        w.and("p.region_code = $?", filter.region_code.as_deref())?;
        w.and("p.region_code LIKE $?", filter.region_prefix.as_deref().map(like_prefix))?;
        w.and("p.stage = $?", filter.stage.map(Stage::as_str))?;
        w.and("p.category = $?", filter.category.map(ProjectCategory::as_str))?;
        w.and("p.year = $?", filter.year.map(i64::from))?;
        w.and("p.document_id = $?", filter.document_id)?;
        let sql = format!(
            "SELECT {COLUMNS} FROM projects p JOIN documents d ON d.id = p.document_id \
             LEFT JOIN regions r ON r.code = p.region_code{} \
             ORDER BY p.region_code, p.name, p.document_id, p.ord",
            w.sql()
        );
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter().map(project_row).collect()
    }

    /// The projects of document `id`, in document order.
    pub(crate) async fn document_projects(&self, id: i64) -> Result<Vec<Project>> {
        let filter = ProjectFilter { document_id: Some(id), ..ProjectFilter::default() };
        let mut rows = self.projects(&filter).await?;
        rows.sort_by_key(|r| r.ord);
        Ok(rows.into_iter().map(|r| r.project).collect())
    }
}

impl Store {
    /// Every stage set by hand, by region and name.
    pub async fn project_overrides(&self) -> Result<Vec<ProjectOverride>> {
        let rows = sqlx::query(
            "SELECT region_code, name_key, stage, note, updated_at FROM project_overrides \
             ORDER BY region_code, name_key",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let region: String = r.try_get(0)?;
                Ok(ProjectOverride {
                    region_code: (!region.is_empty()).then_some(region),
                    name_key: r.try_get(1)?,
                    stage: r.try_get(2)?,
                    note: r.try_get(3)?,
                    updated_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Sets the stage of one project by hand, replacing what was set before; its
    /// `updated_at` is now.
    pub async fn set_project_override(
        &self,
        o: &ProjectOverride,
        change: &Change,
    ) -> Result<Generation> {
        if o.name_key.is_empty() || o.stage.is_empty() {
            return Err(Error::Invalid {
                what: "project stage",
                reason: "a project and a stage are required".into(),
            });
        }
        let mut tx = self.begin_write().await?;
        upsert_override(&mut tx, o, &sql::now()).await?;
        let generation = commit_change(tx, change, &[]).await?;
        Ok(generation)
    }

    /// Removes the stage set by hand for one project, if any, so that its documents decide
    /// again.
    pub async fn clear_project_override(
        &self,
        region_code: Option<&str>,
        name_key: &str,
        change: &Change,
    ) -> Result<Generation> {
        let mut tx = self.begin_write().await?;
        delete_override(&mut tx, region_code, name_key).await?;
        commit_change(tx, change, &[]).await
    }
}

impl Store {
    /// The projects entered by hand, by region and name; with `region_prefix`, those of the
    /// regions whose code starts with it.
    pub async fn project_entries(&self, region_prefix: Option<&str>) -> Result<Vec<ProjectEntry>> {
        let mut w = Where::default();
        w.and("e.region_code LIKE $?", region_prefix.map(like_prefix))?;
        let sql = format!(
            "SELECT e.region_code, r.name, e.name_key, e.name, e.category, e.capacity, \
             e.investment, e.prospect, e.note, e.updated_at FROM project_entries e \
             LEFT JOIN regions r ON r.code = e.region_code{} ORDER BY e.region_code, e.name_key",
            w.sql()
        );
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let region: String = r.try_get(0)?;
                let category: String = r.try_get(4)?;
                let prospect: i64 = r.try_get(7)?;
                Ok(ProjectEntry {
                    region_code: (!region.is_empty()).then_some(region),
                    region_name: r.try_get(1)?,
                    name_key: r.try_get(2)?,
                    name: r.try_get(3)?,
                    category: ProjectCategory::parse(&category).ok_or_else(|| {
                        Error::corrupt(format!("unknown project category {category:?}"))
                    })?,
                    capacity: r.try_get(5)?,
                    investment: r.try_get(6)?,
                    prospect: prospect != 0,
                    note: r.try_get(8)?,
                    updated_at: r.try_get(9)?,
                })
            })
            .collect()
    }

    /// Writes projects entered by hand and stages set by hand in one transaction (an
    /// imported sheet): each replaces what was stored for its project. All or nothing.
    /// `change` is the whole write's entry in the audit log, `each` one per project.
    pub async fn put_project_entries(
        &self,
        entries: &[ProjectEntry],
        overrides: &[ProjectOverride],
        change: &Change,
        each: &[Change],
    ) -> Result<Generation> {
        for e in entries {
            if e.name_key.is_empty() || e.name.trim().is_empty() {
                return Err(Error::Invalid {
                    what: "project entry",
                    reason: "a project needs a name".into(),
                });
            }
        }
        if overrides.iter().any(|o| o.name_key.is_empty() || o.stage.is_empty()) {
            return Err(Error::Invalid {
                what: "project stage",
                reason: "a project and a stage are required".into(),
            });
        }
        let now = sql::now();
        let mut tx = self.begin_write().await?;
        for e in entries {
            sqlx::query(
                "INSERT INTO project_entries (region_code, name_key, name, category, capacity, \
                 investment, prospect, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (region_code, name_key) DO UPDATE SET name = excluded.name, \
                 category = excluded.category, capacity = excluded.capacity, \
                 investment = excluded.investment, prospect = excluded.prospect, \
                 note = excluded.note, updated_at = excluded.updated_at",
            )
            .bind(e.region_code.as_deref().unwrap_or(""))
            .bind(&e.name_key)
            .bind(e.name.trim())
            .bind(e.category.as_str())
            .bind(e.capacity.as_deref())
            .bind(e.investment.as_deref())
            .bind(i64::from(e.prospect))
            .bind(&e.note)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        for o in overrides {
            upsert_override(&mut tx, o, &now).await?;
        }
        for c in each {
            record(&mut tx, c, AuditOutcome::Done, &[]).await?;
        }
        commit_change(tx, change, &[]).await
    }

    /// Removes a project entered by hand, with the stage set by hand for it, if any.
    /// [`Error::NotFound`] when there is no such entry.
    pub async fn delete_project_entry(
        &self,
        region_code: Option<&str>,
        name_key: &str,
        change: &Change,
    ) -> Result<Generation> {
        let mut tx = self.begin_write().await?;
        let gone =
            sqlx::query("DELETE FROM project_entries WHERE region_code = $1 AND name_key = $2")
                .bind(region_code.unwrap_or(""))
                .bind(name_key)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if gone == 0 {
            return Err(Error::NotFound { what: "project entry", id: name_key.to_owned() });
        }
        delete_override(&mut tx, region_code, name_key).await?;
        commit_change(tx, change, &[]).await
    }
}

/// Removes the stage set by hand for one project, if any.
async fn delete_override(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    region_code: Option<&str>,
    name_key: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM project_overrides WHERE region_code = $1 AND name_key = $2")
        .bind(region_code.unwrap_or(""))
        .bind(name_key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inserts or replaces the stage set by hand for one project.
async fn upsert_override(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    o: &ProjectOverride,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO project_overrides (region_code, name_key, stage, note, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (region_code, name_key) DO UPDATE \
         SET stage = excluded.stage, note = excluded.note, updated_at = excluded.updated_at",
    )
    .bind(o.region_code.as_deref().unwrap_or(""))
    .bind(&o.name_key)
    .bind(&o.stage)
    .bind(&o.note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn project_row(row: &AnyRow) -> Result<ProjectRow> {
    let category: String = row.try_get(8)?;
    let stage: Option<String> = row.try_get(11)?;
    Ok(ProjectRow {
        document_id: row.try_get(0)?,
        document_title: row.try_get(1)?,
        document_year: sql::opt_i32(row, 2)?,
        document_date: row.try_get(3)?,
        ord: sql::uint(row, 4)?,
        region_code: row.try_get(5)?,
        region_name: row.try_get(6)?,
        sentence: row.try_get(17)?,
        project: Project {
            name: row.try_get(7)?,
            category: ProjectCategory::parse(&category)
                .ok_or_else(|| Error::corrupt(format!("unknown project category {category:?}")))?,
            capacity: row.try_get(9)?,
            investment: row.try_get(10)?,
            stage: stage
                .map(|s| {
                    Stage::parse(&s).ok_or_else(|| Error::corrupt(format!("unknown stage {s:?}")))
                })
                .transpose()?,
            year: sql::opt_i32(row, 12)?,
            start: sql::uint(row, 13)?,
            end: sql::uint(row, 14)?,
            sentence: (sql::uint(row, 15)?, sql::uint(row, 16)?),
            section: sql::opt_uint(row, 18)?,
        },
    })
}

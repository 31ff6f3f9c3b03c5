//! Named projects (项目) across documents, the rows the project library is built from.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use taizhang_extract::{Project, ProjectCategory, Stage};

use crate::audit::{Change, commit_change};
use crate::documents::like_prefix;
use crate::sql::{self, Where};
use crate::{Error, Generation, ProjectFilter, ProjectOverride, ProjectRow, Result, Store};

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
        sqlx::query(
            "INSERT INTO project_overrides (region_code, name_key, stage, note, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (region_code, name_key) DO UPDATE \
             SET stage = excluded.stage, note = excluded.note, updated_at = excluded.updated_at",
        )
        .bind(o.region_code.as_deref().unwrap_or(""))
        .bind(&o.name_key)
        .bind(&o.stage)
        .bind(&o.note)
        .bind(sql::now())
        .execute(&mut *tx)
        .await?;
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
        sqlx::query("DELETE FROM project_overrides WHERE region_code = $1 AND name_key = $2")
            .bind(region_code.unwrap_or(""))
            .bind(name_key)
            .execute(&mut *tx)
            .await?;
        let generation = commit_change(tx, change, &[]).await?;
        Ok(generation)
    }
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

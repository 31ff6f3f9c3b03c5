//! The region gazetteer (行政区), copied from the extractor so that documents and facts can
//! be filtered and joined by region inside the database.

use sqlx::Row;
use sqlx::any::AnyRow;
use taizhang_extract::{Level, region};

use crate::sql::{self, Binder, insert_rows};
use crate::{Error, RegionRow, Result, Store};

const COLUMNS: &str = "code, name, level, parent_code";

impl Store {
    /// Copies the extractor's gazetteer into `regions` when the table has fewer rows than
    /// the gazetteer: on first open, and after an upgrade that added regions. Rows are
    /// upserted, so running it twice, or on two servers at once, is harmless.
    pub(crate) async fn load_regions(&self) -> Result<()> {
        let stored: i64 =
            sqlx::query("SELECT COUNT(*) FROM regions").fetch_one(&self.pool).await?.try_get(0)?;
        let mut all: Vec<region::Region> = region::all().collect();
        if usize::try_from(stored).is_ok_and(|n| n >= all.len()) {
            return Ok(());
        }
        // Parents first: a row's parent must exist when the statement that adds it ends.
        all.sort_by_key(|r| {
            let depth = match r.level() {
                Level::Province => 0,
                Level::Prefecture => 1,
                Level::County => 2,
            };
            (depth, r.code())
        });
        let mut tx = self.begin_write().await?;
        insert_rows(
            &mut tx,
            self.backend,
            "INSERT INTO regions (code, name, level, parent_code)",
            4,
            &all,
            |b: &mut Binder, r| {
                b.add(r.code())?
                    .add(r.name())?
                    .add(sql::level_str(r.level()))?
                    .add(r.parent().map(|p| p.code()))?;
                Ok(())
            },
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
             parent_code = excluded.parent_code",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every region, ordered by code.
    pub async fn regions(&self) -> Result<Vec<RegionRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM regions ORDER BY code"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(region_row).collect()
    }

    /// The region with this code.
    pub async fn region(&self, code: &str) -> Result<Option<RegionRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM regions WHERE code = $1"
        )))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(region_row).transpose()
    }

    /// The region a person means by `name_or_code`: the region with that code; else the
    /// one region with exactly that name; else the one region whose name starts with it
    /// (`遵义` → `遵义市`). `None` when nothing matches; [`Error::AmbiguousRegion`] when
    /// several regions do (`朝阳区`).
    pub async fn find_region(&self, name_or_code: &str) -> Result<Option<RegionRow>> {
        let name_or_code = name_or_code.trim();
        if name_or_code.is_empty() {
            return Ok(None);
        }
        if let Some(region) = self.region(name_or_code).await? {
            return Ok(Some(region));
        }
        let exact = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM regions WHERE name = $1 ORDER BY code"
        )))
        .bind(name_or_code)
        .fetch_all(&self.pool)
        .await?;
        let rows = if exact.is_empty() {
            // Names hold no LIKE metacharacters; a query holding one finds nothing useful,
            // so escape it away by refusing it.
            if name_or_code.contains(['%', '_', '\\']) {
                return Ok(None);
            }
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM regions WHERE name LIKE $1 ORDER BY code"
            )))
            .bind(format!("{name_or_code}%"))
            .fetch_all(&self.pool)
            .await?
        } else {
            exact
        };
        match rows.as_slice() {
            [] => Ok(None),
            [one] => region_row(one).map(Some),
            many => Err(Error::AmbiguousRegion {
                name: name_or_code.to_owned(),
                candidates: many
                    .iter()
                    .map(|r| r.try_get::<String, _>(0))
                    .collect::<Result<_, _>>()?,
            }),
        }
    }
}

fn region_row(row: &AnyRow) -> Result<RegionRow> {
    let level: String = row.try_get(2)?;
    Ok(RegionRow {
        code: row.try_get(0)?,
        name: row.try_get(1)?,
        level: sql::level(&level)?,
        parent_code: row.try_get(3)?,
    })
}

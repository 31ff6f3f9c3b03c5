//! Facts across documents, filtered for comparison and benchmarking.

use sqlx::{AssertSqlSafe, Row};
use taizhang_extract::Fact;

use crate::sql::{self, Where};
use crate::{FactFilter, FactRow, Result, Store};

impl Store {
    /// Facts matching `filter`, ordered by document and then by position in the text.
    pub async fn facts(&self, filter: &FactFilter) -> Result<Vec<FactRow>> {
        let mut w = Where::default();
        w.and("f.document_id = $?", filter.document_id)?;
        w.and("f.region_code = $?", filter.region_code.as_deref())?;
        w.and(
            "f.region_code LIKE $?",
            filter.region_prefix.as_deref().map(crate::documents::like_prefix),
        )?;
        w.and("f.indicator_key = $?", filter.indicator_key.as_deref())?;
        w.and("f.year = $?", filter.year.map(i64::from))?;
        w.and("f.kind = $?", filter.kind.map(|k| k.as_str()))?;
        let page = w.page(filter.limit, filter.offset)?;
        let sql = format!(
            "SELECT f.id, f.document_id, d.title, f.ord, f.region_code, r.name, \
             f.start, f.\"end\", f.number, f.value, f.value_max, f.unit, f.indicator, \
             f.indicator_key, f.measure, f.kind, f.qualifier, f.year, f.section_ord \
             FROM facts f JOIN documents d ON d.id = f.document_id \
             LEFT JOIN regions r ON r.code = f.region_code{} \
             ORDER BY f.document_id, f.ord{page}",
            w.sql()
        );
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let measure: String = row.try_get(14)?;
                let kind: String = row.try_get(15)?;
                let qualifier: String = row.try_get(16)?;
                Ok(FactRow {
                    id: row.try_get(0)?,
                    document_id: row.try_get(1)?,
                    document_title: row.try_get(2)?,
                    ord: sql::uint(row, 3)?,
                    region_code: row.try_get(4)?,
                    region_name: row.try_get(5)?,
                    fact: Fact {
                        start: sql::uint(row, 6)?,
                        end: sql::uint(row, 7)?,
                        number: row.try_get(8)?,
                        value: row.try_get(9)?,
                        value_max: row.try_get(10)?,
                        unit: row.try_get(11)?,
                        indicator: row.try_get(12)?,
                        indicator_key: row.try_get(13)?,
                        measure: sql::measure(&measure)?,
                        kind: sql::kind(&kind)?,
                        qualifier: sql::qualifier(&qualifier)?,
                        year: sql::opt_i32(row, 17)?,
                        section: sql::opt_uint(row, 18)?,
                    },
                })
            })
            .collect()
    }
}

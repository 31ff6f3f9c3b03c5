//! Facts across documents, filtered for comparison and benchmarking.

use sqlx::{AssertSqlSafe, Row};
use taizhang_extract::Fact;

use crate::sql::{self, Where};
use crate::{Facet, FactFacets, FactFilter, FactRow, FactSort, Result, Store};

impl Store {
    /// Facts matching `filter`, in its order (by default by document and then by position
    /// in the text), one page of them when it has a limit.
    pub async fn facts(&self, filter: &FactFilter) -> Result<Vec<FactRow>> {
        if filter.sort != FactSort::Indicator {
            let order = order_by(filter.sort, filter.descending);
            return self.fact_page(filter, None, &order, filter.limit, filter.offset).await;
        }
        // By indicator: the facts with a key by key, then those without; both in document
        // order within. Each part walks the index on (indicator_key, document_id, ord) and
        // stops at the page's end, where one `ORDER BY indicator_key IS NULL, …` would sort
        // every fact first (missing keys come first in SQLite's order and last in
        // PostgreSQL's, so no single index order serves both backends).
        let order = order_by(filter.sort, filter.descending);
        let keyed = "f.indicator_key IS NOT NULL";
        let mut rows =
            self.fact_page(filter, Some(keyed), &order, filter.limit, filter.offset).await?;
        let wanted = filter.limit.map(|n| n as usize);
        if wanted.is_some_and(|n| rows.len() >= n) {
            return Ok(rows);
        }
        // The page reaches past the facts with a key; how many there are says where in
        // the rest it starts.
        let n_keyed = match rows.len() {
            0 if filter.offset > 0 => self.count_where(filter, Some(keyed)).await?,
            n => i64::from(filter.offset) + sql::int(n)?,
        };
        let offset = u32::try_from((i64::from(filter.offset) - n_keyed).max(0)).unwrap_or(0);
        let limit = wanted.map(|n| u32::try_from(n - rows.len()).unwrap_or(u32::MAX));
        let order = order_by(FactSort::Document, filter.descending);
        rows.extend(
            self.fact_page(filter, Some("f.indicator_key IS NULL"), &order, limit, offset).await?,
        );
        Ok(rows)
    }

    /// One page of the facts matching `filter` and `also`, in `order`.
    async fn fact_page(
        &self,
        filter: &FactFilter,
        also: Option<&str>,
        order: &str,
        limit: Option<u32>,
        offset: u32,
    ) -> Result<Vec<FactRow>> {
        let mut w = fact_where(filter, Regions::ByDocument)?;
        if let Some(condition) = also {
            w.and_all(condition, Vec::<i64>::new())?;
        }
        let page = w.page(limit, offset)?;
        // Sort and page the facts alone, then join the page's documents and regions: the
        // join then runs for one page of rows, not for every row that the sort reads.
        let sql = format!(
            "SELECT f.id, f.document_id, d.title, f.ord, f.region_code, r.name, \
             f.start, f.\"end\", f.number, f.value, f.value_max, f.unit, f.indicator, \
             f.indicator_key, f.measure, f.kind, f.qualifier, f.year, f.section_ord \
             FROM (SELECT * FROM facts f{} ORDER BY {order}{page}) f \
             JOIN documents d ON d.id = f.document_id \
             LEFT JOIN regions r ON r.code = f.region_code \
             ORDER BY {order}",
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

    /// How many facts match `filter`, whatever its limit and offset.
    pub async fn fact_count(&self, filter: &FactFilter) -> Result<i64> {
        self.count_where(filter, None).await
    }

    /// How many facts match `filter` and `also`.
    async fn count_where(&self, filter: &FactFilter, also: Option<&str>) -> Result<i64> {
        let mut w = fact_where(filter, Regions::ByFact)?;
        if let Some(condition) = also {
            w.and_all(condition, Vec::<i64>::new())?;
        }
        let sql = format!("SELECT COUNT(*) FROM facts f{}", w.sql());
        let row = sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }

    /// The indicators, years and regions the stored facts have, with how many facts have
    /// each: the choices of the ledger's filters.
    pub async fn fact_facets(&self) -> Result<FactFacets> {
        let facets = |sql: &'static str| async move {
            let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
            rows.iter()
                .map(|row| {
                    Ok(Facet {
                        value: row.try_get(0)?,
                        label: row.try_get(1)?,
                        count: row.try_get(2)?,
                    })
                })
                .collect::<Result<Vec<_>>>()
        };
        Ok(FactFacets {
            indicators: facets(
                "SELECT indicator_key, CAST(NULL AS TEXT), COUNT(*) AS n FROM facts \
                 WHERE indicator_key IS NOT NULL GROUP BY indicator_key ORDER BY n DESC, indicator_key",
            )
            .await?,
            years: facets(
                "SELECT CAST(year AS TEXT), CAST(NULL AS TEXT), COUNT(*) FROM facts \
                 WHERE year IS NOT NULL GROUP BY year ORDER BY year DESC",
            )
            .await?,
            regions: facets(
                "SELECT f.region_code, r.name, COUNT(*) FROM facts f \
                 LEFT JOIN regions r ON r.code = f.region_code \
                 WHERE f.region_code IS NOT NULL GROUP BY f.region_code, r.name ORDER BY f.region_code",
            )
            .await?,
        })
    }
}

/// The `WHERE` clause of a fact filter, over `facts f`.
/// How a [`fact_where`] filters by region.
#[derive(Clone, Copy)]
enum Regions {
    /// Through the facts' own region code: an index on (region, kind) counts from the
    /// index alone.
    ByFact,
    /// Through the documents of the region: a page of facts in document order then walks
    /// the (document, position) index and stops at the page's end, where filtering the
    /// facts' codes would gather and sort every fact of the region first.
    ByDocument,
}

fn fact_where(filter: &FactFilter, regions: Regions) -> Result<Where> {
    let mut w = Where::default();
    w.and("f.document_id = $?", filter.document_id)?;
    let (exact, range) = match regions {
        Regions::ByFact => ("f.region_code = $?", "f.region_code >= $? AND f.region_code < $?"),
        Regions::ByDocument => (
            "f.document_id IN (SELECT id FROM documents WHERE region_code = $?)",
            "f.document_id IN \
             (SELECT id FROM documents WHERE region_code >= $? AND region_code < $?)",
        ),
    };
    w.and(exact, filter.region_code.as_deref())?;
    // A prefix as a range, which an index on the code serves on both backends.
    if let Some(prefix) = filter.region_prefix.as_deref() {
        w.and_all(range, vec![prefix.to_owned(), prefix_end(prefix)])?;
    }
    w.and("f.indicator_key = $?", filter.indicator_key.as_deref())?;
    w.and("f.year = $?", filter.year.map(i64::from))?;
    w.and("f.kind = $?", filter.kind.map(|k| k.as_str()))?;
    Ok(w)
}

/// The least string above every string that starts with `prefix` (codes are ASCII digits):
/// `5203` → `5204`, `529` → `52:`.
fn prefix_end(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < 0x7f {
            bytes.push(last + 1);
            return String::from_utf8(bytes).unwrap_or_default();
        }
    }
    "\u{7f}".to_owned()
}

/// The `ORDER BY` list of a sort. Missing values come last either way on both backends
/// (SQLite puts NULL first in ascending order, PostgreSQL last), and ties keep document
/// and text order (reversed too when sorting by indicator, so that the index serves it),
/// so pages never overlap.
fn order_by(sort: FactSort, descending: bool) -> String {
    let dir = if descending { " DESC" } else { "" };
    let key = match sort {
        FactSort::Document => return format!("f.document_id{dir}, f.ord{dir}"),
        FactSort::Year => format!("f.year IS NULL, f.year{dir}"),
        FactSort::Value => format!("f.value{dir}"),
        FactSort::Region => format!("f.region_code IS NULL, f.region_code{dir}"),
        // Of the facts with a key; `Store::facts` puts those without one after them.
        FactSort::Indicator => {
            return format!("f.indicator_key{dir}, f.document_id{dir}, f.ord{dir}");
        }
    };
    format!("{key}, f.document_id, f.ord")
}

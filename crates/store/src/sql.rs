//! Small pieces every query uses: multi-row inserts, optional filters, the text form of
//! the extractor's enums, integers and timestamps.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyConnection, Arguments, AssertSqlSafe, Row};
use taizhang_extract::{DocKind, Kind, Level, Measure, Qualifier};

use crate::{Backend, Error, Result};

/// Rows per multi-row INSERT. 500 facts are 8,000 parameters, well under the limits of
/// SQLite (32,766) and PostgreSQL (65,535), and big enough that round trips stop mattering.
pub(crate) const BATCH_ROWS: usize = 500;

/// Inserts `rows` with as few statements as possible.
///
/// This is the one place where the SQL differs by backend: on SQLite the placeholders are
/// anonymous `?` rather than `$N`, because SQLite finds a numbered parameter by a linear
/// search of the statement's parameter list (when preparing, and again for each
/// `sqlite3_bind_parameter_name` sqlx calls while binding), which made a 300-fact INSERT
/// quadratic: 110 ms instead of 2 ms. Values are bound in order either way.
///
/// `head` is `INSERT INTO t (a, b, c)`; `columns` the number of columns it names; `bind`
/// adds one row's values, exactly `columns` of them; `tail` follows the values (an
/// `ON CONFLICT` clause, or nothing). Full batches reuse one prepared
/// statement; the shorter last one is not cached, so that odd sizes do not evict the
/// statements that matter.
pub(crate) async fn insert_rows<T>(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    columns: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Binder, &T) -> Result<()>,
    tail: &str,
) -> Result<()> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * columns * 7);
        sql.push_str(head);
        sql.push_str(" VALUES ");
        let mut n = 0;
        for row in 0..chunk.len() {
            if row > 0 {
                sql.push(',');
            }
            sql.push('(');
            for column in 0..columns {
                if column > 0 {
                    sql.push(',');
                }
                n += 1;
                match backend {
                    Backend::Sqlite => sql.push('?'),
                    // Writing to a String cannot fail.
                    Backend::Postgres => _ = write!(sql, "${n}"),
                }
            }
            sql.push(')');
        }
        sql.push_str(tail);
        let mut binder = Binder::default();
        for row in chunk {
            bind(&mut binder, row)?;
        }
        debug_assert_eq!(binder.count, n, "a row binds exactly `columns` values");
        sqlx::query_with(AssertSqlSafe(sql), binder.args)
            .persistent(chunk.len() == BATCH_ROWS)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Arguments for a statement, added in `$N` order.
#[derive(Default)]
pub(crate) struct Binder {
    pub(crate) args: AnyArguments,
    count: usize,
}

impl Binder {
    /// Adds the next argument.
    pub(crate) fn add<'t, T>(&mut self, value: T) -> Result<&mut Self>
    where
        T: sqlx::Encode<'t, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.args.add(value).map_err(|e| Error::Database(sqlx::Error::Encode(e)))?;
        self.count += 1;
        Ok(self)
    }

    /// The number of the argument added next, for its `$N`.
    pub(crate) fn next(&self) -> usize {
        self.count + 1
    }
}

/// A `WHERE` clause of the filters that are set, with their arguments.
#[derive(Default)]
pub(crate) struct Where {
    sql: String,
    pub(crate) binder: Binder,
}

impl Where {
    /// Adds `condition` when `value` is set; `$?` in it stands for the value's placeholder.
    pub(crate) fn and<'t, T>(&mut self, condition: &str, value: Option<T>) -> Result<()>
    where
        T: sqlx::Encode<'t, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        let Some(value) = value else { return Ok(()) };
        self.sql.push_str(if self.sql.is_empty() { " WHERE " } else { " AND " });
        let placeholder = format!("${}", self.binder.next());
        self.sql.push_str(&condition.replace("$?", &placeholder));
        self.binder.add(value)?;
        Ok(())
    }

    /// Adds `condition`, whose `$?`s stand for `values` in order.
    pub(crate) fn and_all<'t, T>(&mut self, condition: &str, values: Vec<T>) -> Result<()>
    where
        T: sqlx::Encode<'t, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.sql.push_str(if self.sql.is_empty() { " WHERE " } else { " AND " });
        let mut parts = condition.split("$?");
        self.sql.push_str(parts.next().unwrap_or(""));
        for (value, part) in values.into_iter().zip(parts) {
            self.sql.push_str(&format!("${}", self.binder.next()));
            self.sql.push_str(part);
            self.binder.add(value)?;
        }
        Ok(())
    }

    /// Binds a page and returns its ` LIMIT $n OFFSET $m`, which goes after `ORDER BY`.
    pub(crate) fn page(&mut self, limit: Option<u32>, offset: u32) -> Result<String> {
        let n = self.binder.next();
        self.binder.add(limit.map_or(i64::MAX, i64::from))?;
        self.binder.add(i64::from(offset))?;
        Ok(format!(" LIMIT ${n} OFFSET ${}", n + 1))
    }

    /// The clause, empty when no filter is set.
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }
}

/// `usize` → `i64` for binding.
pub(crate) fn int(n: usize) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::corrupt(format!("{n} does not fit a 64-bit integer")))
}

/// A stored integer back to `usize`.
pub(crate) fn uint(row: &AnyRow, column: usize) -> Result<usize> {
    let n: i64 = row.try_get(column)?;
    usize::try_from(n).map_err(|_| Error::corrupt(format!("negative offset or count {n}")))
}

/// An optional stored integer back to `usize`.
pub(crate) fn opt_uint(row: &AnyRow, column: usize) -> Result<Option<usize>> {
    let n: Option<i64> = row.try_get(column)?;
    n.map(|n| usize::try_from(n).map_err(|_| Error::corrupt(format!("negative index {n}"))))
        .transpose()
}

/// An optional stored year back to `i32`.
pub(crate) fn opt_i32(row: &AnyRow, column: usize) -> Result<Option<i32>> {
    let n: Option<i64> = row.try_get(column)?;
    n.map(|n| i32::try_from(n).map_err(|_| Error::corrupt(format!("year {n} out of range"))))
        .transpose()
}

/// The names enums are stored by; the same as their JSON names.
pub(crate) fn doc_kind_str(kind: DocKind) -> &'static str {
    kind.as_str()
}

pub(crate) fn doc_kind(s: &str) -> Result<DocKind> {
    Ok(match s {
        "plan_proposal" => DocKind::PlanProposal,
        "plan_outline" => DocKind::PlanOutline,
        "decision" => DocKind::Decision,
        "work_report" => DocKind::WorkReport,
        "action_plan" => DocKind::ActionPlan,
        "press_release" => DocKind::PressRelease,
        "other" => DocKind::Other,
        _ => return Err(Error::corrupt(format!("unknown document kind {s:?}"))),
    })
}

pub(crate) fn level_str(level: Level) -> &'static str {
    match level {
        Level::Province => "province",
        Level::Prefecture => "prefecture",
        Level::County => "county",
    }
}

pub(crate) fn level(s: &str) -> Result<Level> {
    Ok(match s {
        "province" => Level::Province,
        "prefecture" => Level::Prefecture,
        "county" => Level::County,
        _ => return Err(Error::corrupt(format!("unknown region level {s:?}"))),
    })
}

pub(crate) fn measure(s: &str) -> Result<Measure> {
    Ok(match s {
        "growth" => Measure::Growth,
        "level" => Measure::Level,
        _ => return Err(Error::corrupt(format!("unknown measure {s:?}"))),
    })
}

pub(crate) fn kind(s: &str) -> Result<Kind> {
    Ok(match s {
        "target" => Kind::Target,
        "actual" => Kind::Actual,
        _ => return Err(Error::corrupt(format!("unknown fact kind {s:?}"))),
    })
}

pub(crate) fn qualifier(s: &str) -> Result<Qualifier> {
    Ok(match s {
        "exact" => Qualifier::Exact,
        "approx" => Qualifier::Approx,
        "at_least" => Qualifier::AtLeast,
        "at_most" => Qualifier::AtMost,
        _ => return Err(Error::corrupt(format!("unknown qualifier {s:?}"))),
    })
}

/// Now as RFC 3339 UTC with microseconds: `2026-11-25T15:35:00.123456Z`. Fixed width, so
/// the text sorts as the time does.
pub(crate) fn now() -> String {
    timestamp(SystemTime::now())
}

/// `time` as the store writes times: RFC 3339 UTC with microseconds,
/// `2026-11-25T15:35:00.123456Z`. Fixed width, so the text sorts as the time does.
pub fn timestamp(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    rfc3339(since.as_secs(), since.subsec_micros())
}

fn rfc3339(secs: u64, micros: u32) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(rfc3339(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(rfc3339(1_795_620_900, 123_456), "2026-11-25T15:35:00.123456Z");
    }
}

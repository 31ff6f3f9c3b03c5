//! 对标: one indicator across regions and years, from each region's own documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use taizhang_app::App;
use taizhang_extract::score::base_unit;
use taizhang_store::{FactFilter, FactRow};

use crate::ApiError;
use crate::dto::{
    CompareCell, CompareQuery, CompareRow, Comparison, fact_kind, given, region_prefix,
};
use crate::labels;

/// The most facts a comparison reads.
const MAX_FACTS: u32 = 50_000;

/// Builds the comparison the query asks for, with each region's fulfilment.
pub(crate) async fn compare(app: &App, q: &CompareQuery) -> Result<Comparison, ApiError> {
    let store = app.store();
    let Some(indicator) = given(&q.indicator) else {
        return Err(ApiError::bad_request("bad_query", "indicator is required (gdp_growth …)"));
    };
    let prefix = region_prefix(store, &q.region).await?;
    let filter = FactFilter {
        indicator_key: Some(indicator.to_owned()),
        kind: fact_kind(&q.kind)?,
        region_prefix: prefix.clone(),
        limit: Some(MAX_FACTS),
        ..FactFilter::default()
    };
    let rows = store.facts(&filter).await?;
    let mut c = tabulate(indicator, rows);
    let linked = app.track_regions(indicator, prefix.as_deref(), &app.tolerances().await?).await?;
    for cell in &mut c.cells {
        let year = linked
            .iter()
            .filter(|l| cell.region_code.as_deref() == Some(l.region_code.as_str()))
            .flat_map(|l| &l.years)
            .find(|y| y.year == cell.year);
        if let Some(y) = year {
            cell.status = Some(y.status.as_str());
            cell.status_label = Some(y.status.label());
            cell.reason.clone_from(&y.reason);
        }
    }
    Ok(c)
}

/// Puts facts into cells, one per region, year and kind. Values are converted to the unit
/// most of them are written in (万元 and 亿元 compare once both are in 亿元); a fact whose
/// unit cannot be converted (a share among amounts) is left out. Where several documents
/// state a cell, the latest stored one is shown and the count of sources kept.
pub(crate) fn tabulate(indicator: &str, rows: Vec<FactRow>) -> Comparison {
    let mut unit_counts: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        *unit_counts.entry(r.fact.unit.as_str()).or_default() += 1;
    }
    let unit = unit_counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(u, _)| (*u).to_owned());
    let target = unit.as_deref().map(|u| base_unit(Some(u), Some(1.0)));

    let mut cells: BTreeMap<(String, i32, &'static str), CompareCell> = BTreeMap::new();
    // Regions first (their codes sort before `document:`), each once.
    let mut sources: BTreeMap<String, CompareRow> = BTreeMap::new();
    for r in &rows {
        let Some(year) = r.fact.year else { continue };
        let key = match &r.region_code {
            Some(code) => code.clone(),
            None => format!("document:{}", r.document_id),
        };
        let (Some((target_unit, Some(target_factor))), Some(unit)) = (&target, &unit) else {
            continue;
        };
        let (base, factor) = base_unit(Some(&r.fact.unit), Some(1.0));
        let Some(factor) = factor.filter(|_| base == *target_unit) else { continue };
        let scale = factor / target_factor;
        let kind = r.fact.kind.as_str();
        let cell = CompareCell {
            row: key.clone(),
            region_code: r.region_code.clone(),
            year,
            kind,
            value: r.fact.value * scale,
            value_max: r.fact.value_max.map(|v| v * scale),
            unit: unit.clone(),
            qualifier: r.fact.qualifier.as_str(),
            document_id: r.document_id,
            ord: r.ord,
            sources: 1,
            status: None,
            status_label: None,
            reason: None,
        };
        sources.entry(key.clone()).or_insert_with(|| CompareRow {
            label: match &r.region_code {
                Some(code) => r.region_name.clone().unwrap_or_else(|| code.clone()),
                None => r.document_title.clone().unwrap_or_else(|| key.clone()),
            },
            key: key.clone(),
            region_code: r.region_code.clone(),
            document_id: r.region_code.is_none().then_some(r.document_id),
        });
        cells
            .entry((key, year, kind))
            .and_modify(|old| {
                let sources = old.sources + 1;
                if cell.document_id >= old.document_id {
                    *old = cell.clone();
                }
                old.sources = sources;
            })
            .or_insert(cell);
    }
    let years: BTreeSet<i32> = cells.keys().map(|(_, y, _)| *y).collect();
    Comparison {
        indicator: indicator.to_owned(),
        indicator_name: labels::indicator(indicator),
        unit,
        rows: sources.into_values().collect(),
        years: years.into_iter().collect(),
        cells: cells.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_extract::{Fact, Kind, Measure, Qualifier};

    fn row(doc: i64, region: &str, year: i32, kind: Kind, value: f64, unit: &str) -> FactRow {
        FactRow {
            id: doc * 100,
            document_id: doc,
            document_title: None,
            ord: 0,
            region_code: Some(region.to_owned()),
            region_name: Some(format!("{region}名")),
            fact: Fact {
                start: 0,
                end: 1,
                number: value.to_string(),
                value,
                value_max: None,
                unit: unit.to_owned(),
                indicator: "地区生产总值".to_owned(),
                indicator_key: Some("gdp".to_owned()),
                measure: Measure::Level,
                kind,
                qualifier: Qualifier::Exact,
                year: Some(year),
                section: None,
            },
        }
    }

    #[test]
    fn units_are_converted_to_the_most_common_and_the_latest_document_wins() {
        let rows = vec![
            row(1, "520300", 2024, Kind::Actual, 4500.0, "亿元"),
            row(2, "520300", 2024, Kind::Actual, 4600.0, "亿元"),
            row(1, "520400", 2024, Kind::Actual, 12_000_000.0, "万元"),
            row(3, "520400", 2025, Kind::Target, 1300.0, "亿元"),
            row(3, "520400", 2025, Kind::Target, 6.5, "%"),
            FactRow {
                region_code: None,
                region_name: None,
                document_title: Some("无地区的报告".into()),
                ..row(4, "", 2024, Kind::Actual, 800.0, "亿元")
            },
        ];
        let c = tabulate("gdp", rows);
        assert_eq!(c.unit.as_deref(), Some("亿元"));
        assert_eq!(c.years, vec![2024, 2025]);
        assert_eq!(c.rows.len(), 3, "two regions and a document without one");
        assert_eq!(c.rows[2].label, "无地区的报告");
        assert_eq!(c.rows[2].document_id, Some(4));
        assert_eq!(c.cells.len(), 4, "{:#?}", c.cells);
        assert_eq!(c.cells[3].row, "document:4");
        let zunyi = &c.cells[0];
        assert_eq!((zunyi.value, zunyi.document_id, zunyi.sources), (4600.0, 2, 2));
        let anshun = &c.cells[1];
        assert_eq!((anshun.region_code.as_deref(), anshun.value), (Some("520400"), 1200.0));
        assert_eq!(c.cells[2].kind, "target");
    }
}

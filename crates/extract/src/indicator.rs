//! The indicator dictionary: canonical keys (`gdp`, `gdp_growth` …) and the names that
//! documents use for them. The table ships in `data/indicators.tsv`.

use std::sync::OnceLock;

use crate::model::Measure;

const TABLE: &str = include_str!("../data/indicators.tsv");

/// A canonical indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// The key, e.g. `gdp_growth`.
    pub key: &'static str,
    /// Whether it is a rate of change or a level.
    pub measure: Measure,
    /// The canonical Chinese name.
    pub name: &'static str,
    /// Names that refer to it, the canonical one first, with growth words removed.
    pub names: Vec<&'static str>,
}

/// Growth words that the table's names end with; facts keep them out of the indicator.
const GROWTH_SUFFIXES: &[&str] = &["增长", "增速", "降低", "下降", "涨幅"];

fn strip_growth(s: &'static str) -> &'static str {
    GROWTH_SUFFIXES.iter().find_map(|w| s.strip_suffix(w)).filter(|r| !r.is_empty()).unwrap_or(s)
}

/// Every indicator of the dictionary.
pub fn all() -> &'static [Indicator] {
    static ALL: OnceLock<Vec<Indicator>> = OnceLock::new();
    ALL.get_or_init(|| {
        TABLE
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let key = cols.next()?.trim();
                let measure = match cols.next()?.trim() {
                    "growth" => Measure::Growth,
                    _ => Measure::Level,
                };
                let name = cols.next()?.trim();
                let synonyms = cols.next().unwrap_or("");
                let mut names = vec![strip_growth(name)];
                names.extend(
                    synonyms.split('|').map(str::trim).filter(|s| !s.is_empty()).map(strip_growth),
                );
                Some(Indicator { key, measure, name, names })
            })
            .collect()
    })
}

/// The key of the indicator that `text` names, for a fact of `measure`: the longest name
/// contained in the text wins. Names with a qualifier in front (`城镇居民…`) beat the plain
/// one because they are longer.
pub fn key(text: &str, measure: Measure) -> Option<String> {
    let compact: String =
        text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”')).collect();
    all()
        .iter()
        .filter(|ind| ind.measure == measure)
        .flat_map(|ind| ind.names.iter().map(move |n| (ind, *n)))
        .filter(|(_, n)| compact.contains(n))
        .max_by_key(|(_, n)| n.chars().count())
        .map(|(ind, _)| ind.key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, measure: Measure, expected: Option<&str>) {
        assert_eq!(key(text, measure).as_deref(), expected, "{text}");
    }

    #[test]
    fn keys_follow_measure_and_longest_name() {
        check("地区生产总值", Measure::Growth, Some("gdp_growth"));
        check("地区生产总值", Measure::Level, Some("gdp"));
        check("人均地区生产总值", Measure::Level, Some("gdp_per_capita"));
        check("城镇居民人均可支配收入", Measure::Growth, Some("income_growth_urban"));
        check("城乡居民人均可支配收入", Measure::Growth, Some("income_growth"));
        check("常住人口城镇化率", Measure::Level, Some("urbanization_rate"));
        check("规模工业增加值", Measure::Growth, Some("industrial_va_growth"));
        check("新开工项目", Measure::Level, None);
    }

    #[test]
    fn the_table_parses() {
        assert!(all().len() >= 38);
        assert!(all().iter().all(|i| !i.names.is_empty() && !i.key.is_empty()));
    }
}

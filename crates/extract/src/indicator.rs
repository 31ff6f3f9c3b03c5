//! The indicator dictionary: canonical keys (`gdp`, `gdp_growth` …) and the names that
//! documents use for them. The table ships in `data/indicators.tsv`.

use std::collections::HashMap;
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
    // Names by last character: a name must end the indicator (see below), so only the
    // names ending as it ends can match, and one look-up finds them.
    static BY_LAST: OnceLock<HashMap<char, Vec<(&'static str, &'static Indicator)>>> =
        OnceLock::new();
    let by_last = BY_LAST.get_or_init(|| {
        let mut map: HashMap<char, Vec<(&'static str, &'static Indicator)>> = HashMap::new();
        for ind in all() {
            for name in &ind.names {
                if let Some(c) = name.chars().next_back() {
                    map.entry(c).or_default().push((name, ind));
                }
            }
        }
        map
    });
    let compact: String =
        text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”')).collect();
    // Regional and older spellings of the same names: 农村牧区居民 and 农牧民 (pastoral
    // regions), 城镇和农村居民 for 城乡居民.
    let mut compact = compact;
    for (from, to) in
        [("农村牧区", "农村"), ("农牧民", "农民"), ("城镇和农村", "城乡"), ("城镇、农村", "城乡")]
    {
        // `replace` sets up a searcher and copies the string even when nothing matches, as
        // nearly always; `contains` is the cheaper question.
        if compact.contains(from) {
            compact = compact.replace(from, to);
        }
    }
    // An amount named by its total (投资额, 零售额) is the amount.
    if compact.ends_with("额") && !compact.ends_with("总额") && !compact.ends_with("金额") {
        compact.pop();
    }
    // Town and country named one after the other (城镇居民…、农村居民…) are the indicator
    // for both: the key without its `_urban` and `_rural`.
    if let Some((town, country)) = compact.split_once('、')
        && let (Some(t), Some(c)) = (key(town, measure), key(country, measure))
        && let (Some(base), Some(other)) = (t.strip_suffix("_urban"), c.strip_suffix("_rural"))
        && base == other
        && all().iter().any(|i| i.key == base)
    {
        return Some(base.to_owned());
    }
    // Chinese noun phrases are head-final: the name must end the indicator. 完成地区生产总值
    // is GDP; 单位地区生产总值二氧化碳排放 and 数字经济核心产业营收 are not.
    // The longest name that ends the indicator wins; of names as long, the first listed.
    let mut best: Option<(usize, &Indicator)> = None;
    let names = compact.chars().next_back().and_then(|c| by_last.get(&c));
    for &(name, ind) in names.into_iter().flatten() {
        let longer = best.is_none_or(|(len, _)| name.len() > len);
        if ind.measure != measure || !longer || !compact.ends_with(name) {
            continue;
        }
        // A two-character name (经济, 投资) stands for the measure only when it is nearly
        // the whole indicator: 经济增长, 全社会投资, not 直接经济损失.
        let short_ok =
            name.chars().count() > 2 || compact.chars().count() <= name.chars().count() + 3;
        if short_ok {
            best = Some((name.len(), ind));
        }
    }
    best.map(|(_, ind)| ind.key.to_string())
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
        check("城镇和农村居民人均可支配收入", Measure::Level, Some("income"));
        check("农村牧区常住居民人均可支配收入", Measure::Growth, Some("income_growth_rural"));
        check("区本级全社会固定资产投资额", Measure::Level, Some("fai"));
        check("城乡居民可支配收入", Measure::Growth, Some("income_growth"));
        check("城镇人均可支配收入", Measure::Level, Some("income_urban"));
        check(
            "城镇常住居民人均可支配收入、农村常住居民人均可支配收入",
            Measure::Growth,
            Some("income_growth"),
        );
        check("常住人口城镇化率", Measure::Level, Some("urbanization_rate"));
        check("规模工业增加值", Measure::Growth, Some("industrial_va_growth"));
        check("新开工项目", Measure::Level, None);
        check("完成地区生产总值", Measure::Level, Some("gdp"));
        check("单位地区生产总值二氧化碳排放", Measure::Growth, None);
        check("数字经济核心产业营收", Measure::Growth, None);
        check("直接经济损失", Measure::Growth, None);
        check("经济", Measure::Growth, Some("gdp_growth"));
    }

    #[test]
    fn the_table_parses() {
        assert!(all().len() >= 38);
        assert!(all().iter().all(|i| !i.names.is_empty() && !i.key.is_empty()));
    }
}

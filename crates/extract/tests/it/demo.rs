//! The fictional demo document (`demo/shili_gwr_2025.txt`), read as a user would check it:
//! the headline results of 2024 and the targets of 2025, each worked out from the text.

use taizhang_extract::{DocKind, Format, Kind, Measure, Qualifier, extract};

const DEMO: &[u8] = include_bytes!("../../../../demo/shili_gwr_2025.txt");

#[track_caller]
fn check(number: &str, key: &str, measure: Measure, kind: Kind, qualifier: Qualifier, year: i32) {
    let x = extract(DEMO, Format::Text);
    let found = x
        .facts
        .iter()
        .find(|f| f.number == number && f.indicator_key.as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no fact {number} [{key}]"));
    assert_eq!(&x.text[found.start..found.end], number);
    assert_eq!(
        (found.measure, found.kind, found.qualifier, found.year),
        (measure, kind, qualifier, Some(year))
    );
}

#[test]
fn demo_metadata() {
    let x = extract(DEMO, Format::Text);
    assert_eq!(x.meta.title.as_deref(), Some("2025年示例市政府工作报告"));
    assert_eq!(x.meta.kind, Some(DocKind::WorkReport));
    assert_eq!(x.meta.date.as_deref(), Some("2025-01-15"));
    // 示例市 is fictional: no region in the gazetteer, and no guess either.
    assert_eq!(x.meta.region, None);
}

#[test]
fn demo_results_of_the_review_year() {
    check("1286.5亿元", "gdp", Measure::Level, Kind::Actual, Qualifier::Exact, 2024);
    check("5.6%", "gdp_growth", Measure::Growth, Kind::Actual, Qualifier::Exact, 2024);
    check("2.36万人", "new_urban_jobs", Measure::Level, Kind::Actual, Qualifier::Exact, 2024);
    check("5.2%", "unemployment_rate", Measure::Level, Kind::Actual, Qualifier::AtMost, 2024);
    check("6.8%", "income_growth_rural", Measure::Growth, Kind::Actual, Qualifier::Exact, 2024);
}

#[test]
fn demo_targets_of_the_report_year() {
    check("6%", "gdp_growth", Measure::Growth, Kind::Target, Qualifier::Approx, 2025);
    check("8%", "industrial_va_growth", Measure::Growth, Kind::Target, Qualifier::AtLeast, 2025);
    check("2.2万人", "new_urban_jobs", Measure::Level, Kind::Target, Qualifier::AtLeast, 2025);
    check("3%", "cpi", Measure::Growth, Kind::Target, Qualifier::Approx, 2025);
    check("85万吨", "grain_output", Measure::Level, Kind::Target, Qualifier::AtLeast, 2025);
}

#[test]
fn demo_terms_carry_their_glossary_definitions() {
    let x = extract(DEMO, Format::Text);
    let term = |name: &str| x.terms.iter().find(|t| t.name == name);
    assert_eq!(
        term("三库").and_then(|t| t.definition.as_deref()),
        Some("项目储备库、项目实施库、项目竣工库。")
    );
    assert!(term("2335").is_some_and(|t| t.occurrences == 2 && t.definition.is_some()));
    // Figures inside the glossary define slogans; they are not facts.
    let glossary = x.text.find("名词解释").expect("the demo has a glossary");
    assert!(x.facts.iter().all(|f| f.start < glossary));
}

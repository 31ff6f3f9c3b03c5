//! Chinese names for the values the ledger shows, as planning staff call them.

use taizhang_extract::{DocKind, Kind, Measure, Qualifier};

/// 目标 or 实际.
pub(crate) fn kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Target => "目标",
        Kind::Actual => "实际",
    }
}

/// 增速 or 总量.
pub(crate) fn measure(measure: Measure) -> &'static str {
    match measure {
        Measure::Growth => "增速",
        Measure::Level => "总量",
    }
}

/// The qualifier as a document writes it; nothing for an exact value.
pub(crate) fn qualifier(qualifier: Qualifier) -> &'static str {
    match qualifier {
        Qualifier::Exact => "",
        Qualifier::Approx => "左右",
        Qualifier::AtLeast => "以上",
        Qualifier::AtMost => "以内",
    }
}

/// The qualifier named as [`Qualifier::as_str`] writes it, as a document writes it.
pub(crate) fn qualifier_named(name: &str) -> &'static str {
    [Qualifier::Exact, Qualifier::Approx, Qualifier::AtLeast, Qualifier::AtMost]
        .into_iter()
        .find(|q| q.as_str() == name)
        .map_or("", qualifier)
}

/// The kind of document.
pub(crate) fn doc_kind(kind: DocKind) -> &'static str {
    match kind {
        DocKind::PlanProposal => "规划建议",
        DocKind::PlanOutline => "规划纲要",
        DocKind::Decision => "决定",
        DocKind::WorkReport => "政府工作报告",
        DocKind::ActionPlan => "行动方案",
        DocKind::PressRelease => "新闻发布",
        DocKind::Other => "其他",
    }
}

/// Every kind of document, for filter choices.
pub(crate) const DOC_KINDS: [DocKind; 7] = [
    DocKind::WorkReport,
    DocKind::PlanProposal,
    DocKind::PlanOutline,
    DocKind::Decision,
    DocKind::ActionPlan,
    DocKind::PressRelease,
    DocKind::Other,
];

/// The kind named `name` as [`DocKind::as_str`] writes it.
pub(crate) fn parse_doc_kind(name: &str) -> Option<DocKind> {
    DOC_KINDS.into_iter().find(|k| k.as_str() == name)
}

/// The canonical Chinese name of an indicator key (`gdp_growth` → 地区生产总值增长).
pub(crate) fn indicator(key: &str) -> Option<&'static str> {
    taizhang_extract::indicator::all().iter().find(|i| i.key == key).map(|i| i.name)
}

/// A value with its range, as the document writes it: `6`, `6-6.5`.
pub(crate) fn value(value: f64, value_max: Option<f64>) -> String {
    match value_max {
        Some(max) => format!("{}-{}", number(value), number(max)),
        None => number(value),
    }
}

/// A number without a trailing `.0`.
pub(crate) fn number(n: f64) -> String {
    let s = format!("{n}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

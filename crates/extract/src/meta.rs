//! Document metadata: title, kind, date, year and plan period, read from the opening lines.

use crate::model::{DocKind, DocumentMeta};
use crate::numeral::{chinese_digit, parse_chinese};
use crate::outline::is_blank;

/// How many lines at the top of a document are searched for its title and date.
const HEAD_LINES: usize = 20;

/// Lines that cannot be a title: page furniture (buttons, crumbs, counters) and the
/// source and date lines that saved pages carry under their headline.
pub(crate) fn is_furniture(line: &str) -> bool {
    const NOT_TITLES: &[&str] =
        &["来源：", "来源:", "时间：", "时间:", "发布时间", "浏览量", "所在的位置"];
    let compact: String = line.chars().filter(|&c| !is_blank(c)).collect();
    compact.is_empty()
        || crate::decode::is_furniture_line(line)
        || compact.chars().all(|c| c.is_ascii_digit() || "/|>:：".contains(c))
        || (compact.chars().count() <= 40 && NOT_TITLES.iter().any(|w| compact.contains(w)))
}

fn kind_of(title: &str) -> Option<DocKind> {
    let has = |w: &str| title.contains(w);
    Some(if has("政府工作报告") || has("工作报告") {
        DocKind::WorkReport
    } else if has("建议") && (has("规划") || has("五年")) {
        DocKind::PlanProposal
    } else if has("纲要") || has("规划") || has("五年计划") {
        DocKind::PlanOutline
    } else if has("行动计划")
        || has("行动方案")
        || has("实施方案")
        || has("推进方案")
        || has("工作方案")
        || has("若干政策")
        || has("计划")
        || has("方案")
    {
        DocKind::ActionPlan
    } else if has("决定") {
        DocKind::Decision
    } else if has("发布会") || has("新闻") || has("通报") {
        DocKind::PressRelease
    } else {
        return None;
    })
}

/// A four-digit year at `chars[i..]` followed by 年, in Arabic or Chinese digits.
fn year_at(chars: &[char], i: usize) -> Option<(i32, usize)> {
    let ascii: String = chars[i..].iter().take(4).filter(|c| c.is_ascii_digit()).collect();
    if ascii.len() == 4 && chars.get(i + 4) == Some(&'年') {
        let y: i32 = ascii.parse().ok()?;
        return (1949..=2100).contains(&y).then_some((y, 5));
    }
    let cn = chars[i..].iter().take_while(|&&c| chinese_digit(c).is_some()).count();
    if cn == 4 && chars.get(i + 4) == Some(&'年') {
        let y = parse_chinese(&chars[i..i + 4])?.value as i32;
        return (1949..=2100).contains(&y).then_some((y, 5));
    }
    None
}

/// The first date in `line`: `2025年1月11日`, `二〇二六年一月二十七日` or `2021-01-27`.
fn date_in(line: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let chars: Vec<char> = line.chars().collect();
    for i in 0..chars.len() {
        if i > 0 && (chars[i - 1].is_ascii_digit() || chinese_digit(chars[i - 1]).is_some()) {
            continue;
        }
        if let Some((y, len)) = year_at(&chars, i) {
            let rest = &chars[i + len..];
            let month = small_number(rest)
                .filter(|&(m, n)| (1..=12).contains(&m) && rest.get(n) == Some(&'月'));
            let day = month.and_then(|(_, n)| {
                let r = &rest[n + 1..];
                small_number(r).filter(|&(d, k)| (1..=31).contains(&d) && r.get(k) == Some(&'日'))
            });
            return Some((y, month.map(|m| m.0), day.map(|d| d.0)));
        }
        // ISO style, as in 发布时间: 2021-01-27. The dash is checked first so that the other
        // chars of the head do not each pay for a string.
        if chars.get(i + 4) != Some(&'-') {
            continue;
        }
        let s: String = chars[i..chars.len().min(i + 10)].iter().collect();
        let b = s.as_bytes();
        if b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && let (Ok(y), Ok(m), Ok(d)) = (s[..4].parse(), s[5..7].parse(), s[8..10].parse())
            && (1949..=2100).contains(&y)
        {
            return Some((y, Some(m), Some(d)));
        }
    }
    None
}

fn small_number(chars: &[char]) -> Option<(u32, usize)> {
    let n = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if n > 0 && n <= 2 {
        let s: String = chars[..n].iter().collect();
        return Some((s.parse().ok()?, n));
    }
    let v = parse_chinese(chars)?;
    Some((v.value as u32, v.len))
}

/// The plan period a text names: `十四五` → 2021–2025, `（2024—2026年）` → 2024–2026,
/// `第十个五年计划` → 2001–2005.
pub(crate) fn period_in(text: &str) -> Option<(i32, i32)> {
    const PLANS: &[(&str, i32)] = &[
        ("十五五", 2026),
        ("十四五", 2021),
        ("十三五", 2016),
        ("十二五", 2011),
        ("十一五", 2006),
        ("第十五个五年", 2026),
        ("第十四个五年", 2021),
        ("第十三个五年", 2016),
        ("第十二个五年", 2011),
        ("第十一个五年", 2006),
        ("第十个五年", 2001),
    ];
    if let Some(span) = year_range(text) {
        return Some(span);
    }
    PLANS.iter().find(|(w, _)| text.contains(w)).map(|&(_, start)| (start, start + 4))
}

/// A span of years written `2024—2026年`, `2021-2023年` or `2024-2025`.
fn year_range(text: &str) -> Option<(i32, i32)> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len().saturating_sub(8) {
        let a: String = chars[i..i + 4].iter().collect();
        if !a.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut j = i + 4;
        if chars.get(j) == Some(&'年') {
            j += 1;
        }
        if !matches!(chars.get(j), Some('-' | '—' | '–' | '~' | '至' | '－')) {
            continue;
        }
        while matches!(chars.get(j), Some('-' | '—' | '–' | '~' | '至' | '－' | ' ')) {
            j += 1;
        }
        let b: String = chars[j..chars.len().min(j + 4)].iter().collect();
        if let (Ok(x), Ok(y)) = (a.parse::<i32>(), b.parse::<i32>())
            && (1949..=2100).contains(&x)
            && x < y
            && y - x <= 15
        {
            return Some((x, y));
        }
    }
    None
}

/// Whether a line can be a title: no sentence, caption or date line.
fn looks_like_title(l: &str) -> bool {
    !l.contains('。')
        && !l.starts_with('为')
        && !l.starts_with(['—', '-', '－'])
        && !l.contains("记者")
        && !l.ends_with('摄')
}

/// The kind a document's opening paragraph gives away when it has no title line.
fn kind_from_opening(opening: &str) -> Option<DocKind> {
    if ["向大会报告", "作工作报告", "报告工作", "作政府工作报告"]
        .iter()
        .any(|w| opening.contains(w))
    {
        return Some(DocKind::WorkReport);
    }
    for (w, k) in [
        ("本行动计划", DocKind::ActionPlan),
        ("本计划", DocKind::ActionPlan),
        ("本方案", DocKind::ActionPlan),
        ("本实施方案", DocKind::ActionPlan),
        ("本规划", DocKind::PlanOutline),
        ("本纲要", DocKind::PlanOutline),
    ] {
        if opening.contains(w) {
            return Some(k);
        }
    }
    None
}

/// Reads title, kind, date, year and period from the head of `text`.
pub(crate) fn meta(text: &str) -> DocumentMeta {
    let head: Vec<&str> = text
        .lines()
        .map(|l| l.trim_matches(is_blank))
        .filter(|l| !l.is_empty())
        .take(HEAD_LINES)
        .collect();
    let compact = |l: &str| l.chars().filter(|&c| !is_blank(c)).collect::<String>();
    let title =
        head.iter()
            .filter(|l| !is_furniture(l) && l.chars().count() <= 120)
            .map(|l| compact(l))
            .find(|l| kind_of(l).is_some() && looks_like_title(l))
            .or_else(|| {
                head.iter().find(|l| !is_furniture(l)).map(|l| compact(l)).filter(|l| {
                    l.chars().count() <= 50 && looks_like_title(l) && !l.ends_with('：')
                })
            });
    let opening: String = head.join("\n");
    let mut kind = title.as_deref().and_then(kind_of);
    if kind.is_none() {
        kind = kind_from_opening(&opening);
    }
    // The most precise date of the head: a day beats a month beats a bare year.
    // A bare year in the body (到2026年) is a horizon, not a date: only a line that gives a
    // month, or the title, dates the document.
    let dates: Vec<_> = head
        .iter()
        // A date stands near the start of its line (a dateline, 发布时间, the session line);
        // the rest of a long paragraph is not read.
        .map(|l| l.char_indices().nth(60).map_or(*l, |(at, _)| &l[..at]))
        .filter_map(date_in)
        .filter(|d| d.1.is_some())
        // A work report's title year is its year; other titles name horizons (二〇三五年).
        .chain(title.as_deref().filter(|_| kind == Some(DocKind::WorkReport)).and_then(date_in))
        .collect();
    let date = dates
        .iter()
        .find(|d| d.2.is_some())
        .or_else(|| dates.iter().find(|d| d.1.is_some()))
        .or_else(|| dates.first())
        .copied();
    let title_year = title.as_deref().and_then(|t| {
        let chars: Vec<char> = t.chars().collect();
        (0..chars.len()).find_map(|i| year_at(&chars, i)).map(|(y, _)| y)
    });
    let period = title.as_deref().and_then(period_in);
    let year = match kind {
        Some(DocKind::WorkReport) => title_year.or(date.map(|d| d.0)),
        _ => date.map(|d| d.0).or(title_year).or(period.map(|p| p.0)),
    };
    let date = date.map(|(y, m, d)| match (m, d) {
        (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    });
    DocumentMeta { title, region: None, kind: kind.or(Some(DocKind::Other)), date, year, period }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(
        text: &str,
        title: Option<&str>,
        kind: DocKind,
        date: Option<&str>,
        year: Option<i32>,
    ) {
        let m = meta(text);
        assert_eq!(m.title.as_deref(), title, "title");
        assert_eq!(m.kind, Some(kind), "kind");
        assert_eq!(m.date.as_deref(), date, "date");
        assert_eq!(m.year, year, "year");
    }

    #[test]
    fn work_report_behind_page_furniture() {
        check(
            "注册 | 登录\n筛选地域\n官网原文 导出笔记 打印 分享\n0/0\n\n2025年示例市政府工作报告\n\n2025年1月11日在示例市第二届人民代表大会第四次会议上\n各位代表:\n",
            Some("2025年示例市政府工作报告"),
            DocKind::WorkReport,
            Some("2025-01-11"),
            Some(2025),
        );
    }

    #[test]
    fn spaced_title_and_chinese_date() {
        check(
            "政 府 工 作 报 告\n——二〇二六年一月二十七日在示例省十四届人民代表大会第四次会议上\n",
            Some("政府工作报告"),
            DocKind::WorkReport,
            Some("2026-01-27"),
            Some(2026),
        );
    }

    #[test]
    fn plan_proposal_and_action_plan() {
        check(
            "您当前所在的位置\n: 首页 > 决策公开 > 正文\n中共示例县委关于制定示例县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议\n文章来源:示例县 发布时间: 2021-01-27 15:45 浏览量:\n",
            Some(
                "中共示例县委关于制定示例县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议",
            ),
            DocKind::PlanProposal,
            Some("2021-01-27"),
            Some(2021),
        );
        let m = meta("示例市人工智能产业创新发展行动计划（2024—2026年）\n一、总体要求\n");
        assert_eq!(m.kind, Some(DocKind::ActionPlan));
        assert_eq!(m.period, Some((2024, 2026)));
    }

    #[test]
    fn periods() {
        assert_eq!(period_in("山东省“十四五”教育事业发展规划"), Some((2021, 2025)));
        assert_eq!(period_in("国民经济和社会发展第十个五年计划纲要"), Some((2001, 2005)));
        assert_eq!(period_in("行动计划（2021-2023年）"), Some((2021, 2023)));
        assert_eq!(period_in("2025年示例市政府工作报告"), None);
    }
}

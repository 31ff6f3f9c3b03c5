//! The outline (章节): numbered headings, run-in headings and the 名词解释 glossary.

use crate::fact::Text;
use crate::model::Section;
use crate::numeral::{chinese_digit, digit};

/// The rank of a heading marker: lower ranks enclose higher ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Chapter = 1,
    Part,
    Chinese,
    ChineseParen,
    Arabic,
    ArabicParen,
    RunIn,
}

/// A heading found at the start of a line.
struct Heading {
    rank: Rank,
    marker_len: usize,
    title: String,
    /// Whether the line continues after the heading (`1.机遇和挑战。坚持…`).
    run_in: bool,
}

/// Characters that may open a line but are not content: indentation and a BOM.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{3000}'
}

fn is_cn_count(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百')
}

/// Reads the marker at the start of `line` (already trimmed): its rank and length in chars.
fn marker(line: &[char]) -> Option<(Rank, usize)> {
    let first = *line.first()?;
    let count =
        |from: usize, f: fn(char) -> bool| line[from..].iter().take_while(|&&c| f(c)).count();
    let is_digit = |c: char| digit(c).is_some();
    if first == '第' {
        let n = count(1, is_cn_count);
        if n > 0 && n <= 4 {
            match line.get(1 + n) {
                Some('章' | '篇' | '部') => return Some((Rank::Chapter, n + 2)),
                Some('节') => return Some((Rank::Part, n + 2)),
                _ => {}
            }
        }
        return None;
    }
    if is_cn_count(first) {
        let n = count(0, is_cn_count);
        if n <= 3 && line.get(n) == Some(&'、') {
            return Some((Rank::Chinese, n + 1));
        }
        return None;
    }
    if matches!(first, '（' | '(') {
        let cn = count(1, is_cn_count);
        if cn > 0 && cn <= 3 && matches!(line.get(1 + cn), Some('）' | ')')) {
            return Some((Rank::ChineseParen, cn + 2));
        }
        let ar = count(1, is_digit);
        if ar > 0 && ar <= 2 && matches!(line.get(1 + ar), Some('）' | ')')) {
            return Some((Rank::ArabicParen, ar + 2));
        }
        return None;
    }
    if is_digit(first) {
        let n = count(0, is_digit);
        let after = line.get(n).copied();
        let next_is_digit = line.get(n + 1).is_some_and(|&c| is_digit(c));
        if n <= 2 && matches!(after, Some('.' | '．' | '、')) && !next_is_digit {
            return Some((Rank::Arabic, n + 1));
        }
    }
    None
}

fn heading(line: &[char]) -> Option<Heading> {
    if let Some((rank, marker_len)) = marker(line) {
        let body = &line[marker_len..];
        let body_start = body.iter().take_while(|&&c| is_blank(c)).count();
        let body = &body[body_start..];
        // A run-in heading ends at its first full stop or colon; a plain one is the line.
        let stop = body.iter().position(|&c| matches!(c, '。' | '：' | ':' | '！'));
        let (title_len, run_in) = match stop {
            Some(p) if p + 1 < body.len() => (p, true),
            Some(p) => (p, false),
            None => (body.len(), false),
        };
        if title_len == 0 || title_len > 60 {
            return None;
        }
        let title: String = body[..title_len].iter().collect();
        return Some(Heading { rank, marker_len: marker_len + body_start, title, run_in });
    }
    // A run-in heading without a marker: a short clause closed by 。 that opens a paragraph
    // and holds no figure (经济发展稳中向好。…).
    let p = line.iter().position(|&c| c == '。')?;
    let clause = &line[..p];
    let enumerated = line.len() > 1 && is_cn_count(line[0]) && line[1] == '是';
    let plain = (4..=16).contains(&p)
        && !enumerated
        && p + 1 < line.len()
        && !clause.iter().any(|&c| {
            digit(c).is_some() || matches!(c, '，' | ',' | '、' | '；' | '：' | ':' | '“' | '（')
        });
    plain.then(|| Heading {
        rank: Rank::RunIn,
        marker_len: 0,
        title: clause.iter().collect(),
        run_in: true,
    })
}

/// Whether a heading announces a review of the past rather than plans.
fn review_cue(title: &str, doc_year: Option<i32>) -> Option<bool> {
    const REVIEW: &[&str] = &["回顾", "成就", "成绩", "过去", "完成情况", "总结", "取得的"];
    const PLAN: &[&str] =
        &["安排", "目标", "任务", "思路", "展望", "计划", "预期", "部署", "要求", "举措"];
    let (looks_back, looks_ahead) =
        (REVIEW.iter().any(|w| title.contains(w)), PLAN.iter().any(|w| title.contains(w)));
    match (looks_back, looks_ahead) {
        (true, false) => return Some(true),
        (false, true) => return Some(false),
        // 十四五时期发展成就和十五五时期主要目标: its paragraphs say which.
        (true, true) => return None,
        (false, false) => {}
    }
    // `2024年工作` in a report of 2025 looks back.
    if let (Some(y), Some(doc)) = (leading_year(title), doc_year)
        && title.contains("工作")
    {
        return Some(y < doc);
    }
    None
}

fn leading_year(s: &str) -> Option<i32> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 4 && s[digits.len()..].starts_with('年')).then(|| digits.parse().ok())?
}

/// Finds the outline of `text`. `doc_year` is the year the document was written, used to
/// tell a review (`2024年工作回顾` in a 2025 report) from a plan.
#[cfg(test)]
pub(crate) fn outline(text: &str, doc_year: Option<i32>) -> Vec<Section> {
    outline_of(&Text::new(text), text, doc_year)
}

/// [`outline`] over the [`Text`] of `text`, built once for every pass that reads characters:
/// each line's chars are a slice of it, not decoded again.
pub(crate) fn outline_of(t: &Text, text: &str, doc_year: Option<i32>) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut ranks: Vec<Rank> = Vec::new();
    // Open sections, innermost last.
    let mut stack: Vec<usize> = Vec::new();
    let mut offset = 0;
    for (k, raw) in text.split_inclusive('\n').enumerate() {
        // The char index of a byte offset of this line: a binary search of the line's own
        // stretch of `offs`, a few cache lines, rather than of the whole document's.
        let (lo, hi) = t.line_chars(k);
        let char_at = |byte: usize| lo + t.offs[lo..=hi].partition_point(|&o| o < byte);
        let line_start = offset;
        offset += raw.len();
        let trimmed_start = raw.len() - raw.trim_start_matches(is_blank).len();
        let line = raw.trim_matches(is_blank);
        if line.is_empty() {
            continue;
        }
        let start = line_start + trimmed_start;
        if line == "名词解释" || line.starts_with("名词解释") && line.chars().count() <= 8 {
            close_all(&mut sections, &mut stack, start);
            stack.push(sections.len());
            ranks.push(Rank::Chapter);
            sections.push(Section {
                level: 1,
                marker: String::new(),
                title: line.to_string(),
                start,
                end: text.len(),
                parent: None,
                review: false,
            });
            continue;
        }
        let line_chars = &t.chars[char_at(start)..char_at(start + line.len())];
        let Some(h) = heading(line_chars) else { continue };
        // A run-in heading only counts inside a numbered outline or as a paragraph opener
        // that a real heading precedes; close sections of the same or a lower rank.
        while let Some(&top) = stack.last() {
            if ranks[top] >= h.rank {
                sections[top].end = start;
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();
        let marker: String =
            line_chars[..h.marker_len].iter().collect::<String>().trim().to_string();
        let inherited = parent.map(|p| sections[p].review).unwrap_or(false);
        // Run-in headings name a topic; whether it looks back is the enclosing section's call.
        let own = if h.rank == Rank::RunIn { None } else { review_cue(&h.title, doc_year) };
        let review = own.unwrap_or(inherited);
        let _ = h.run_in;
        stack.push(sections.len());
        ranks.push(h.rank);
        sections.push(Section {
            level: stack.len() as u8,
            marker,
            title: h.title,
            start,
            end: text.len(),
            parent,
            review,
        });
    }
    sections
}

fn close_all(sections: &mut [Section], stack: &mut Vec<usize>, at: usize) {
    for i in stack.drain(..) {
        sections[i].end = at;
    }
}

/// The innermost section holding byte offset `at`, if any. `sections` is in document
/// order, so the innermost is the last one that starts before `at` and has not ended.
pub(crate) fn section_at(sections: &[Section], at: usize) -> Option<usize> {
    let upto = sections.partition_point(|s| s.start <= at);
    (0..upto).rev().find(|&i| sections[i].end > at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[(u8, &str, &str, bool)]) {
        let got: Vec<(u8, String, String, bool)> = outline(text, Some(2025))
            .into_iter()
            .map(|s| (s.level, s.marker, s.title, s.review))
            .collect();
        let want: Vec<(u8, String, String, bool)> =
            expected.iter().map(|&(l, m, t, r)| (l, m.to_string(), t.to_string(), r)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn numbered_headings_nest() {
        check(
            "一、2024年工作回顾\n经济发展稳中向好。完成地区生产总值增长5%。\n二、2025年工作安排\n（一）聚焦产业\n1.提升白酒产业。以茅台为引领。\n（1）完成安置还房1802套。\n",
            &[
                (1, "一、", "2024年工作回顾", true),
                (2, "", "经济发展稳中向好", true),
                (1, "二、", "2025年工作安排", false),
                (2, "（一）", "聚焦产业", false),
                (3, "1.", "提升白酒产业", false),
                (4, "（1）", "完成安置还房1802套", false),
            ],
        );
    }

    #[test]
    fn chapters_and_glossary() {
        check(
            "第一章 发展基础\n　　第一节 主要成就\n正文。\n名词解释\n1.“1411”：坚持以高质量发展为统揽。\n",
            &[
                (1, "第一章", "发展基础", false),
                (2, "第一节", "主要成就", true),
                (1, "", "名词解释", false),
                (2, "1.", "“1411”", false),
            ],
        );
    }

    #[test]
    fn numbers_are_not_headings() {
        check("2024年是关键之年。\n1.5万人参加。\n一是加强领导。\n", &[]);
    }

    #[test]
    fn section_at_finds_the_innermost() {
        let text = "一、回顾\n（一）产业\n正文\n二、安排\n正文\n";
        let s = outline(text, None);
        assert_eq!(section_at(&s, text.find("正文").unwrap_or(0)), Some(1));
        assert_eq!(section_at(&s, text.rfind("正文").unwrap_or(0)), Some(2));
        assert_eq!(section_at(&s, 0), Some(0));
    }
}

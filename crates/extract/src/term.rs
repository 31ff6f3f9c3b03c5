//! Coined terms (提法): quoted slogans with numbers in them (`“1411”`, `“五库”`,
//! `“一图三清单”`), unquoted numbered slogans (`三市两地一枢纽`, `两不愁三保障`), and the
//! definitions a `名词解释` glossary or an inline gloss gives them.

use std::collections::HashMap;

use crate::fact::Text;
use crate::model::{Section, Term};
use crate::numeral::{CharSet, chinese_digit, digit};

/// Plan-period names are quoted everywhere and define nothing.
const PLAN_NAMES: &[&str] = &["十一五", "十二五", "十三五", "十四五", "十五五", "十六五"];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn is_count_char(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '双' | '多')
}

/// Whether quoted text looks like a coined term: short, and built around a number.
fn coined(name: &str) -> bool {
    let n = name.chars().count();
    (2..=12).contains(&n)
        && !PLAN_NAMES.contains(&name)
        && name.chars().any(|c| digit(c).is_some() || is_count_char(c) || c == '+' || c == '＋')
        && !name.chars().any(|c| matches!(c, '，' | '。' | '；' | '、'))
        && !name.contains("分之")
        && !name.ends_with("左右")
}

struct Found {
    /// Whether this is the glossary's entry (a definition, not an occurrence).
    entry: bool,
    name: String,
    start: usize,
    end: usize,
    definition: Option<String>,
}

/// Finds quoted coined terms and an inline gloss right after one (`“X”（…）`, `“X”，即…`).
fn quoted(text: &str, out: &mut Vec<Found>) {
    // `str::find` with a char looks for the last byte of its UTF-8 form with memchr, and the
    // last byte of “ and ” is common in Chinese text; memmem looks for the whole quote.
    let open_quote = memchr::memmem::Finder::new("“");
    let close_quote = memchr::memmem::Finder::new("”");
    let mut rest = text;
    let mut base = 0;
    while let Some(open) = open_quote.find(rest.as_bytes()) {
        let inner_start = open + '“'.len_utf8();
        let Some(close_rel) = close_quote.find(&rest.as_bytes()[inner_start..]) else { break };
        let close = inner_start + close_rel;
        let name = &rest[inner_start..close];
        let after = close + '”'.len_utf8();
        if coined(name) {
            let tail = &rest[after..];
            out.push(Found {
                entry: false,
                name: name.to_string(),
                start: base + open,
                end: base + after,
                definition: gloss(tail),
            });
        }
        base += after;
        rest = &rest[after..];
    }
}

/// An inline gloss at the start of `tail`: a bracket, or `即…` up to the clause end.
fn gloss(tail: &str) -> Option<String> {
    let bracket = ['（', '('].iter().find_map(|&o| tail.strip_prefix(o));
    if let Some(inner) = bracket {
        let end = inner.find(['）', ')'])?;
        let g = &inner[..end];
        return (g.chars().count() >= 4 && g.chars().count() <= 80).then(|| g.to_string());
    }
    let inner = tail
        .strip_prefix("，即")
        .or_else(|| tail.strip_prefix(",即"))
        .or_else(|| tail.strip_prefix("即"))?;
    let end = inner.find(['。', '，', ',', '；']).unwrap_or(inner.len());
    let g = &inner[..end];
    (g.chars().count() >= 4 && g.chars().count() <= 80).then(|| g.to_string())
}

/// Finds unquoted numbered slogans: two or more groups of a Chinese count and a short
/// word in a row (`三市两地一枢纽`, `两不愁三保障`, `一带一路`).
///
/// `t` is the character index of `text`, built once for every pass that reads characters:
/// it saves decoding the text again here, and a window is a slice of it.
fn numbered(t: &Text, text: &str, out: &mut Vec<Found>) {
    // Only a Chinese digit opens a slogan; look at a short window around each one.
    let n = t.chars.len();
    let mut skip_to = 0;
    let mut i = 0;
    while i < n {
        // Skip to the next Chinese digit in a tight loop: no other char opens a slogan.
        match t.chars[i..].iter().position(|&c| CHINESE_DIGITS.contains(c)) {
            Some(k) => i += k,
            None => break,
        }
        let before = t.before(i);
        if i < skip_to || is_count_char(before) || before == '“' {
            i += 1;
            continue;
        }
        let end = (i + 14).min(n);
        if let Some(len) = slogan_at(text, &t.chars[i..end], &t.offs[i..=end], out) {
            skip_to = i + len;
        }
        i += 1;
    }
}

/// The chars [`chinese_digit`] reads; a test keeps the two in step.
const CHINESE_DIGITS: CharSet =
    CharSet::new(&['零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九']);

/// A numbered slogan at the start of `chars` (a window of the text whose byte offsets,
/// with the offset after its last char, are `offs`), pushed to `out`; returns its length
/// in chars.
fn slogan_at(text: &str, chars: &[char], offs: &[usize], out: &mut Vec<Found>) -> Option<usize> {
    let starts_group = |k: usize| {
        chars.get(k).is_some_and(|&c| chinese_digit(c).is_some() && c != '〇' && c != '零')
    };
    let mut k = 0;
    let mut groups = 0;
    while starts_group(k) {
        // One count char, then one to three word chars that are not counts.
        let mut w = k + 1;
        while w < chars.len() && w - k <= 3 && is_cjk(chars[w]) && !is_count_char(chars[w]) {
            w += 1;
        }
        if w == k + 1 {
            break;
        }
        groups += 1;
        k = w;
    }
    if groups < 2 || k > 12 {
        return None;
    }
    let (start, end) = (offs[0], offs[k]);
    let name = &text[start..end];
    // A list of ordinals (一是…二是) or of dates is no slogan.
    if !name.contains('是') && !name.contains('年') && !name.contains('月') {
        out.push(Found { entry: false, name: name.to_string(), start, end, definition: None });
    }
    Some(k)
}

/// Reads the entries of a `名词解释` glossary: `1.“1411”：定义…`.
fn glossary(text: &str, outline: &[Section]) -> Vec<Found> {
    let mut out = Vec::new();
    for s in outline.iter().filter(|s| s.title.starts_with("名词解释")) {
        let body = &text[s.start..s.end.min(text.len())];
        let mut offset = s.start;
        for line in body.split_inclusive('\n') {
            let line_start = offset;
            offset += line.len();
            let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            let lead = line.len() - trimmed.len();
            // Skip the marker: 1. 12. （3）
            let after_marker = trimmed
                .trim_start_matches(|c: char| c.is_ascii_digit() || "（）().．、 ".contains(c));
            let marker_len = trimmed.len() - after_marker.len();
            let Some(colon) = after_marker.find(['：', ':']) else { continue };
            let head = after_marker[..colon].trim();
            let def = after_marker[colon..].trim_start_matches(['：', ':']).trim();
            if head.is_empty() || head.chars().count() > 24 || def.is_empty() {
                continue;
            }
            let name = head
                .strip_prefix('“')
                .and_then(|h| h.strip_suffix('”'))
                .filter(|h| !h.contains('“'))
                .unwrap_or(head);
            let start = line_start + lead + marker_len;
            out.push(Found {
                entry: true,
                name: name.to_string(),
                start,
                end: start + head.len(),
                definition: Some(def.to_string()),
            });
        }
    }
    out
}

/// Finds the coined terms of a document, each once, with a definition where one is given.
pub(crate) fn terms(t: &Text, text: &str, outline: &[Section]) -> Vec<Term> {
    let mut found = glossary(text, outline);
    quoted(text, &mut found);
    numbered(t, text, &mut found);
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Term> = Vec::new();
    for f in found {
        match by_name.get(&f.name) {
            Some(&i) => {
                let t = &mut out[i];
                t.occurrences += usize::from(!f.entry);
                if f.start < t.start {
                    t.start = f.start;
                    t.end = f.end;
                }
                if t.definition.is_none() {
                    t.definition = f.definition;
                }
            }
            None => {
                by_name.insert(f.name.clone(), out.len());
                out.push(Term {
                    name: f.name,
                    definition: f.definition,
                    start: f.start,
                    end: f.end,
                    occurrences: usize::from(!f.entry),
                });
            }
        }
    }
    // A term only the glossary names still occurs once, there.
    for t in &mut out {
        t.occurrences = t.occurrences.max(1);
    }
    out.sort_by_key(|t| t.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_digits_are_what_chinese_digit_reads() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(CHINESE_DIGITS.contains(c), chinese_digit(c).is_some(), "{c:?}");
        }
    }

    #[track_caller]
    fn check(text: &str, expected: &[(&str, Option<&str>)]) {
        let outline = crate::outline::outline(text, None);
        let got: Vec<(String, Option<String>)> = terms(&Text::new(text), text, &outline)
            .into_iter()
            .map(|t| (t.name, t.definition))
            .collect();
        let want: Vec<(String, Option<String>)> =
            expected.iter().map(|(n, d)| (n.to_string(), d.map(str::to_string))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn quoted_terms_with_a_glossary() {
        check(
            "围绕“1411”总体发展思路，推行“五库”管理，落实“十四五”规划。\n名词解释\n1.“1411”：坚持以高质量发展为统揽。\n2.“五库”：梦想库、理性库、设计库、落地库、统计库。\n",
            &[
                ("1411", Some("坚持以高质量发展为统揽。")),
                ("五库", Some("梦想库、理性库、设计库、落地库、统计库。")),
            ],
        );
    }

    #[test]
    fn inline_gloss_and_unquoted_slogans() {
        check(
            "实施“一图三清单”（产业链图谱和在建项目、在谈项目、拟招企业清单），建设三市两地一枢纽，一是加强领导。",
            &[
                ("一图三清单", Some("产业链图谱和在建项目、在谈项目、拟招企业清单")),
                ("三市两地一枢纽", None),
            ],
        );
    }

    #[test]
    fn plain_quotes_are_not_terms() {
        check("坚持“传承红色基因、讲好遵义故事”，推进“放管服”改革，2024年1月。", &[]);
    }
}

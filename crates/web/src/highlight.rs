//! A document's text as HTML with its facts and terms marked, and the sentence around a
//! fact. Everything taken from the text is escaped here: documents may contain markup.

use std::fmt::Write;

use taizhang_extract::{Extracted, Kind};
use taizhang_index::escape_html;

use crate::labels;

/// How far a sentence reaches on either side of its fact, in characters.
const SENTENCE_REACH: usize = 60;

/// Characters that end a sentence or a clause a ledger row can stand on.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

/// The sentence around `start..end` of `text`, cut to [`SENTENCE_REACH`] characters on
/// either side (with `…` where it was cut), white space runs folded to one space.
pub(crate) fn sentence(text: &str, start: usize, end: usize) -> String {
    let (Some(before), Some(fact), Some(after)) =
        (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return String::new();
    };
    let mut head: Vec<char> = Vec::new();
    let mut cut_head = false;
    for c in before.chars().rev() {
        if ends_sentence(c) {
            break;
        }
        if head.len() == SENTENCE_REACH {
            cut_head = true;
            break;
        }
        head.push(c);
    }
    head.reverse();
    let mut tail = String::new();
    let mut cut_tail = true;
    for (n, c) in after.chars().enumerate() {
        if n == SENTENCE_REACH {
            break;
        }
        if c != '\n' {
            tail.push(c);
        }
        if ends_sentence(c) {
            cut_tail = false;
            break;
        }
    }
    if after.is_empty() {
        cut_tail = false;
    }
    let mut s = String::with_capacity(start.min(4 * SENTENCE_REACH) + fact.len() + tail.len());
    if cut_head {
        s.push('…');
    }
    s.extend(head);
    s.push_str(fact);
    s.push_str(&tail);
    if cut_tail {
        s.push('…');
    }
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.trim().to_owned()
}

struct Mark {
    start: usize,
    end: usize,
    /// The element's opening tag, complete.
    open: String,
    /// Its closing tags.
    close: &'static str,
}

/// The text of `x` as HTML for a `white-space: pre-wrap` block: every fact is a
/// `<mark class="fact target|actual" id="f{ord}">` with a tooltip giving its value, unit,
/// qualifier, year and indicator (`data-tip`, which the stylesheet shows on hover and focus;
/// no `title`, which would show a second one); every term definition a
/// `<mark class="term">`; every section start an empty `<span id="s{index}">` to link to;
/// every project a `<mark class="project" id="p{ord}">` around a link to its page in the
/// project library (a project of the document's `region_code`), or an empty
/// `<span id="p{ord}">` where its name holds a fact.
pub(crate) fn document_html(x: &Extracted, region_code: Option<&str>) -> String {
    let text = x.text.as_str();
    let mut marks: Vec<Mark> = Vec::with_capacity(x.facts.len() + x.terms.len());
    for (ord, f) in x.facts.iter().enumerate() {
        let class = match f.kind {
            Kind::Target => "fact target",
            Kind::Actual => "fact actual",
        };
        let mut tip = format!(
            "{}：{}{}{}",
            labels::kind(f.kind),
            labels::value(f.value, f.value_max),
            f.unit,
            labels::qualifier(f.qualifier)
        );
        if let Some(year) = f.year {
            let _ = write!(tip, " · {year}年");
        }
        if !f.indicator.is_empty() {
            let _ = write!(tip, " · {}", f.indicator);
        }
        if let Some(key) = &f.indicator_key {
            let _ = write!(tip, " [{key}]");
        }
        let _ = write!(tip, " · {}", labels::measure(f.measure));
        let mut open = format!("<mark class=\"{class}\" id=\"f{ord}\" tabindex=\"0\" data-tip=\"");
        escape_html(&mut open, &tip);
        open.push_str("\">");
        marks.push(Mark { start: f.start, end: f.end, open, close: "</mark>" });
    }
    for (i, t) in x.terms.iter().enumerate() {
        let mut open = format!("<mark class=\"term\" id=\"t{i}\"");
        if let Some(def) = &t.definition {
            open.push_str(" title=\"");
            escape_html(&mut open, def);
            open.push('"');
        }
        open.push('>');
        marks.push(Mark { start: t.start, end: t.end, open, close: "</mark>" });
    }
    marks.retain(|m| {
        m.start < m.end && text.is_char_boundary(m.start) && text.is_char_boundary(m.end)
    });
    marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));

    let mut anchors: Vec<(usize, String)> = x
        .outline
        .iter()
        .enumerate()
        .filter(|(_, s)| text.is_char_boundary(s.start.min(text.len())))
        .map(|(i, s)| (s.start.min(text.len()), format!("s{i}")))
        .collect();
    // A project's name is marked where it overlaps no fact or term (the figure in
    // `年产30万吨…项目` stays a fact); else only an anchor stands before it to link to.
    let mut project_marks: Vec<Mark> = Vec::new();
    for (ord, p) in x.projects.iter().enumerate() {
        if p.start >= p.end || !text.is_char_boundary(p.start) || !text.is_char_boundary(p.end) {
            continue;
        }
        if marks.iter().any(|m| m.start < p.end && p.start < m.end) {
            anchors.push((p.start, format!("p{ord}")));
        } else {
            let mut open = format!("<mark class=\"project\" id=\"p{ord}\" title=\"");
            escape_html(&mut open, &format!("项目：{}（点击查看项目库）", p.category.label()));
            open.push_str("\"><a href=\"");
            escape_html(
                &mut open,
                &crate::projects::project_link(region_code.unwrap_or(""), &p.name),
            );
            open.push_str("\">");
            project_marks.push(Mark { start: p.start, end: p.end, open, close: "</a></mark>" });
        }
    }
    if !project_marks.is_empty() {
        marks.extend(project_marks);
        marks.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    }
    anchors.sort();
    let mut anchors = anchors.into_iter().peekable();

    let mut out = String::with_capacity(text.len() * 5 / 4 + 200 * marks.len());
    let mut at = 0;
    let mut flush_anchors = |upto: usize, at: &mut usize, out: &mut String| {
        while let Some((pos, id)) = anchors.next_if(|(pos, _)| *pos <= upto) {
            let pos = pos.max(*at);
            escape_html(out, &text[*at..pos]);
            *at = pos;
            let _ = write!(out, "<span class=\"anchor\" id=\"{id}\"></span>");
        }
    };
    for m in marks {
        if m.start < at {
            continue; // overlaps the mark before; the first one wins
        }
        flush_anchors(m.start, &mut at, &mut out);
        escape_html(&mut out, &text[at..m.start]);
        out.push_str(&m.open);
        escape_html(&mut out, &text[m.start..m.end]);
        out.push_str(m.close);
        at = m.end;
    }
    flush_anchors(text.len(), &mut at, &mut out);
    escape_html(&mut out, &text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_extract::{Format, extract};

    #[test]
    fn sentence_is_cut_at_clause_ends() {
        let text = "一、回顾\n全年地区生产总值增长6.5%，高于全省平均。下一句。";
        let start = text.find("6.5%").unwrap();
        let s = sentence(text, start, start + "6.5%".len());
        assert_eq!(s, "全年地区生产总值增长6.5%，高于全省平均。");
    }

    #[test]
    fn long_sentences_are_trimmed_with_ellipses() {
        let text = format!("{}增长7%{}", "甲".repeat(100), "乙".repeat(100));
        let start = text.find("7%").unwrap();
        let s = sentence(&text, start, start + 2);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(s.chars().count(), 1 + SENTENCE_REACH + "7%".len() + SENTENCE_REACH + 1);
        assert_eq!(sentence(&text, 1, 2), "", "not on a character boundary");
    }

    #[test]
    fn facts_are_marked_and_markup_escaped() {
        let text = "2025年<b>某县</b>政府工作报告\n一、2024年工作回顾\n地区生产总值增长6.5%。\n二、2025年工作安排\n地区生产总值增长6%左右。\n";
        let x = extract(text.as_bytes(), Format::Text);
        assert_eq!(x.facts.len(), 2, "{:#?}", x.facts);
        let html = document_html(&x, None);
        assert!(html.contains("&lt;b&gt;某县&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains("<mark class=\"fact actual\" id=\"f0\""), "{html}");
        assert!(html.contains("<mark class=\"fact target\" id=\"f1\""), "{html}");
        assert!(html.contains("data-tip=\"目标：6%左右 · 2025年"), "{html}");
        assert!(html.contains(">6%</mark>"), "{html}");
        assert!(x.projects.is_empty());
        for i in 0..x.outline.len() {
            assert!(html.contains(&format!("id=\"s{i}\"")), "section {i} anchored: {html}");
        }
        // Removing the tags gives the text back.
        let mut plain = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        let mut escaped = String::new();
        escape_html(&mut escaped, text);
        assert_eq!(plain, escaped);
    }

    #[test]
    fn projects_are_marked_unless_a_fact_is_inside() {
        let text = "2031年政府工作报告\n二、2031年工作安排\n开工建设青石大型水库。开工建设年产15万吨新材料项目。\n";
        let x = extract(text.as_bytes(), Format::Text);
        assert_eq!(x.projects.len(), 2, "{:#?}", x.projects);
        assert!(x.facts.iter().any(|f| f.number.contains("15万吨")), "{:#?}", x.facts);
        let html = document_html(&x, Some("520304"));
        let want = "<mark class=\"project\" id=\"p0\" title=\"项目：水库水利（点击查看项目库）\">\
                    <a href=\"/projects/view?region=520304&amp;name=%E9%9D%92%E7%9F%B3%E5%A4%A7%E5%9E%8B%E6%B0%B4%E5%BA%93\">\
                    青石大型水库</a></mark>";
        assert!(html.contains(want), "{html}");
        assert!(html.contains("<span class=\"anchor\" id=\"p1\"></span>年产"), "{html}");
    }
}

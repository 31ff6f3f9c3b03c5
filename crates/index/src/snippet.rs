//! Snippets: the passage of a document shown under a hit, with the matched words marked.
//!
//! tantivy's [`SnippetGenerator`] picks the passage: the window of the stored text with
//! the most (and rarest) query terms. Its own highlights mark every query term on its
//! own, which for bigrams means stray pieces of the phrase (地区 out of
//! 成渝地区双城经济圈) and ranges that stop at the window's edge. So the highlights are
//! recomputed here: a range is marked only where a whole word or phrase of the query
//! matches, with the same tokenizer and positions as the index, and the window grows
//! to take in a match it cuts.
//!
//! Scanning a whole document with a tokenizer costs milliseconds (texts run to 100 KB),
//! so the generator only sees a region of a few kilobytes around the first place where
//! a word of the query occurs as typed, found with a plain character scan.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};
use tantivy::{Score, Searcher, Term};

use crate::Result;
use crate::query::Needle;
use crate::schema::Fields;
use crate::tokenize::{Bigram, fold, is_cjk};

/// Longest snippet, in bytes (tantivy counts bytes): about 80 Chinese characters.
const SNIPPET_BYTES: usize = 240;

/// How far beyond the chosen window to look for the rest of a match, in bytes.
const MARGIN_BYTES: usize = 192;

/// The region handed to tantivy's generator: from a little before the first
/// occurrence of the query to this many bytes after it.
const REGION_BYTES: usize = 2048;
const REGION_LEAD_BYTES: usize = 256;

/// A passage with the byte ranges to highlight in it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Passage {
    pub(crate) text: String,
    pub(crate) highlights: Vec<(usize, usize)>,
}

/// Builds passages for the hits of one query.
pub(crate) struct Snippets<'a> {
    generator: Option<SnippetGenerator>,
    needles: &'a [Needle],
}

impl<'a> Snippets<'a> {
    /// Prepares snippets for `needles` over the `text` field.
    pub(crate) fn new(
        searcher: &Searcher,
        fields: &Fields,
        needles: &'a [Needle],
    ) -> Result<Snippets<'a>> {
        let mut terms: BTreeMap<String, Score> = BTreeMap::new();
        let mut needs_unigrams = false;
        for needle in needles {
            for (_, text) in &needle.terms {
                let doc_freq = searcher.doc_freq(&Term::from_field_text(fields.text, text))?;
                if doc_freq > 0 {
                    // tantivy's own weighting: rare terms pick the passage.
                    terms.insert(text.clone(), 1.0 / (1.0 + doc_freq as Score));
                }
                needs_unigrams |= is_unigram(text);
            }
        }
        let generator = (!terms.is_empty()).then(|| {
            // Without single-character terms, skip the unigrams: half the tokens.
            let analyzer = if needs_unigrams {
                TextAnalyzer::from(Bigram::index())
            } else {
                TextAnalyzer::from(Bigram::query())
            };
            SnippetGenerator::new(terms, analyzer, fields.text, SNIPPET_BYTES)
        });
        Ok(Snippets { generator, needles })
    }

    /// The passage of `text` to show, with the matches in it.
    pub(crate) fn passage(&self, text: &str) -> Passage {
        let first =
            self.needles.iter().filter_map(|needle| find_folded(text, &needle.surface)).min();
        let region_start =
            text.floor_char_boundary(first.map_or(0, |f| f.saturating_sub(REGION_LEAD_BYTES)));
        let region = region_start..text.floor_char_boundary(region_start + REGION_BYTES);
        let window = self
            .generator
            .as_ref()
            .map(|generator| generator.snippet(&text[region.clone()]))
            .filter(|snippet| !snippet.is_empty())
            .map(|snippet| {
                let fragment = snippet.fragment_range();
                fragment.start + region.start..fragment.end + region.start
            });
        let mut window = match window {
            Some(window) => window,
            // The match is in the title only, or the query had no words.
            None => 0..text.floor_char_boundary(SNIPPET_BYTES),
        };
        let mut matches = self.matches_near(text, &window);
        if let (true, Some(first)) = (matches.is_empty(), first) {
            // The window holds scattered terms but no whole match: show the first one.
            let start = text.floor_char_boundary(first.saturating_sub(SNIPPET_BYTES / 4));
            window = start..text.floor_char_boundary(start + SNIPPET_BYTES);
            matches = self.matches_near(text, &window);
        }
        if let (Some(first), Some(last)) = (matches.first(), matches.last()) {
            window = window.start.min(first.start)..window.end.max(last.end);
        }
        render(text, tidy(text, window), &matches)
    }

    /// Matches overlapping `window`, looking a little beyond it for their ends.
    fn matches_near(&self, text: &str, window: &Range<usize>) -> Vec<Range<usize>> {
        if self.needles.is_empty() {
            return Vec::new();
        }
        let area = text.floor_char_boundary(window.start.saturating_sub(MARGIN_BYTES))
            ..text.floor_char_boundary(window.end + MARGIN_BYTES);
        find_matches(text, area, self.needles)
            .into_iter()
            .filter(|m| m.start < window.end && m.end > window.start)
            .collect()
    }
}

/// The byte offset of the first place where `text`, folded and lowercased, starts with
/// `needle` (already folded and lowercased). A heuristic to place the passage: the
/// highlights are then checked term by term.
fn find_folded(text: &str, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    if needle.chars().all(is_cjk) {
        // Folding and case leave these characters alone: a plain (fast) search.
        return text.find(needle);
    }
    let folded = |c: char| fold(c).to_lowercase();
    text.char_indices().find_map(|(start, c)| {
        if folded(c).next() != Some(first) {
            return None;
        }
        let mut wanted = needle.chars().peekable();
        for c in text[start..].chars() {
            for lower in folded(c) {
                if wanted.next() != Some(lower) {
                    return None;
                }
            }
            if wanted.peek().is_none() {
                return Some(start);
            }
        }
        None
    })
}

fn is_unigram(term: &str) -> bool {
    let mut chars = term.chars();
    chars.next().is_some_and(is_cjk) && chars.next().is_none()
}

/// Byte ranges of `text[area]` where a needle matches as a whole, merged and sorted.
fn find_matches(text: &str, area: Range<usize>, needles: &[Needle]) -> Vec<Range<usize>> {
    let base = area.start;
    let part = &text[area];
    let mut tokenizer = Bigram::index();
    let mut stream = tokenizer.token_stream(part);
    let mut at: HashMap<(usize, String), Range<usize>> = HashMap::new();
    let mut order: Vec<(usize, String)> = Vec::new();
    while let Some(token) = stream.next() {
        let key = (token.position, token.text.clone());
        order.push(key.clone());
        at.insert(key, token.offset_from + base..token.offset_to + base);
    }
    let mut found: Vec<Range<usize>> = Vec::new();
    for needle in needles {
        let Some((_, first)) = needle.terms.first() else {
            continue;
        };
        for (position, text) in &order {
            if text != first {
                continue;
            }
            let mut range: Option<Range<usize>> = None;
            let whole = needle.terms.iter().all(|(offset, term)| {
                match at.get(&(position + offset, term.clone())) {
                    Some(r) => {
                        range = Some(match range.take() {
                            Some(acc) => acc.start.min(r.start)..acc.end.max(r.end),
                            None => r.clone(),
                        });
                        true
                    }
                    None => false,
                }
            });
            if let (true, Some(range)) = (whole, range) {
                found.push(range);
            }
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in found {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// How close to an end of the text a window may stop before it is stretched to it,
/// in bytes: better a few more characters than an ellipsis hiding them.
const SLACK_BYTES: usize = 24;

/// Stretches `window` over the punctuation right after it (tantivy stops at the last
/// term) and to the ends of the text when they are near.
fn tidy(text: &str, window: Range<usize>) -> Range<usize> {
    let mut end = window.end;
    for c in text[end..].chars().take(4) {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        end += c.len_utf8();
    }
    if text.len() - end <= SLACK_BYTES {
        end = text.len();
    }
    let start = if window.start <= SLACK_BYTES { 0 } else { window.start };
    start..end
}

/// Cuts `window` out of `text`, trims it, flattens line breaks and adds ellipses where
/// the passage does not reach the text's ends.
fn render(text: &str, window: Range<usize>, matches: &[Range<usize>]) -> Passage {
    let slice = &text[window.clone()];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    // Matches never begin or end with whitespace, so trimming cannot cut into one.
    let start = window.start + leading;
    let end = (window.end - trailing).max(start);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let lead = out.len();
    for c in text[start..end].chars() {
        // The same byte length for each control replaced, so ranges stay valid.
        out.push(if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c });
    }
    if end < text.len() {
        out.push('…');
    }
    let highlights =
        matches.iter().map(|m| (m.start - start + lead, m.end - start + lead)).collect();
    Passage { text: out, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_folded_ignores_case_and_width() {
        assert_eq!(find_folded("建成５Ｇ基站", "5g基站"), Some("建成".len()));
        assert_eq!(find_folded("the GDP grew", "gdp"), Some(4));
        assert_eq!(find_folded("成渝地区双城经济圈", "双城"), Some("成渝地区".len()));
        assert_eq!(find_folded("成渝地区", "经济圈"), None);
        assert_eq!(find_folded("gd", "gdp"), None);
    }

    #[test]
    fn render_marks_ellipses_and_keeps_ranges_on_the_words() {
        let text = "前言。\n主动融入成渝地区双城经济圈建设，推动发展。后记";
        let start = text.find("主动").expect("present");
        let end = text.find("后记").expect("present");
        let m = text.find("成渝").expect("present");
        let matched = vec![Range { start: m, end: m + "成渝".len() }];
        let passage = render(text, start..end, &matched);
        assert_eq!(passage.text, "…主动融入成渝地区双城经济圈建设，推动发展。…");
        let (s, e) = passage.highlights[0];
        assert_eq!(&passage.text[s..e], "成渝");
    }

    #[test]
    fn tidy_takes_in_closing_punctuation_and_near_ends() {
        let text = "甲乙丙丁。”再说";
        assert_eq!(tidy(text, 3..12), 0..text.len());
        let long = format!("{}甲乙。”{}", "长".repeat(20), "长".repeat(20));
        let start = "长".len() * 20;
        let end = start + "甲乙".len();
        assert_eq!(tidy(&long, start..end), start..end + "。”".len());
    }
}

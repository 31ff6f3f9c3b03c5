//! Reading what a user typed into the search box.
//!
//! The rules are the ones people expect from a web search engine:
//! - a word without spaces must appear as written: `成渝地区双城经济圈` finds documents
//!   containing that string, not documents with 成渝 in one place and 经济圈 in another;
//! - several words separated by spaces must all appear, anywhere;
//! - `"…"` (or `“…”`) keeps spaces inside a phrase: `"digital economy"`.

use tantivy::tokenizer::{TokenStream, Tokenizer};

use crate::tokenize::{Bigram, push_normalized};
use crate::{Error, Result};

/// One thing a matching document must contain: a word or a quoted phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Needle {
    /// The terms it cuts into, each with its position relative to the first.
    pub(crate) terms: Vec<(usize, String)>,
    /// The text as typed, folded and lowercased like the terms: a quick way to find
    /// where it occurs in a document (see `snippet`).
    pub(crate) surface: String,
}

/// Splits a query into needles. Returns an empty list for a blank query.
pub(crate) fn parse(text: &str) -> Result<Vec<Needle>> {
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = text;
    loop {
        let Some(open) = rest.find(is_open_quote) else {
            pieces.extend(rest.split_whitespace());
            break;
        };
        pieces.extend(rest[..open].split_whitespace());
        let quote_len = rest[open..].chars().next().map_or(1, char::len_utf8);
        let inner_start = open + quote_len;
        let Some(close) = rest[inner_start..].find(is_close_quote) else {
            return Err(Error::bad_query(
                "a quotation mark is not closed; put a second \" after the phrase",
            ));
        };
        pieces.push(&rest[inner_start..inner_start + close]);
        let close_len = rest[inner_start + close..].chars().next().map_or(1, char::len_utf8);
        rest = &rest[inner_start + close + close_len..];
    }
    let mut needles: Vec<Needle> = Vec::new();
    let mut saw_piece = false;
    for piece in pieces {
        if piece.trim().is_empty() {
            continue;
        }
        saw_piece = true;
        let needle = cut(piece);
        if !needle.terms.is_empty() && !needles.contains(&needle) {
            needles.push(needle);
        }
    }
    if saw_piece && needles.is_empty() {
        return Err(Error::bad_query(
            "the query has no Chinese characters, letters or digits to search for",
        ));
    }
    Ok(needles)
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '＂')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '＂')
}

/// Cuts one word or phrase into terms with the query tokenizer.
fn cut(piece: &str) -> Needle {
    let mut tokenizer = Bigram::query();
    let mut stream = tokenizer.token_stream(piece);
    let mut terms = Vec::new();
    let mut first = None;
    while let Some(token) = stream.next() {
        let base = *first.get_or_insert(token.position);
        terms.push((token.position - base, token.text.clone()));
    }
    let mut surface = String::new();
    push_normalized(&mut surface, piece.trim());
    Needle { terms, surface }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(query: &str, expected: &str) {
        let got = match parse(query) {
            Ok(needles) => needles
                .iter()
                .map(|n| {
                    n.terms.iter().map(|(p, t)| format!("{t}@{p}")).collect::<Vec<_>>().join(" ")
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn a_chinese_word_is_one_phrase() {
        check("成渝地区双城经济圈", "成渝@0 渝地@1 地区@2 区双@3 双城@4 城经@5 经济@6 济圈@7");
    }

    #[test]
    fn spaces_separate_required_words() {
        check("成渝  经济圈", "成渝@0 | 经济@0 济圈@1");
        check("碳达峰\u{3000}碳中和", "碳达@0 达峰@1 | 碳中@0 中和@1");
    }

    #[test]
    fn quotes_keep_a_phrase_together() {
        check("\"digital economy\" 数字", "digital@0 economy@2 | 数字@0");
        check("“数字 经济”", "数字@0 经济@3");
    }

    #[test]
    fn blank_and_duplicate_queries() {
        check("", "");
        check("   ", "");
        check("煤炭 煤炭", "煤炭@0");
    }

    #[test]
    fn unusable_queries_are_user_errors() {
        check(
            "\"成渝",
            "error: bad search query: a quotation mark is not closed; put a second \" after the phrase",
        );
        check(
            "，。 ——",
            "error: bad search query: the query has no Chinese characters, letters or digits to search for",
        );
        check("\"\"", "");
    }
}

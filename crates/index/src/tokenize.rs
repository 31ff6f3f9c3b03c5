//! Cutting text into the terms the index stores: overlapping character bigrams for
//! Chinese, whole words for Latin letters and digits.
//!
//! Why bigrams rather than a word segmenter such as jieba: a segmenter cuts the same
//! phrase differently depending on its neighbours and its dictionary, so the terms of
//! a query need not equal the terms of the document that contains it, and a phrase
//! query then misses documents or, with search mode's overlapping sub-words, finds
//! positions that do not line up. With bigrams a query of `n` Chinese characters is a
//! phrase of `n - 1` bigrams at consecutive positions, and it matches exactly the
//! documents that contain those characters in that order: substring semantics, which
//! is what a user typing `成渝地区双城经济圈` expects, with no dictionary to maintain.
//!
//! Positions count "slots": one per Chinese character, one per Latin word or number,
//! and one per run of anything else (spaces, punctuation). The separator slot keeps a
//! phrase from matching across punctuation, so `成渝，地区` does not contain
//! `成渝地区`, just as `str::contains` says.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name under which [`Bigram::index`] is registered. Part of the schema: change the
/// name whenever the tokenizer's output changes, so that an old index on disk no longer
/// matches the schema and is rebuilt instead of being searched with different terms.
pub(crate) const INDEX_TOKENIZER: &str = "taizhang_bigram_v1";

/// Longest Latin word or number kept, in bytes. Longer runs are noise (hashes, base64).
const MAX_WORD_BYTES: usize = 64;

/// A tokenizer emitting Chinese character bigrams and Latin/digit words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bigram {
    /// Also emit every Chinese character as a unigram at its own position.
    ///
    /// The index needs them so that a one-character query (`煤`) or a character next
    /// to a number (`2025年`) can be found; a query needs them only for a Chinese run
    /// of a single character, since its bigrams already pin every character down.
    all_unigrams: bool,
}

impl Bigram {
    /// The tokenizer used when indexing: bigrams plus every unigram.
    pub(crate) fn index() -> Bigram {
        Bigram { all_unigrams: true }
    }

    /// The tokenizer used for queries: bigrams, and unigrams only for lone characters.
    pub(crate) fn query() -> Bigram {
        Bigram { all_unigrams: false }
    }
}

impl Tokenizer for Bigram {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream {
            text,
            cursor: 0,
            slot: 0,
            pending_bigram: None,
            all_unigrams: self.all_unigrams,
            token: Token::default(),
        }
    }
}

/// The token stream of [`Bigram`].
pub(crate) struct BigramStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to look at.
    cursor: usize,
    /// Position the next token will get.
    slot: usize,
    /// A bigram (start, end, position) to emit before moving on, because a Chinese
    /// character first yields its unigram and then the bigram starting at it.
    pending_bigram: Option<(usize, usize, usize)>,
    all_unigrams: bool,
    token: Token,
}

/// What role a character plays when cutting.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Han ideographs (and 〇, kana, hangul): cut into bigrams.
    Cjk,
    /// Letters and digits of other scripts: grouped into words.
    Word,
    /// Everything else: separates.
    Other,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if fold(c).is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Whether `c` is written without spaces between words and so is cut into bigrams.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3007}'                      // 〇, as in 二〇二五年
        | '\u{3040}'..='\u{30FF}'       // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}'       // extension A
        | '\u{4E00}'..='\u{9FFF}'       // unified ideographs
        | '\u{AC00}'..='\u{D7AF}'       // hangul syllables
        | '\u{F900}'..='\u{FAFF}'       // compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // extensions B to G
    )
}

/// Folds full-width ASCII (`２０２５`, `ＧＤＰ`, common in PDF text) to ASCII.
pub(crate) fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Appends the folded, lowercased form of `s` to `out`.
pub(crate) fn push_normalized(out: &mut String, s: &str) {
    for c in s.chars() {
        out.extend(fold(c).to_lowercase());
    }
}

impl BigramStream<'_> {
    /// Makes `text[from..to]`, of characters of class `class`, the token at `position`.
    fn emit(&mut self, from: usize, to: usize, position: usize, class: Class) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = position;
        self.token.position_length = 1;
        self.token.text.clear();
        let text = &self.text[from..to];
        if class == Class::Cjk {
            // Chinese has no case and no full-width forms: it is its own normal form, and
            // copying it rather than folding it character by character makes indexing
            // about a tenth faster.
            self.token.text.push_str(text);
        } else {
            push_normalized(&mut self.token.text, text);
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some((from, to, position)) = self.pending_bigram.take() {
            self.emit(from, to, position, Class::Cjk);
            return true;
        }
        loop {
            let rest = &self.text[self.cursor..];
            let Some(c) = rest.chars().next() else {
                return false;
            };
            let start = self.cursor;
            match class(c) {
                Class::Cjk => {
                    let end = start + c.len_utf8();
                    let position = self.slot;
                    self.slot += 1;
                    self.cursor = end;
                    let next = self.text[end..].chars().next().filter(|&n| is_cjk(n));
                    let starts_run = !self.text[..start].chars().next_back().is_some_and(is_cjk);
                    let lone = starts_run && next.is_none();
                    match next {
                        Some(n) => {
                            let bigram = (start, end + n.len_utf8(), position);
                            if self.all_unigrams {
                                self.pending_bigram = Some(bigram);
                                self.emit(start, end, position, Class::Cjk);
                            } else {
                                self.emit(bigram.0, bigram.1, bigram.2, Class::Cjk);
                            }
                            return true;
                        }
                        None if self.all_unigrams || lone => {
                            self.emit(start, end, position, Class::Cjk);
                            return true;
                        }
                        None => {}
                    }
                }
                Class::Word => {
                    let end = word_end(self.text, start);
                    let position = self.slot;
                    self.slot += 1;
                    self.cursor = end;
                    if end - start <= MAX_WORD_BYTES {
                        self.emit(start, end, position, Class::Word);
                        return true;
                    }
                }
                Class::Other => {
                    // A run of separators takes one slot, so that phrases cannot
                    // bridge it but "a, b" and "a  b" look alike.
                    let mut end = start;
                    for (i, c) in rest.char_indices() {
                        if class(c) != Class::Other {
                            break;
                        }
                        end = start + i + c.len_utf8();
                    }
                    self.slot += 1;
                    self.cursor = end;
                }
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// The end of the Latin word or number starting at `start`: letters and digits, with a
/// `.` kept between two digits so that `13.5` stays one term.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut chars = text[start..].char_indices().peekable();
    let mut prev_digit = false;
    while let Some((i, c)) = chars.next() {
        let f = fold(c);
        if class(c) == Class::Word {
            prev_digit = f.is_ascii_digit();
            end = start + i + c.len_utf8();
        } else if f == '.'
            && prev_digit
            && chars.peek().is_some_and(|&(_, n)| fold(n).is_ascii_digit())
        {
            prev_digit = false;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(s: &str) -> String {
        let mut out = String::new();
        push_normalized(&mut out, s);
        out
    }

    #[track_caller]
    fn check(tokenizer: Bigram, text: &str, expected: &str) {
        let mut tokenizer = tokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut got = Vec::new();
        while let Some(token) = stream.next() {
            assert_eq!(
                normalized(&text[token.offset_from..token.offset_to]),
                token.text,
                "offsets must point at the token's text"
            );
            got.push(format!("{}@{}", token.text, token.position));
        }
        assert_eq!(got.join(" "), expected);
    }

    /// The tokenizer copies Chinese tokens as they are instead of normalising them.
    #[test]
    fn chinese_is_its_own_normal_form() {
        let cjk = (0..=char::MAX as u32).filter_map(char::from_u32).filter(|&c| is_cjk(c));
        for c in cjk {
            let s = c.to_string();
            assert_eq!(normalized(&s), s, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn chinese_is_cut_into_bigrams_with_unigrams_when_indexing() {
        check(Bigram::index(), "成渝地区", "成@0 成渝@0 渝@1 渝地@1 地@2 地区@2 区@3");
        check(Bigram::query(), "成渝地区", "成渝@0 渝地@1 地区@2");
    }

    #[test]
    fn a_lone_character_is_a_unigram_in_queries() {
        check(Bigram::query(), "煤", "煤@0");
        check(Bigram::query(), "2025年", "2025@0 年@1");
        check(Bigram::index(), "2025年底", "2025@0 年@1 年底@1 底@2");
    }

    #[test]
    fn punctuation_takes_one_slot_and_breaks_runs() {
        check(Bigram::query(), "成渝，地区", "成渝@0 地区@3");
        check(Bigram::query(), "成渝 地区", "成渝@0 地区@3");
        check(Bigram::query(), "digital,  economy", "digital@0 economy@2");
    }

    #[test]
    fn latin_words_are_folded_and_lowercased() {
        check(Bigram::query(), "ＧＤＰ增长", "gdp@0 增长@1");
        check(Bigram::query(), "5G网络", "5g@0 网络@1");
    }

    #[test]
    fn decimals_stay_whole_but_dots_elsewhere_separate() {
        check(Bigram::query(), "增长13.5%", "增长@0 13.5@2");
        check(Bigram::query(), "v1.x", "v1@0 x@2");
        check(Bigram::query(), "１３．５", "13.5@0");
    }

    #[test]
    fn overlong_words_are_dropped_but_keep_their_slot() {
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        check(Bigram::query(), &format!("{long} 煤炭"), "煤炭@2");
    }
}

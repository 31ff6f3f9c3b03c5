//! A saved web page to the readable text of its article.
//!
//! # Why a hand-written scanner
//!
//! The alternatives were `scraper` (html5ever plus CSS selectors) and `dom_smoothie` (a
//! readability port on top of html5ever). Both build a full DOM and bring some thirty crates,
//! for an answer this crate needs only the *text* of: what reaches the reader is decided by
//! the tokenizer (tags, attributes, comments, raw-text elements, character references) and by
//! which element a piece of text sits in, not by the finer points of tree construction. The
//! adoption agency algorithm or foster parenting move text between elements without changing
//! which words are shown, in what order of lines.
//!
//! So this module follows the HTML standard's tokenizer where it decides what is text (`<` not
//! followed by a letter is a character, `<p <b>` is a `p` with an attribute `<b`, `<!-->` is
//! an empty comment, `</br>` is a line break, `script`/`style`/`title` contents are raw) and
//! keeps a stack of open elements with the standard's implied end tags and scopes (`<li>`
//! closes an open `li`, `<div>` closes an open `p`, `</div>` does not close past a table cell,
//! `</body>` closes nothing), which is what decides whether text falls inside a `<nav>` or a
//! `class="footer"` block. It departs from the standard on purpose in three places, each time
//! to recover text a browser would hide behind an authoring error: an unclosed `<!--` ends at
//! the next `>`, an unclosed quoted attribute ends at the next `>`, and `/>` really closes an
//! element the scanner would otherwise skip to the end of the page (`<div class="share"/>`).
//!
//! The scanner allocates only for open elements and the output, never panics (every slice is
//! taken with `get`), bounds its stack, and runs in one pass, far faster than segmenting the
//! same text with jieba.

use std::collections::HashMap;

use super::entities;
use super::furniture::{is_blank, is_furniture_line, strip_furniture_tail};

/// The text of a page, ready to be the document text.
pub(super) struct PageText {
    /// Lines of the article, `\n`-terminated; the title first when it had to be added.
    pub(super) text: String,
    /// Whether any line besides the title was found.
    pub(super) has_body: bool,
    /// Whether the class/id furniture rules were given up because they hid the article.
    pub(super) kept_furniture_blocks: bool,
}

/// Reads a decoded page.
pub(super) fn page_text(src: &str) -> PageText {
    let strict = Scanner::run(src, true);
    let mut kept_furniture_blocks = false;
    let page = if strict.lines.is_empty() || !has_paragraph(&strict.lines) {
        // A `class="menu"` on a wrapper, or a furniture block left open, can hide the whole
        // article; the page read without those rules then has paragraphs the strict one lacks.
        let loose = Scanner::run(src, false);
        if has_paragraph(&loose.lines) || (strict.lines.is_empty() && !loose.lines.is_empty()) {
            kept_furniture_blocks = true;
            loose
        } else {
            strict
        }
    } else {
        strict
    };
    let has_body = !page.lines.is_empty();
    let mut lines = page.lines;
    if !page.h1_seen
        && let Some(title) = page.title.as_deref().and_then(clean_title)
        && !lines.iter().any(|line| same_title(line, &title))
    {
        lines.insert(0, title);
    }
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in &lines {
        text.push_str(line);
        text.push('\n');
    }
    PageText { text, has_body, kept_furniture_blocks }
}

/// Finds the charset a page declares in its first bytes: an XML declaration, a
/// `<meta charset>` or a `<meta http-equiv="Content-Type" content="…; charset=…">`. Returns the
/// label as written.
pub(super) fn declared_charset(bytes: &[u8]) -> Option<String> {
    // Real pages put long scripts and comments before their meta; browsers look at 1024 bytes,
    // saved pages from government sites need more.
    let head = String::from_utf8_lossy(bytes.get(..16 * 1024).unwrap_or(bytes));
    let b = head.as_bytes();
    if let Some(rest) = head.strip_prefix("<?xml")
        && let Some(decl) = rest.split("?>").next()
        && let Some(label) = attribute_in(decl, "encoding")
    {
        return Some(label);
    }
    let mut i = 0;
    while let Some(lt) = find_byte(b, b'<', i) {
        if starts_with_at(b, lt, b"<!--") {
            i = match find(b, b"-->", lt + 4) {
                Some(end) => end + 3,
                None => return None,
            };
        } else if starts_with_ci(b, lt + 1, b"meta")
            && b.get(lt + 5).is_some_and(|c| is_tag_space(*c) || *c == b'/')
        {
            let mut charset = None;
            let mut content = None;
            let mut http_equiv = false;
            let tag = parse_tag(&head, lt, false, |name, value| {
                if name.eq_ignore_ascii_case("charset") {
                    charset = Some(value.trim().to_owned());
                } else if name.eq_ignore_ascii_case("content") {
                    content = Some(value.to_owned());
                } else if name.eq_ignore_ascii_case("http-equiv") {
                    http_equiv = value.trim().eq_ignore_ascii_case("content-type");
                }
            });
            if let Some(charset) = charset.filter(|c| !c.is_empty()) {
                return Some(charset);
            }
            if http_equiv && let Some(label) = content.as_deref().and_then(charset_in_content) {
                return Some(label);
            }
            i = tag.map_or(lt + 1, |t| t.end);
        } else {
            i = lt + 1;
        }
    }
    None
}

/// `text/html; charset=gb2312` → `gb2312`.
fn charset_in_content(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower.get(at + "charset".len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let label: String =
        rest.chars().take_while(|c| !matches!(c, '"' | '\'' | ';') && !c.is_whitespace()).collect();
    (!label.is_empty()).then_some(label)
}

/// `encoding="gb2312"` inside an XML declaration.
fn attribute_in(decl: &str, name: &str) -> Option<String> {
    let at = decl.find(name)?;
    let rest = decl.get(at + name.len()..)?.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = rest.get(1..)?.split(quote).next()?;
    (!value.is_empty()).then(|| value.to_owned())
}

/// Elements that end a line where they start and where they end.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "option"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// Start tags that close an open `<p>` (the HTML standard's list, without `table`, which
/// does not in the quirks mode most government pages are in).
fn closes_p(name: &str) -> bool {
    name != "table"
        && name != "option"
        && name != "body"
        && name != "html"
        && name != "tbody"
        && name != "tfoot"
        && name != "thead"
        && name != "tr"
        && name != "caption"
        && name != "legend"
        && is_block(name)
}

/// Elements without content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose content is not markup; all but `title` are dropped.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "plaintext"
    )
}

/// Elements whose text is never article text.
fn is_hidden_element(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "nav"
            | "footer"
            | "aside"
            | "menu"
            | "select"
            | "button"
            | "svg"
            | "math"
            | "template"
            | "object"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "datalist"
    )
}

/// What may sit in `<head>`; anything else ends it, as in the HTML standard.
fn is_head_content(name: &str) -> bool {
    matches!(
        name,
        "title"
            | "meta"
            | "link"
            | "script"
            | "style"
            | "base"
            | "noscript"
            | "template"
            | "basefont"
            | "bgsound"
            | "head"
    )
}

/// Class or id fragments that mark furniture (`subnav`, `bdsharebuttonbox`, `footer-wrap`).
const FURNITURE_FRAGMENTS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "breadcrumb",
    "crumb",
    "bread",
    "share",
    "fenxiang",
    "toolbar",
    "login",
];

/// Whole class or id tokens that mark furniture on Chinese sites, too short to match inside
/// other words (`foot` is in `footnote`).
const FURNITURE_TOKENS: &[&str] =
    &["foot", "bottom", "dqwz", "weizhi", "daohang", "position", "location"];

/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &["navigation", "banner", "contentinfo", "menu", "menubar"];

/// Scopes of the HTML standard: an end tag does not close elements beyond these.
const DEFAULT_SCOPE: &[&str] =
    &["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"];
const BUTTON_SCOPE: &[&str] =
    &["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button"];
const LIST_SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "ol", "ul",
];
const TABLE_SCOPE: &[&str] = &["html", "table", "template"];

/// Open elements kept; deeper ones are treated as if they had no end tag. Real pages nest a
/// few dozen deep, so this only bounds hostile input.
const MAX_DEPTH: usize = 512;

/// One open element.
struct Open {
    name: String,
    skip: bool,
}

/// A start or end tag.
struct Tag {
    /// Lower-case name.
    name: String,
    /// Byte offset just past the tag's `>`.
    end: usize,
    /// `/>`.
    self_closing: bool,
}

/// What one pass over a page found.
struct Scan {
    lines: Vec<String>,
    title: Option<String>,
    h1_seen: bool,
}

struct Scanner<'a> {
    src: &'a str,
    /// Whether class, id and role mark furniture blocks to drop.
    drop_furniture: bool,
    out: Out,
    stack: Vec<Open>,
    /// How many elements of each name are open, to ignore stray end tags at once.
    open_counts: HashMap<String, u32>,
    /// Open elements whose text is dropped.
    skip_depth: u32,
    pre_depth: u32,
    article_depth: u32,
    h1_depth: u32,
    head_depth: u32,
    foreign_depth: u32,
    title: Option<String>,
    h1_seen: bool,
}

impl<'a> Scanner<'a> {
    fn run(src: &'a str, drop_furniture: bool) -> Scan {
        let mut s = Scanner {
            src,
            drop_furniture,
            out: Out::with_capacity(src.len() / 3),
            stack: Vec::new(),
            open_counts: HashMap::new(),
            skip_depth: 0,
            pre_depth: 0,
            article_depth: 0,
            h1_depth: 0,
            head_depth: 0,
            foreign_depth: 0,
            title: None,
            h1_seen: false,
        };
        let b = src.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let Some(lt) = find_byte(b, b'<', i) else {
                s.text(src.get(i..).unwrap_or(""));
                break;
            };
            if lt > i {
                s.text(src.get(i..lt).unwrap_or(""));
            }
            // Every branch moves past `lt`, so the loop ends.
            i = s.markup(lt).max(lt + 1);
        }
        let lines = s
            .out
            .buf
            .split('\n')
            .map(|line| line.trim_matches(is_blank))
            .filter(|line| !line.is_empty() && !is_furniture_line(line))
            .map(strip_furniture_tail)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        Scan { lines, title: s.title, h1_seen: s.h1_seen }
    }

    /// Handles the markup at `lt` (a `<`) and returns where text resumes.
    fn markup(&mut self, lt: usize) -> usize {
        let b = self.src.as_bytes();
        match b.get(lt + 1) {
            Some(b'!') if starts_with_at(b, lt, b"<!--") => skip_comment(b, lt + 4),
            Some(b'!' | b'?') => find_byte(b, b'>', lt + 2).map_or(b.len(), |p| p + 1),
            Some(b'/') => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    match parse_tag(self.src, lt, true, |_, _| {}) {
                        Some(tag) => {
                            self.end_tag(&tag.name);
                            tag.end
                        }
                        // End of input inside a tag: the standard drops the tag.
                        None => b.len(),
                    }
                }
                Some(b'>') => lt + 3,
                Some(_) => find_byte(b, b'>', lt + 2).map_or(b.len(), |p| p + 1),
                None => {
                    self.text("</");
                    b.len()
                }
            },
            Some(c) if c.is_ascii_alphabetic() => self.start_tag(lt),
            _ => {
                self.text("<");
                lt + 1
            }
        }
    }

    fn start_tag(&mut self, lt: usize) -> usize {
        let mut class_id = String::new();
        let mut hidden = false;
        let mut role = String::new();
        let parsed = parse_tag(self.src, lt, false, |name, value| {
            if name.eq_ignore_ascii_case("class") || name.eq_ignore_ascii_case("id") {
                class_id.push(' ');
                class_id.push_str(&value.to_ascii_lowercase());
            } else if name.eq_ignore_ascii_case("hidden") {
                hidden = true;
            } else if name.eq_ignore_ascii_case("style") {
                let style: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                hidden |= style.contains("display:none") || style.contains("visibility:hidden");
            } else if name.eq_ignore_ascii_case("role") {
                role = value.trim().to_ascii_lowercase();
            }
        });
        let Some(tag) = parsed else {
            return self.src.len();
        };
        let name = tag.name.as_str();

        if self.head_depth > 0 && !is_head_content(name) {
            self.close("head", DEFAULT_SCOPE);
        }
        match name {
            "li" => self.close("li", LIST_SCOPE),
            "dt" | "dd" => {
                self.close("dt", DEFAULT_SCOPE);
                self.close("dd", DEFAULT_SCOPE);
            }
            "td" | "th" => {
                self.close("td", TABLE_SCOPE);
                self.close("th", TABLE_SCOPE);
            }
            "tr" => self.close("tr", TABLE_SCOPE),
            "option" => self.close("option", DEFAULT_SCOPE),
            _ => {}
        }
        if closes_p(name) {
            self.close("p", BUTTON_SCOPE);
        }

        if is_raw_text(name) {
            return self.raw_text(&tag);
        }
        if name == "br" || is_block(name) {
            self.out.line();
        }
        if name == "td" || name == "th" {
            self.out.cell();
        }
        if is_void(name) {
            return tag.end;
        }

        let skip = hidden
            || is_hidden_element(name)
            || (name == "header" && self.article_depth == 0)
            || (self.drop_furniture
                && !matches!(name, "html" | "body" | "main" | "article")
                && (is_furniture_class(&class_id) || FURNITURE_ROLES.contains(&role.as_str())));
        if (tag.self_closing && skip) || self.stack.len() >= MAX_DEPTH {
            return tag.end;
        }
        self.push(tag.name, skip);
        tag.end
    }

    /// `<script>`, `<style>`, `<title>` and the like: their content is not markup.
    fn raw_text(&mut self, tag: &Tag) -> usize {
        let b = self.src.as_bytes();
        if tag.self_closing && tag.name != "title" {
            return tag.end;
        }
        let (content_end, resume) = match find_end_tag(b, &tag.name, tag.end) {
            Some(found) => found,
            // An unclosed title ends where markup starts again; anything else unclosed runs to
            // the end of the input, as in a browser.
            None if tag.name == "title" => {
                let end = find_byte(b, b'<', tag.end).unwrap_or(b.len());
                (end, end)
            }
            None => (b.len(), b.len()),
        };
        if tag.name == "title" && self.title.is_none() && self.foreign_depth == 0 {
            let raw = self.src.get(tag.end..content_end).unwrap_or("");
            let mut title = Out::with_capacity(raw.len());
            feed_with_references(raw, &mut title, false);
            let title = title.buf.trim_matches(is_blank).to_owned();
            if !title.is_empty() {
                self.title = Some(title);
            }
        }
        resume
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "br" => {
                self.out.line();
                return;
            }
            // `</body>` and `</html>` close nothing: browsers show what follows them.
            "body" | "html" => return,
            _ => {}
        }
        let scope = match name {
            "p" => BUTTON_SCOPE,
            "li" => LIST_SCOPE,
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" | "table" | "caption" => TABLE_SCOPE,
            _ => DEFAULT_SCOPE,
        };
        match self.find_open(name, scope) {
            Some(at) => self.pop_to(at),
            // A stray `</p>` makes an empty paragraph; other stray block ends still end a line.
            None if is_block(name) => self.out.line(),
            None => {}
        }
    }

    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.head_depth > 0 && !s.chars().all(is_blank) {
            self.close("head", DEFAULT_SCOPE);
        }
        if self.skip_depth > 0 {
            return;
        }
        let before = self.out.visible;
        feed_with_references(s, &mut self.out, self.pre_depth > 0);
        if self.h1_depth > 0 && self.out.visible > before {
            self.h1_seen = true;
        }
    }

    fn push(&mut self, name: String, skip: bool) {
        self.adjust(&name, skip, 1);
        *self.open_counts.entry(name.clone()).or_insert(0) += 1;
        self.stack.push(Open { name, skip });
    }

    /// Pops the element at `at` and everything opened after it.
    fn pop_to(&mut self, at: usize) {
        while self.stack.len() > at {
            let Some(open) = self.stack.pop() else { break };
            self.adjust(&open.name, open.skip, -1);
            if let Some(n) = self.open_counts.get_mut(&open.name) {
                *n = n.saturating_sub(1);
            }
            if is_block(&open.name) {
                self.out.line();
            }
        }
    }

    fn adjust(&mut self, name: &str, skip: bool, delta: i32) {
        let bump = |n: &mut u32| *n = n.saturating_add_signed(delta);
        if skip {
            bump(&mut self.skip_depth);
        }
        match name {
            "pre" | "listing" => bump(&mut self.pre_depth),
            "article" => bump(&mut self.article_depth),
            "h1" => bump(&mut self.h1_depth),
            "head" => bump(&mut self.head_depth),
            "svg" | "math" => bump(&mut self.foreign_depth),
            _ => {}
        }
    }

    /// Where the innermost open `name` is, unless an element of `scope` is nearer.
    fn find_open(&self, name: &str, scope: &[&str]) -> Option<usize> {
        if self.open_counts.get(name).is_none_or(|n| *n == 0) {
            return None;
        }
        for (at, open) in self.stack.iter().enumerate().rev() {
            if open.name == name {
                return Some(at);
            }
            if scope.contains(&open.name.as_str()) {
                return None;
            }
        }
        None
    }

    /// Closes an open `name` implied by what follows.
    fn close(&mut self, name: &str, scope: &[&str]) {
        if let Some(at) = self.find_open(name, scope) {
            self.pop_to(at);
        }
    }
}

/// Whether class and id values (space-separated, lower case) name a furniture block.
fn is_furniture_class(class_id: &str) -> bool {
    FURNITURE_FRAGMENTS.iter().any(|f| class_id.contains(f))
        || class_id
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_'))
            .any(|token| FURNITURE_TOKENS.contains(&token))
}

/// Passes text with character references resolved to `out`.
fn feed_with_references(s: &str, out: &mut Out, pre: bool) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.feed(rest.get(..amp).unwrap_or(""), pre);
        let after = rest.get(amp + 1..).unwrap_or("");
        match entities::decode(after) {
            Some((entities::Decoded::Char(c), used)) => {
                out.feed_char(c, pre);
                rest = after.get(used..).unwrap_or("");
            }
            Some((entities::Decoded::Str(v), used)) => {
                out.feed(v, pre);
                rest = after.get(used..).unwrap_or("");
            }
            None => {
                out.feed_char('&', pre);
                rest = after;
            }
        }
    }
    out.feed(rest, pre);
}

/// What separates the next visible character from the last one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    None,
    /// White space; `segment_break` if it held a line break of the source.
    Space {
        segment_break: bool,
    },
    /// A new table cell on the same line.
    Cell,
    /// A new line.
    Line,
}

/// The text being built: white space collapsed, lines from blocks, cells split by tabs.
struct Out {
    buf: String,
    pending: Pending,
    last: char,
    /// Visible characters written so far.
    visible: usize,
}

impl Out {
    fn with_capacity(n: usize) -> Out {
        Out { buf: String::with_capacity(n), pending: Pending::None, last: '\n', visible: 0 }
    }

    fn line(&mut self) {
        self.pending = Pending::Line;
    }

    fn cell(&mut self) {
        if self.pending != Pending::Line {
            self.pending = Pending::Cell;
        }
    }

    fn space(&mut self, segment_break: bool) {
        self.pending = match self.pending {
            Pending::None => Pending::Space { segment_break },
            Pending::Space { segment_break: had } => {
                Pending::Space { segment_break: had || segment_break }
            }
            other => other,
        };
    }

    fn feed(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            self.feed_char(c, pre);
        }
    }

    fn feed_char(&mut self, c: char, pre: bool) {
        match c {
            '\n' if pre => self.line(),
            '\n' | '\r' => self.space(true),
            // Zero-width marks and soft hyphens join words; they are not spaces.
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            c if is_blank(c) => self.space(false),
            c if c.is_control() => {}
            c => self.push(c),
        }
    }

    fn push(&mut self, c: char) {
        let at_line_start = self.last == '\n';
        let separator = match self.pending {
            _ if at_line_start => None,
            Pending::None => None,
            Pending::Line => Some('\n'),
            Pending::Cell => Some('\t'),
            // A source line break next to a Chinese character is not a space: Chinese has no
            // spaces between words, and hand-wrapped HTML splits sentences (`达到\n1.2万亿元`)
            // anywhere. CSS drops it only between two wide characters; next to one is better
            // for a text where numbers are looked for.
            Pending::Space { segment_break: true } if is_wide(self.last) || is_wide(c) => None,
            Pending::Space { .. } => Some(' '),
        };
        if let Some(separator) = separator {
            self.buf.push(separator);
        }
        self.pending = Pending::None;
        self.buf.push(c);
        self.last = c;
        self.visible += 1;
    }
}

/// East Asian wide characters, next to which a source line break vanishes.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// `<title>` text without the site name: `关于印发…的通知_政策文件_某市人民政府` → the
/// first part, which is the article's title in the usual CMS layout, unless it is the site
/// name (`某市人民政府 - 关于…`).
fn clean_title(title: &str) -> Option<String> {
    const SITE_ENDINGS: &[&str] = &["网站", "门户", "政府网", "人民政府", "官网", "首页"];
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> = title
        .split(['_', '|', '｜'])
        .flat_map(|part| part.split(" - "))
        .flat_map(|part| part.split(" — "))
        .map(|part| part.trim_matches(is_blank))
        .filter(|part| !part.is_empty())
        .collect();
    let is_site = |part: &&str| SITE_ENDINGS.iter().any(|e| part.ends_with(e));
    let best = parts.iter().find(|p| !is_site(p)).or(parts.first())?;
    Some((*best).to_owned())
}

/// Whether a line of the page already carries the title.
fn same_title(line: &str, title: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !is_blank(*c)).collect::<String>();
    let (line, title) = (squash(line), squash(title));
    let (line_chars, title_chars) = (line.chars().count(), title.chars().count());
    line.contains(&title)
        || (line_chars >= 4 && line_chars * 2 >= title_chars && title.contains(&line))
}

/// Whether some line reads like a paragraph of an article rather than a link or a label:
/// sentences with commas and a full stop; footers (`版权所有…`) have neither.
fn has_paragraph(lines: &[String]) -> bool {
    lines.iter().any(|l| {
        l.contains('。') && l.contains('，') && !l.contains("版权所有") && l.chars().count() >= 60
    })
}

/// Skips a comment whose body starts at `body` and returns where text resumes.
fn skip_comment(b: &[u8], body: usize) -> usize {
    // `<!-->` and `<!--->` are complete, empty comments.
    if b.get(body) == Some(&b'>') {
        return body + 1;
    }
    if b.get(body..body + 2) == Some(b"->") {
        return body + 2;
    }
    let close = find(b, b"-->", body).map(|p| p + 3);
    let bang = find(b, b"--!>", body).map(|p| p + 4);
    match (close, bang) {
        (Some(a), Some(c)) => a.min(c),
        (Some(a), None) | (None, Some(a)) => a,
        // Unclosed: a browser hides the rest of the page; ending at the next `>` keeps the
        // article behind a mistyped `<!-- 导航 ->`.
        (None, None) => find_byte(b, b'>', body).map_or(b.len(), |p| p + 1),
    }
}

/// Finds `</name` (any case) followed by a space, `/` or `>` from `from` on; returns where it
/// starts and where text resumes after it.
fn find_end_tag(b: &[u8], name: &str, from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(at) = find(b, b"</", i) {
        let after_name = at + 2 + name.len();
        if starts_with_ci(b, at + 2, name.as_bytes())
            && b.get(after_name).is_none_or(|c| is_tag_space(*c) || matches!(c, b'/' | b'>'))
        {
            let resume = find_byte(b, b'>', after_name).map_or(b.len(), |p| p + 1);
            return Some((at, resume));
        }
        i = at + 2;
    }
    None
}

/// Parses the tag at `lt`, calling `on_attr` with each attribute's name and value, and
/// returns `None` if the input ends inside it.
fn parse_tag(
    src: &str,
    lt: usize,
    end_tag: bool,
    mut on_attr: impl FnMut(&str, &str),
) -> Option<Tag> {
    let b = src.as_bytes();
    let name_start = lt + if end_tag { 2 } else { 1 };
    let mut i = name_start;
    while b.get(i).is_some_and(|c| !is_tag_space(*c) && !matches!(c, b'/' | b'>')) {
        i += 1;
    }
    let name = src.get(name_start..i)?.to_ascii_lowercase();
    let mut self_closing = false;
    loop {
        while let Some(&c) = b.get(i) {
            if c == b'/' {
                self_closing = b.get(i + 1) == Some(&b'>');
            } else if !is_tag_space(c) {
                break;
            }
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(b'>') => return Some(Tag { name, end: i + 1, self_closing }),
            Some(_) => {}
        }
        self_closing = false;
        // An attribute name; its first character may be anything, even `=` or `<`.
        let attr_start = i;
        i += 1;
        while b.get(i).is_some_and(|c| !is_tag_space(*c) && !matches!(c, b'/' | b'>' | b'=')) {
            i += 1;
        }
        let attr = src.get(attr_start..i).unwrap_or("");
        while b.get(i).is_some_and(|c| is_tag_space(*c)) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            on_attr(attr, "");
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(|c| is_tag_space(*c)) {
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(&q @ (b'"' | b'\'')) => match find_byte(b, q, i + 1) {
                Some(close) => {
                    on_attr(attr, src.get(i + 1..close).unwrap_or(""));
                    i = close + 1;
                }
                // An unclosed quote would swallow the rest of the page; end the tag at the
                // next `>` instead.
                None => {
                    let end = find_byte(b, b'>', i + 1)?;
                    on_attr(attr, src.get(i + 1..end).unwrap_or(""));
                    return Some(Tag { name, end: end + 1, self_closing: false });
                }
            },
            Some(_) => {
                let value_start = i;
                while b.get(i).is_some_and(|c| !is_tag_space(*c) && *c != b'>') {
                    i += 1;
                }
                on_attr(attr, src.get(value_start..i).unwrap_or(""));
            }
        }
    }
}

fn is_tag_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find_byte(b: &[u8], needle: u8, from: usize) -> Option<usize> {
    memchr::memchr(needle, b.get(from..)?).map(|p| p + from)
}

fn find(b: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| p + from)
}

fn starts_with_at(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..at + prefix.len()) == Some(prefix)
}

fn starts_with_ci(b: &[u8], at: usize, prefix: &[u8]) -> bool {
    b.get(at..at + prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix))
}

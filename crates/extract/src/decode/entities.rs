//! HTML character references (`&nbsp;`, `&lt;`, `&#x4E00;`, `&#19968;`).
//!
//! The full HTML table has over two thousand names, nearly all of them absent from Chinese
//! government pages; this one has the names such pages use. An unknown name stays as written,
//! which is also what a browser shows for it.

/// Named references, sorted by name for binary search. Names are case-sensitive.
const NAMED: &[(&str, &str)] = &[
    ("AMP", "&"),
    ("Alpha", "Α"),
    ("Beta", "Β"),
    ("COPY", "©"),
    ("Delta", "Δ"),
    ("GT", ">"),
    ("Gamma", "Γ"),
    ("LT", "<"),
    ("Omega", "Ω"),
    ("Prime", "″"),
    ("QUOT", "\""),
    ("REG", "®"),
    ("Sigma", "Σ"),
    ("aacute", "á"),
    ("acute", "´"),
    ("agrave", "à"),
    ("alpha", "α"),
    ("amp", "&"),
    ("apos", "'"),
    ("asymp", "≈"),
    ("auml", "ä"),
    ("bdquo", "„"),
    ("beta", "β"),
    ("brvbar", "¦"),
    ("bull", "•"),
    ("cap", "∩"),
    ("cedil", "¸"),
    ("cent", "¢"),
    ("circ", "ˆ"),
    ("copy", "©"),
    ("cup", "∪"),
    ("curren", "¤"),
    ("dagger", "†"),
    ("darr", "↓"),
    ("deg", "°"),
    ("delta", "δ"),
    ("divide", "÷"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("emsp", "\u{2003}"),
    ("ensp", "\u{2002}"),
    ("epsilon", "ε"),
    ("equiv", "≡"),
    ("euro", "€"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("frasl", "⁄"),
    ("gamma", "γ"),
    ("ge", "≥"),
    ("gt", ">"),
    ("harr", "↔"),
    ("hellip", "…"),
    ("iacute", "í"),
    ("iexcl", "¡"),
    ("infin", "∞"),
    ("iquest", "¿"),
    ("lambda", "λ"),
    ("laquo", "«"),
    ("larr", "←"),
    ("ldquo", "“"),
    ("le", "≤"),
    ("lowast", "∗"),
    ("loz", "◊"),
    ("lrm", "\u{200e}"),
    ("lsaquo", "‹"),
    ("lsquo", "‘"),
    ("lt", "<"),
    ("macr", "¯"),
    ("mdash", "—"),
    ("micro", "µ"),
    ("middot", "·"),
    ("minus", "−"),
    ("mu", "μ"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("ne", "≠"),
    ("not", "¬"),
    ("oacute", "ó"),
    ("ograve", "ò"),
    ("oline", "‾"),
    ("omega", "ω"),
    ("ordf", "ª"),
    ("ordm", "º"),
    ("ouml", "ö"),
    ("para", "¶"),
    ("permil", "‰"),
    ("phi", "φ"),
    ("pi", "π"),
    ("plusmn", "±"),
    ("pound", "£"),
    ("prime", "′"),
    ("quot", "\""),
    ("radic", "√"),
    ("raquo", "»"),
    ("rarr", "→"),
    ("rdquo", "”"),
    ("reg", "®"),
    ("rho", "ρ"),
    ("rlm", "\u{200f}"),
    ("rsaquo", "›"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("sect", "§"),
    ("shy", "\u{ad}"),
    ("sigma", "σ"),
    ("sum", "∑"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("szlig", "ß"),
    ("theta", "θ"),
    ("thinsp", "\u{2009}"),
    ("tilde", "˜"),
    ("times", "×"),
    ("trade", "™"),
    ("uacute", "ú"),
    ("uarr", "↑"),
    ("uml", "¨"),
    ("uuml", "ü"),
    ("yen", "¥"),
    ("zwj", "\u{200d}"),
    ("zwnj", "\u{200c}"),
];

/// Names a browser also accepts without the final `;` (`&nbsp` before a CJK character is
/// common in hand-written pages), longest first so `&copy` is not read as `&cop…`.
const LEGACY: &[&str] =
    &["nbsp", "quot", "copy", "COPY", "QUOT", "AMP", "amp", "REG", "reg", "GT", "LT", "gt", "lt"];

/// Windows-1252 characters that numeric references in 0x80..=0x9F stand for, as the HTML
/// standard prescribes (`&#150;` is an en dash, not a C1 control).
const C1: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// What a reference stands for.
pub(super) enum Decoded {
    /// A numeric reference.
    Char(char),
    /// A named reference.
    Str(&'static str),
}

/// Reads the reference at the start of `s`, which begins just after a `&`. Returns what it
/// stands for and how many bytes of `s` it used, or `None` if this `&` is just a character.
pub(super) fn decode(s: &str) -> Option<(Decoded, usize)> {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        return numeric(bytes);
    }
    let name_len = bytes.iter().take(32).take_while(|b| b.is_ascii_alphanumeric()).count();
    let name = s.get(..name_len)?;
    if name.is_empty() {
        return None;
    }
    if bytes.get(name_len) == Some(&b';')
        && let Ok(i) = NAMED.binary_search_by(|(n, _)| n.cmp(&name))
    {
        return NAMED.get(i).map(|(_, v)| (Decoded::Str(v), name_len + 1));
    }
    let legacy = LEGACY.iter().find(|l| name.starts_with(**l))?;
    let value = NAMED.iter().find(|(n, _)| n == legacy).map(|(_, v)| *v)?;
    Some((Decoded::Str(value), legacy.len()))
}

/// `#123;` or `#x4E00;`, with or without the `;`.
fn numeric(bytes: &[u8]) -> Option<(Decoded, usize)> {
    let (radix, start) = match bytes.get(1) {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits = bytes
        .get(start..)?
        .iter()
        .take_while(|b| if radix == 16 { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
        .count();
    if digits == 0 {
        return None;
    }
    let mut value: u32 = 0;
    for &b in bytes.get(start..start + digits)? {
        let d = char::from(b).to_digit(radix).unwrap_or(0);
        value = value.saturating_mul(radix).saturating_add(d);
    }
    let mut used = start + digits;
    if bytes.get(used) == Some(&b';') {
        used += 1;
    }
    let c = match value {
        0x80..=0x9f => C1.get((value - 0x80) as usize).copied().unwrap_or('\u{fffd}'),
        0 => '\u{fffd}',
        v => char::from_u32(v).unwrap_or('\u{fffd}'),
    };
    Some((Decoded::Char(c), used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(after_amp: &str, expected: Option<(&str, usize)>) {
        let got = decode(after_amp).map(|(d, n)| {
            let s = match d {
                Decoded::Char(c) => c.to_string(),
                Decoded::Str(s) => s.to_string(),
            };
            (s, n)
        });
        assert_eq!(got.as_ref().map(|(s, n)| (s.as_str(), *n)), expected, "&{after_amp}");
    }

    #[test]
    fn table_is_sorted() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LEGACY.iter().all(|l| NAMED.iter().any(|(n, _)| n == l)));
    }

    #[test]
    fn references() {
        check("nbsp;x", Some(("\u{a0}", 5)));
        check("nbsp中", Some(("\u{a0}", 4)));
        check("lt;", Some(("<", 3)));
        check("ldquo;十四五&rdquo;", Some(("“", 6)));
        check("#x4E00;", Some(("一", 7)));
        check("#X4e00", Some(("一", 6)));
        check("#19968;", Some(("一", 7)));
        check("#150;", Some(("–", 5)));
        check("#0;", Some(("\u{fffd}", 3)));
        check("#xD800;", Some(("\u{fffd}", 7)));
        check("#99999999999999999999;", Some(("\u{fffd}", 22)));
        check("#;", None);
        check("#x;", None);
        check("bogus;", None);
        check(" and", None);
        check("", None);
    }
}

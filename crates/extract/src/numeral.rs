//! Numerals as planning documents write them: Arabic digits (ASCII or full-width, with OCR
//! spaces), Chinese numerals (`一千八百`, `两万`, `二〇三五`), decimals and fractions.
//!
//! A numeral here stops before its magnitude word (万, 亿): the magnitude belongs to the
//! unit, as the annotation rules keep it (`5500亿元` is 5500 with unit `亿元`).

/// A parsed numeral: its value and how many chars it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Numeral {
    pub value: f64,
    /// Chars consumed from the start of the slice.
    pub len: usize,
    /// Whether it was written in Chinese characters.
    pub chinese: bool,
}

/// The value of an Arabic digit, ASCII or full-width.
pub(crate) fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Every character a Chinese numeral is written with: the digits, then the multipliers
/// below 万. [`chinese_digit`] and [`small_multiplier`] must not accept any other.
const CHINESE_NUMERAL_CHARS: [char; 15] =
    ['零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千'];

/// Entry `c % 128` is true for each of [`CHINESE_NUMERAL_CHARS`]. Reading the text, almost
/// every character is tested for being a numeral, and almost none is one; the `match`es
/// below compile to a tree of comparisons that the processor mispredicts on ordinary text.
/// One look-up first rejects about seven characters in eight with a single, well predicted
/// branch. It is only a necessary condition: the `match` still decides.
const CHINESE_NUMERAL_LOW: [bool; 128] = {
    let mut table = [false; 128];
    let mut k = 0;
    while k < CHINESE_NUMERAL_CHARS.len() {
        table[CHINESE_NUMERAL_CHARS[k] as usize % 128] = true;
        k += 1;
    }
    table
};

/// Whether `c` may be one of [`CHINESE_NUMERAL_CHARS`]; false means it certainly is not.
fn may_be_chinese_numeral(c: char) -> bool {
    CHINESE_NUMERAL_LOW[c as usize % 128]
}

/// The value of a Chinese digit (not a multiplier).
pub(crate) fn chinese_digit(c: char) -> Option<u32> {
    if !may_be_chinese_numeral(c) {
        return None;
    }
    chinese_digit_value(c)
}

fn chinese_digit_value(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn small_multiplier(c: char) -> Option<u32> {
    if !may_be_chinese_numeral(c) {
        return None;
    }
    multiplier_value(c)
}

fn multiplier_value(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Whether `c` can start or continue a Chinese numeral.
pub(crate) fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit(c).is_some() || small_multiplier(c).is_some()
}

/// A set of chars of the Basic Multilingual Plane, one bit each: 8 kB, so it stays in the
/// first-level cache. Passes that test every char of the text for a rare few use one, as
/// one bit test is exact and well predicted, where range checks and `match`es mispredict
/// on ordinary Chinese text.
pub(crate) struct CharSet([u64; 1024]);

impl CharSet {
    /// The set of `chars`, all of which must be in the Basic Multilingual Plane.
    pub(crate) const fn new(chars: &[char]) -> CharSet {
        let mut bits = [0u64; 1024];
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k] as usize;
            assert!(c < 0x10000, "a char outside the Basic Multilingual Plane");
            bits[c / 64] |= 1 << (c % 64);
            k += 1;
        }
        CharSet(bits)
    }

    pub(crate) fn contains(&self, c: char) -> bool {
        let c = c as usize;
        c < 0x10000 && self.0[c / 64] & (1 << (c % 64)) != 0
    }
}

/// The chars a numeral starts with: the Arabic digits, ASCII and full-width, and
/// [`CHINESE_NUMERAL_CHARS`].
const NUMERAL_START: CharSet = CharSet::new(&[
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '０', '１', '２', '３', '４', '５', '６',
    '７', '８', '９', '零', '〇', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十',
    '百', '千',
]);

/// Whether a numeral can start with `c`: `digit(c).is_some() || is_chinese_numeral_char(c)`,
/// by one look-up.
pub(crate) fn starts_numeral(c: char) -> bool {
    NUMERAL_START.contains(c)
}

fn is_point(c: char) -> bool {
    c == '.' || c == '．'
}

/// Parses an Arabic numeral at the start of `chars`: digits, an optional decimal part,
/// thousands separators (`1,234`), and single spaces between digits when `ocr_spaces`
/// (OCR text writes `2 0 0 5`).
pub(crate) fn parse_arabic(chars: &[char], ocr_spaces: bool) -> Option<Numeral> {
    let digit_at = |k: usize| chars.get(k).and_then(|&c| digit(c));
    let mut text = String::new();
    let mut i = 0;
    let mut in_fraction = false;
    while let Some(&c) = chars.get(i) {
        if let Some(d) = digit(c) {
            text.push(char::from_digit(d, 10).unwrap_or('0'));
        } else if text.is_empty() {
            return None;
        } else if !in_fraction && is_point(c) && digit_at(i + 1).is_some() {
            text.push('.');
            in_fraction = true;
        } else if !in_fraction
            && c == ','
            && (1..=3).all(|k| digit_at(i + k).is_some())
            && digit_at(i + 4).is_none()
        {
            // A thousands separator: exactly three digits follow.
        } else if ocr_spaces && c == ' ' && digit_at(i + 1).is_some() {
            // OCR put a space between two digits.
        } else {
            break;
        }
        i += 1;
    }
    let value = text.parse::<f64>().ok()?;
    Some(Numeral { value, len: i, chinese: false })
}

/// Parses a Chinese numeral below 万 at the start of `chars`: `一千八百` → 1800,
/// `十二` → 12, `三` → 3, `两` → 2, `一点五` → 1.5. Digit strings (`二〇三五`) read as
/// digits. Stops before 万 and 亿.
pub(crate) fn parse_chinese(chars: &[char]) -> Option<Numeral> {
    let run = chars.iter().take_while(|&&c| chinese_digit(c).is_some()).count();
    let (mut value, mut i) = if run >= 2 {
        // A digit string such as 二〇三五.
        let v = chars[..run]
            .iter()
            .fold(0u64, |acc, &c| acc * 10 + u64::from(chinese_digit(c).unwrap_or(0)));
        (v as f64, run)
    } else {
        let mut i = 0;
        let mut total: u64 = 0;
        let mut pending: Option<u64> = None;
        let mut last_mult = u64::MAX;
        let mut after_zero = false;
        while let Some(&c) = chars.get(i) {
            if let Some(d) = chinese_digit(c) {
                match pending {
                    Some(0) | None => {}
                    Some(_) => break,
                }
                after_zero |= d == 0;
                pending = Some(u64::from(d));
            } else if let Some(m) = small_multiplier(c).map(u64::from) {
                if m >= last_mult || pending == Some(0) {
                    break;
                }
                total += pending.unwrap_or(1) * m;
                pending = None;
                last_mult = m;
                after_zero = false;
            } else {
                break;
            }
            i += 1;
        }
        if i == 0 {
            return None;
        }
        let tail = match pending {
            // An abbreviated tail: 一千八 means 1800.
            Some(p) if !after_zero && last_mult >= 100 && last_mult != u64::MAX => {
                p * last_mult / 10
            }
            Some(p) => p,
            None => 0,
        };
        ((total + tail) as f64, i)
    };
    // A decimal: 一点五.
    if chars.get(i) == Some(&'点') {
        let frac: String = chars[i + 1..]
            .iter()
            .map_while(|&c| chinese_digit(c))
            .filter_map(|d| char::from_digit(d, 10))
            .collect();
        if let Ok(f) = format!("0.{frac}").parse::<f64>()
            && !frac.is_empty()
        {
            value += f;
            i += 1 + frac.chars().count();
        }
    }
    Some(Numeral { value, len: i, chinese: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeral_start_bits_are_the_digits_and_the_chinese_numeral_chars() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let expected = digit(c).is_some() || is_chinese_numeral_char(c);
            assert_eq!(starts_numeral(c), expected, "{c:?}");
        }
    }

    #[track_caller]
    fn arabic(input: &str, value: f64, len: usize) {
        let chars: Vec<char> = input.chars().collect();
        let n = parse_arabic(&chars, input.contains("ocr:")).expect("a numeral");
        assert_eq!((n.value, n.len), (value, len), "{input}");
    }

    #[track_caller]
    fn chinese(input: &str, value: f64, len: usize) {
        let chars: Vec<char> = input.chars().collect();
        let n = parse_chinese(&chars).expect("a numeral");
        assert_eq!((n.value, n.len), (value, len), "{input}");
    }

    #[test]
    fn arabic_numerals() {
        arabic("5500亿元", 5500.0, 4);
        arabic("92.22万", 92.22, 5);
        arabic("１３．５％", 13.5, 4);
        arabic("1,234个", 1234.0, 5);
        arabic("5,6%", 5.0, 1);
        arabic("0.1", 0.1, 3);
        arabic("4.3%", 4.3, 3);
    }

    #[test]
    fn ocr_spaces_join_digits_only_when_asked() {
        let chars: Vec<char> = "2 0 0 5年".chars().collect();
        assert_eq!(parse_arabic(&chars, true).map(|n| (n.value, n.len)), Some((2005.0, 7)));
        assert_eq!(parse_arabic(&chars, false).map(|n| (n.value, n.len)), Some((2.0, 1)));
    }

    #[test]
    fn the_quick_test_rejects_no_numeral_character() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            // The list names exactly the characters the `match`es accept…
            let numeral = chinese_digit_value(c).is_some() || multiplier_value(c).is_some();
            assert_eq!(numeral, CHINESE_NUMERAL_CHARS.contains(&c), "{c:?}");
            // …and the quick test lets them all through.
            assert_eq!(chinese_digit(c), chinese_digit_value(c), "{c:?}");
            assert_eq!(small_multiplier(c), multiplier_value(c), "{c:?}");
        }
    }

    #[test]
    fn chinese_numerals() {
        chinese("一千八百个", 1800.0, 4);
        chinese("两万套", 2.0, 1);
        chinese("十二", 12.0, 2);
        chinese("十", 10.0, 1);
        chinese("三十五", 35.0, 3);
        chinese("一百零五", 105.0, 4);
        chinese("二〇三五年", 2035.0, 4);
        chinese("一千八", 1800.0, 3);
        chinese("一点五", 1.5, 3);
        chinese("三千五百万", 3500.0, 4);
    }
}

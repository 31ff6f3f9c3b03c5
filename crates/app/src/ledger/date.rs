//! Days, and the 完成时限 column as offices write it: `2026年6月底`, `2026年底`,
//! `2026-06-30`, `2026年12月`, `6月底` (with the year taken from the context),
//! `二〇二六年六月底`, `2026年上半年`, `2026年三季度`, `2025—2027年`; `长期坚持`,
//! `持续推进` and the like have no deadline.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// The day, if it exists (years 1000 to 9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day))
        .then_some(Date { year, month, day })
    }

    /// The last day of a month.
    pub fn end_of_month(year: i32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    /// `YYYY-MM-DD`, as the store keeps days.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Today in China (UTC+8), where the offices are.
    pub fn today() -> Date {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_days(i64::try_from((secs + 8 * 3600) / 86_400).unwrap_or(0))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Words that say a task has no end.
const OPEN_ENDED: [&str; 7] = ["长期", "持续", "常态", "长效", "每年", "逐年", "按年度"];

/// Reads a 完成时限 cell. `Ok(None)` is a task without a deadline (长期坚持, 持续推进, an
/// empty cell); a period (a month, a quarter, a year) ends on its last day. `year` stands
/// for the year a cell such as `6月底` leaves out. The error is a message for the user.
pub fn parse_deadline(text: &str, year: Option<i32>) -> Result<Option<Date>, String> {
    let s = normalize(text);
    if s.is_empty() || OPEN_ENDED.iter().any(|w| s.contains(w)) {
        return Ok(None);
    }
    let unknown = || format!("无法识别的日期“{}”", text.trim());
    // A range (2025—2027年, 2025年至2027年底) ends where its last part ends.
    for sep in ["—", "–", "～", "~", "至", "到"] {
        if let Some((first, last)) = s.rsplit_once(sep) {
            let context = leading_year(first).or(year);
            return match period_end(last, context) {
                Some(Ok(d)) => Ok(Some(d)),
                Some(Err(e)) => Err(e),
                None => Err(unknown()),
            };
        }
    }
    if let Some((first, last)) = s.split_once('-')
        && first.len() == 4
        && last.trim_end_matches(['年', '底', '末']).len() == 4
        && first.bytes().all(|b| b.is_ascii_digit())
    {
        return period_end(last, leading_year(first)).unwrap_or_else(|| Err(unknown())).map(Some);
    }
    match period_end(&s, year) {
        Some(r) => r.map(Some),
        None => Err(unknown()),
    }
}

/// Reads an exact day: `2026-01-15`, `2026/1/15`, `2026.1.15`, `2026年1月15日`.
pub fn parse_day(text: &str) -> Option<Date> {
    let s = normalize(text);
    let (y, rest) = split_number(&s)?;
    let rest = rest.strip_prefix(['-', '/', '.', '年'])?;
    let (m, rest) = split_number(rest)?;
    let rest = rest.strip_prefix(['-', '/', '.', '月'])?;
    let (d, rest) = split_number(rest)?;
    if !matches!(rest, "" | "日" | "号") {
        return None;
    }
    Date::new(i32::try_from(y).ok()?, m, d)
}

/// The last day of the period `s` names (normalised), with `year` for a period without
/// one. `None` when `s` is no period; `Err` when it is one but lacks its year.
fn period_end(s: &str, year: Option<i32>) -> Option<Result<Date, String>> {
    let s = s.trim_start_matches(['于', '在']);
    let s = s.trim_end_matches("以前").trim_end_matches("之前").trim_end_matches('前');
    let s = s.trim_end_matches("完成").trim_end_matches("前");
    if let Some(d) = parse_day(s) {
        return Some(Ok(d));
    }
    let (explicit, rest) = match split_number(s) {
        Some((n, rest))
            if n >= 1000 && (rest.is_empty() || rest.starts_with(['年', '-', '/', '.'])) =>
        {
            (Some(i32::try_from(n).ok()?), rest.strip_prefix(['年', '-', '/', '.']).unwrap_or(rest))
        }
        _ => (None, s),
    };
    let rest = rest.strip_prefix('年').unwrap_or(rest);
    let Some(y) = explicit.or(year) else {
        // A period without its year, or no period at all.
        return match period_end(s, Some(2000)) {
            Some(Ok(_)) => Some(Err(format!("“{s}”缺少年份"))),
            _ => None,
        };
    };
    let month_end = |m: u32| Date::end_of_month(y, m).map(Ok);
    if matches!(rest, "底" | "末" | "年底" | "年末" | "内" | "全年" | "度" | "年度")
        || (rest.is_empty() && explicit.is_some())
    {
        return month_end(12);
    }
    match rest {
        "上半年" => return month_end(6),
        "下半年" => return month_end(12),
        _ => {}
    }
    let quarter = rest.strip_prefix('第').unwrap_or(rest);
    if let Some(q) = quarter.strip_suffix("季度").or_else(|| quarter.strip_suffix("季度末")) {
        let q: u32 = q.parse().ok()?;
        return (1..=4).contains(&q).then(|| month_end(q * 3)).flatten();
    }
    let (m, tail) = split_number(rest)?;
    let tail =
        tail.strip_prefix('月').or_else(|| explicit.and(Some(tail)).filter(|t| t.is_empty()))?;
    if !matches!(tail, "" | "底" | "末" | "份" | "下旬" | "月底") {
        return match tail {
            "上旬" => Date::new(y, m, 10).map(Ok),
            "中旬" => Date::new(y, m, 20).map(Ok),
            _ => None,
        };
    }
    month_end(m)
}

/// The year at the start of `s`, if it starts with four digits.
fn leading_year(s: &str) -> Option<i32> {
    let (n, _) = split_number(s)?;
    (1000..=9999).contains(&n).then(|| i32::try_from(n).ok()).flatten()
}

/// The ASCII digits at the start of `s` as a number, and the rest.
fn split_number(s: &str) -> Option<(u32, &str)> {
    let end = s.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 4 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// Full-width forms folded, white space dropped, Chinese numerals (`二〇二六`, `十二`)
/// written in digits.
fn normalize(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '０'..='９' | '／' | '－' | '．' | '～' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c if c.is_whitespace() => continue,
            c => c,
        };
        folded.push(c);
    }
    let mut out = String::with_capacity(folded.len());
    let chars: Vec<char> = folded.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chinese_digit(chars[i]).is_some() {
            i += 1;
        }
        if i == start {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = &chars[start..i];
        match chinese_number(run) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.extend(run),
        }
    }
    out
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

/// `二〇二六` → 2026 (digit by digit), `十二` → 12, `二十` → 20, `十` → 10.
fn chinese_number(run: &[char]) -> Option<u32> {
    let digits: Vec<u32> = run.iter().map(|&c| chinese_digit(c)).collect::<Option<_>>()?;
    match digits.iter().position(|&d| d == 10) {
        None => digits.iter().try_fold(0u32, |n, &d| n.checked_mul(10)?.checked_add(d)),
        Some(p) => {
            let tens = match &digits[..p] {
                [] => 1,
                [d] if *d < 10 => *d,
                _ => return None,
            };
            let ones = match &digits[p + 1..] {
                [] => 0,
                [d] if *d < 10 => *d,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).expect("a valid day")
    }

    #[track_caller]
    fn check(text: &str, year: Option<i32>, expected: Option<Date>) {
        assert_eq!(parse_deadline(text, year), Ok(expected), "{text}");
    }

    #[track_caller]
    fn refused(text: &str, year: Option<i32>, message: &str) {
        assert_eq!(parse_deadline(text, year), Err(message.to_owned()), "{text}");
    }

    #[test]
    fn deadlines_as_offices_write_them() {
        check("2026年6月底", None, Some(d(2026, 6, 30)));
        check("2026年6月末", None, Some(d(2026, 6, 30)));
        check("2026年2月", None, Some(d(2026, 2, 28)));
        check("2028年2月底前", None, Some(d(2028, 2, 29)));
        check("2026年底", None, Some(d(2026, 12, 31)));
        check("2026年年底前完成", None, Some(d(2026, 12, 31)));
        check("2026年", None, Some(d(2026, 12, 31)));
        check("2026", None, Some(d(2026, 12, 31)));
        check("2026年12月", None, Some(d(2026, 12, 31)));
        check("2026-06-30", None, Some(d(2026, 6, 30)));
        check("2026/6/30", None, Some(d(2026, 6, 30)));
        check("2026.6.30", None, Some(d(2026, 6, 30)));
        check("2026-06", None, Some(d(2026, 6, 30)));
        check("2026年6月15日", None, Some(d(2026, 6, 15)));
        check("２０２６年６月底", None, Some(d(2026, 6, 30)));
        check("二〇二六年六月底", None, Some(d(2026, 6, 30)));
        check("2026年十二月底", None, Some(d(2026, 12, 31)));
        check("2026年上半年", None, Some(d(2026, 6, 30)));
        check("2026年下半年", None, Some(d(2026, 12, 31)));
        check("2026年第三季度", None, Some(d(2026, 9, 30)));
        check("2026年一季度", None, Some(d(2026, 3, 31)));
        check("2026年9月中旬", None, Some(d(2026, 9, 20)));
        check("6月底", Some(2026), Some(d(2026, 6, 30)));
        check("10月", Some(2026), Some(d(2026, 10, 31)));
        check("年底前", Some(2026), Some(d(2026, 12, 31)));
        check("2025—2027年", None, Some(d(2027, 12, 31)));
        check("2025-2027年", None, Some(d(2027, 12, 31)));
        check("2026年3月至6月", None, Some(d(2026, 6, 30)));
        check("长期坚持", None, None);
        check("持续推进", Some(2026), None);
        check("常态化推进", None, None);
        check("", None, None);
        check("  ", None, None);
    }

    #[test]
    fn unreadable_deadlines_are_refused_with_the_text() {
        refused("下月", Some(2026), "无法识别的日期“下月”");
        refused("尽快", None, "无法识别的日期“尽快”");
        refused("2026年13月", None, "无法识别的日期“2026年13月”");
        refused("2026年2月30日", None, "无法识别的日期“2026年2月30日”");
        refused("6月底", None, "“6月底”缺少年份");
    }

    #[test]
    fn exact_days() {
        assert_eq!(parse_day("2026-01-15"), Some(d(2026, 1, 15)));
        assert_eq!(parse_day("2026年1月15日"), Some(d(2026, 1, 15)));
        assert_eq!(parse_day("2026年1月"), None);
        assert_eq!(Date::parse_iso("2026-01-15"), Some(d(2026, 1, 15)));
        assert_eq!(Date::parse_iso("2026-1-15"), None);
    }

    #[test]
    fn day_arithmetic() {
        assert_eq!(d(1970, 1, 1).days(), 0);
        assert_eq!(d(2000, 3, 1).days() - d(2000, 2, 28).days(), 2);
        for n in [-1000, 0, 1, 59, 10_957, 20_000, 2_932_896] {
            assert_eq!(Date::from_days(n).days(), n);
        }
        assert_eq!(d(2026, 12, 31).add_days(1), d(2027, 1, 1));
        assert_eq!(d(2026, 6, 30).to_string(), "2026-06-30");
        assert!(Date::today() > d(2025, 1, 1));
    }
}

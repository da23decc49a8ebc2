//! Reading one cell: missing placeholders, numbers, booleans and dates.
//!
//! The same functions serve the table path (once per distinct value of a column) and the
//! single-record path of [`super::Pipeline::encode_record`], so both parse identically.
//!
//! Numbers accept signs, thousands separators (`1,200` or, in decimal-comma columns, `1.200,5`),
//! a currency symbol before or after (`$1,200`, `1.200 €`), accounting negatives (`(1,200)`),
//! percentages (`12%` reads as 12, the number as written), exponents, and the shorthand suffixes
//! `k`/`K` (×1,000) and `M` (×1,000,000) directly after the digits (`1.5k` = 1,500). Other
//! suffixes (`m`, `B`, `bn`) are not numbers: they are ambiguous (metres, bytes, billions).

use serde::{Deserialize, Serialize};

/// Placeholders read as missing in every file (compared case-insensitively after trimming).
pub const DEFAULT_MISSING: [&str; 10] = [
    "", "na", "n/a", "null", "none", "-", "?", "nan", "#n/a", "nil",
];

/// Whether `s` (already trimmed) is a missing placeholder: a default one or one of `extra`
/// (compared case-insensitively).
pub fn is_missing(s: &str, extra: &[String]) -> bool {
    s.len() <= 4 && DEFAULT_MISSING.iter().any(|m| m.eq_ignore_ascii_case(s))
        || extra.iter().any(|m| m.trim().eq_ignore_ascii_case(s))
}

/// How a numeric column writes its numbers; stored with the model so records parse the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NumberFormat {
    /// `true` when `,` is the decimal mark (`1.200,5`), as in many European exports.
    pub decimal_comma: bool,
    /// `true` when the column's values are percentages (`12%`): shown with a `%` sign.
    pub percent: bool,
    /// The currency symbol seen in the column, if any (shown before the number).
    pub currency: Option<char>,
}

const CURRENCIES: [char; 6] = ['$', '€', '£', '¥', '₹', '₽'];

/// What [`parse_number`] found besides the value (used to describe the column's format).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumberShape {
    /// A `%` sign was present.
    pub percent: bool,
    /// The currency symbol, if any.
    pub currency: Option<char>,
    /// The value had a leading zero before other digits (`007`): codes rather than quantities.
    pub leading_zero: bool,
    /// The value used a thousands separator or a decimal comma (`1,200`, `1,5`).
    pub comma: bool,
}

/// Parses a trimmed cell as a number (see the module docs for the accepted forms).
/// Returns `None` when it is not a number.
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    parse_number_shape(s, decimal_comma).map(|(v, _)| v)
}

/// [`parse_number`] plus what the value looked like.
pub fn parse_number_shape(s: &str, decimal_comma: bool) -> Option<(f64, NumberShape)> {
    let mut shape = NumberShape::default();
    let mut t = s.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let mut negative = false;
    if t.starts_with('(') && t.ends_with(')') {
        negative = true;
        t = t[1..t.len() - 1].trim();
    }
    // Sign and currency in either order at the front, currency or % at the back.
    for _ in 0..2 {
        if let Some(r) = t.strip_prefix('-') {
            negative = !negative;
            t = r.trim_start();
        } else if let Some(r) = t.strip_prefix('+') {
            t = r.trim_start();
        } else if let Some(c) = t.chars().next().filter(|c| CURRENCIES.contains(c)) {
            shape.currency = Some(c);
            t = t[c.len_utf8()..].trim_start();
        }
    }
    if let Some(r) = t.strip_suffix('%') {
        shape.percent = true;
        t = r.trim_end();
    } else if let Some(c) = t.chars().next_back().filter(|c| CURRENCIES.contains(c)) {
        if shape.currency.is_some() {
            return None;
        }
        shape.currency = Some(c);
        t = t[..t.len() - c.len_utf8()].trim_end();
    }
    let mut scale = 1.0;
    if let Some(r) = t.strip_suffix(['k', 'K']) {
        scale = 1e3;
        t = r;
    } else if let Some(r) = t.strip_suffix('M') {
        scale = 1e6;
        t = r;
    }
    let (group, decimal) = if decimal_comma {
        (b'.', b',')
    } else {
        (b',', b'.')
    };
    let bytes = t.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() && bytes[0] != decimal {
        return None;
    }
    // Mantissa: digits with optional valid grouping, optional decimal part; then an exponent.
    let mut plain = String::with_capacity(bytes.len());
    let mut i = 0;
    let mut group_len: Option<usize> = None; // digits since the last group separator
    let mut first_group = 0;
    let mut grouped = false;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == group) {
        if bytes[i] == group {
            if group_len.map_or(first_group == 0 || first_group > 3, |n| n != 3) {
                return None;
            }
            grouped = true;
            group_len = Some(0);
        } else {
            plain.push(bytes[i] as char);
            match group_len.as_mut() {
                Some(n) => *n += 1,
                None => first_group += 1,
            }
        }
        i += 1;
    }
    if grouped && group_len != Some(3) {
        return None;
    }
    shape.comma = grouped && group == b',';
    shape.leading_zero = plain.len() > 1 && plain.starts_with('0');
    if i < bytes.len() && bytes[i] == decimal {
        shape.comma |= decimal == b',';
        plain.push('.');
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            plain.push(bytes[i] as char);
            i += 1;
        }
        if i == start && plain.len() == 1 {
            return None;
        }
    }
    if plain.is_empty() || plain == "." {
        return None;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        plain.push('e');
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            plain.push(bytes[i] as char);
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            plain.push(bytes[i] as char);
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let v = read_plain(&plain)?;
    let v = v * scale;
    if !v.is_finite() {
        return None;
    }
    Some((if negative { -v } else { v }, shape))
}

/// The number in `plain`: ASCII digits, at most one `.` and an optional `e[+-]digits` (built by
/// [`parse_number_shape`]), correctly rounded to the nearest `f64`.
#[cfg(not(all(feature = "score-only", target_arch = "wasm32")))]
fn read_plain(plain: &str) -> Option<f64> {
    plain.parse().ok()
}

/// The scoring-only WASM build reads `plain` with the browser's `parseFloat`, which rounds it
/// correctly too (ECMAScript's StringToNumber), so every text gives the same `f64` as Rust's
/// reader; without Rust's reader that build drops its code and power-of-five tables (~12 KB
/// gzipped of the CRM card's download). `plain` never holds a form the two read differently
/// (no `inf`, `NaN`, `0x`, spaces or signs before the digits).
#[cfg(all(feature = "score-only", target_arch = "wasm32"))]
fn read_plain(plain: &str) -> Option<f64> {
    let v = js_sys::parse_float(plain);
    (!v.is_nan()).then_some(v)
}

/// Words read as booleans (case-insensitive): `true`/`false`, `yes`/`no`, `y`/`n`, `t`/`f`, `1`/`0`.
pub fn parse_bool(s: &str) -> Option<bool> {
    const TRUE: [&str; 5] = ["true", "yes", "y", "t", "1"];
    const FALSE: [&str; 5] = ["false", "no", "n", "f", "0"];
    if s.len() > 5 {
        return None;
    }
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(true)
    } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(false)
    } else {
        None
    }
}

/// The order of day and month in a column's dates that are not ISO (`2024-03-04`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateOrder {
    /// Month first: `03/04/2024` is March 4 (US).
    #[default]
    MonthDay,
    /// Day first: `03/04/2024` is 3 April (most of Europe).
    DayMonth,
}

/// A date cell split into parts before the column's day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateParts {
    /// Year (four digits).
    pub year: i64,
    /// First of the two small numbers (month in ISO; month or day otherwise).
    pub a: u32,
    /// Second of the two small numbers.
    pub b: u32,
    /// `true` for year-first forms, where the order is always year-month-day.
    pub iso: bool,
    /// Seconds since midnight (0 when there is no time part).
    pub seconds: u32,
}

impl DateParts {
    /// Days since 1970-01-01 (with the time of day as a fraction), or `None` for an impossible date.
    pub fn days(&self, order: DateOrder) -> Option<f64> {
        let (m, d) = if self.iso || order == DateOrder::MonthDay {
            (self.a, self.b)
        } else {
            (self.b, self.a)
        };
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(self.year, m) {
            return None;
        }
        Some(days_from_civil(self.year, m, d) as f64 + self.seconds as f64 / 86_400.0)
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Civil date (y, m, d) for a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 → `YYYY-MM-DD`; `unknown date` when not finite.
pub fn iso_date(days: f64) -> String {
    if !days.is_finite() {
        return "unknown date".into();
    }
    let (y, m, d) = civil_from_days(days.floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn take_num(s: &[u8], i: &mut usize, min: usize, max: usize) -> Option<u32> {
    let start = *i;
    while *i < s.len() && s[*i].is_ascii_digit() && *i - start < max {
        *i += 1;
    }
    if *i - start < min {
        return None;
    }
    std::str::from_utf8(&s[start..*i]).ok()?.parse().ok()
}

/// Splits a trimmed cell into date parts: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY` or
/// `MM/DD/YYYY` (also with `.` or `-`), optionally followed by a time `HH:MM[:SS[.fff]]` (after a
/// space or `T`, with optional `AM`/`PM` and a `Z` or `±HH:MM` offset, which is ignored: dates are
/// read as local times). Returns `None` for anything else.
pub fn parse_date_parts(s: &str) -> Option<DateParts> {
    let s = s.as_bytes();
    if s.len() < 8 || s.len() > 40 {
        return None;
    }
    let mut i = 0;
    let first = take_num(s, &mut i, 1, 4)?;
    let first_len = i;
    let sep = *s.get(i)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    i += 1;
    let second = take_num(s, &mut i, 1, 2)?;
    if s.get(i) != Some(&sep) {
        return None;
    }
    i += 1;
    let mut parts = if first_len == 4 {
        let third = take_num(s, &mut i, 1, 2)?;
        DateParts {
            year: first as i64,
            a: second,
            b: third,
            iso: true,
            seconds: 0,
        }
    } else if first_len <= 2 {
        let start = i;
        let year = take_num(s, &mut i, 4, 4)?;
        if i - start != 4 {
            return None;
        }
        DateParts {
            year: year as i64,
            a: first,
            b: second,
            iso: false,
            seconds: 0,
        }
    } else {
        return None;
    };
    if i < s.len() {
        if s[i] != b' ' && s[i] != b'T' {
            return None;
        }
        while i < s.len() && (s[i] == b' ' || s[i] == b'T') {
            i += 1;
        }
        let h = take_num(s, &mut i, 1, 2)?;
        if s.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let m = take_num(s, &mut i, 2, 2)?;
        let mut sec = 0;
        if s.get(i) == Some(&b':') {
            i += 1;
            sec = take_num(s, &mut i, 2, 2)?;
            if s.get(i) == Some(&b'.') {
                i += 1;
                take_num(s, &mut i, 1, 9)?;
            }
        }
        let rest = std::str::from_utf8(&s[i..]).ok()?.trim();
        let mut h = h;
        let rest = if let Some(r) = rest.strip_suffix("AM").or_else(|| rest.strip_suffix("am")) {
            if !(1..=12).contains(&h) {
                return None;
            }
            h %= 12;
            r.trim()
        } else if let Some(r) = rest.strip_suffix("PM").or_else(|| rest.strip_suffix("pm")) {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + 12;
            r.trim()
        } else {
            rest
        };
        let offset_ok = rest.is_empty()
            || rest == "Z"
            || rest == "UTC"
            || (rest.len() == 6 || rest.len() == 5)
                && (rest.starts_with('+') || rest.starts_with('-'))
                && rest[1..].bytes().all(|b| b.is_ascii_digit() || b == b':');
        if !offset_ok || h > 23 || m > 59 || sec > 60 {
            return None;
        }
        parts.seconds = h * 3600 + m * 60 + sec.min(59);
    }
    if !(1000..=9999).contains(&parts.year) {
        return None;
    }
    Some(parts)
}

/// Parses a trimmed cell as a date with a known day/month order: days since 1970-01-01.
pub fn parse_date(s: &str, order: DateOrder) -> Option<f64> {
    parse_date_parts(s)?.days(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_round_trip_the_data_layers_day_numbers() {
        for (y, m, d) in [(1970, 1, 1), (2009, 6, 17), (2000, 2, 29), (1969, 12, 31)] {
            let days = days_from_civil(y, m, d) as f64;
            assert_eq!(iso_date(days), format!("{y:04}-{m:02}-{d:02}"));
        }
        assert_eq!(iso_date(f64::NAN), "unknown date");
    }

    #[test]
    fn numbers_in_many_forms() {
        let n = |s| parse_number(s, false);
        assert_eq!(n("42"), Some(42.0));
        assert_eq!(n("-3.5"), Some(-3.5));
        assert_eq!(n("1,200"), Some(1200.0));
        assert_eq!(n("1,200,300.25"), Some(1_200_300.25));
        assert_eq!(n("$1,200"), Some(1200.0));
        assert_eq!(n("-$1,200"), Some(-1200.0));
        assert_eq!(n("(1,200)"), Some(-1200.0));
        assert_eq!(n("12%"), Some(12.0));
        assert_eq!(n("1.5k"), Some(1500.0));
        assert_eq!(n("2M"), Some(2e6));
        assert_eq!(n("1e3"), Some(1000.0));
        assert_eq!(n(".5"), Some(0.5));
        assert_eq!(n("1,20"), None, "a bad thousands group is not a number");
        assert_eq!(n("12,0000"), None);
        assert_eq!(n("1.5m"), None, "lower-case m is ambiguous");
        assert_eq!(n("3M Company"), None);
        assert_eq!(n("abc"), None);
        assert_eq!(n("1-2"), None);
        assert_eq!(n("inf"), None);
        assert_eq!(n(""), None);
        assert_eq!(n("-"), None);
        assert_eq!(parse_number("1.200,5", true), Some(1200.5));
        assert_eq!(parse_number("1,5", true), Some(1.5));
        assert_eq!(parse_number("1 200 €", true), None);
        assert_eq!(parse_number("200 €", true), Some(200.0));
        assert!(parse_number_shape("007", false).unwrap().1.leading_zero);
        assert!(!parse_number_shape("0.7", false).unwrap().1.leading_zero);
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("Yes"), Some(true));
        assert_eq!(parse_bool("N"), Some(false));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn missing_placeholders() {
        for s in ["", "NA", "n/a", "NULL", "None", "-", "?"] {
            assert!(is_missing(s, &[]), "{s}");
        }
        assert!(!is_missing("Select", &[]));
        assert!(is_missing("select", &["Select".to_string()]));
        assert!(!is_missing("Nan Goldin", &[]));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02", DateOrder::MonthDay), Some(1.0));
        assert_eq!(parse_date("2024-03-04", DateOrder::DayMonth), Some(19786.0));
        assert_eq!(parse_date("03/04/2024", DateOrder::MonthDay), Some(19786.0));
        assert_eq!(parse_date("04/03/2024", DateOrder::DayMonth), Some(19786.0));
        assert_eq!(parse_date("04.03.2024", DateOrder::DayMonth), Some(19786.0));
        assert_eq!(
            parse_date("2024-03-04 12:00:00", DateOrder::MonthDay),
            Some(19786.5)
        );
        assert_eq!(
            parse_date("2024-03-04T18:00:00Z", DateOrder::MonthDay),
            Some(19786.75)
        );
        assert_eq!(
            parse_date("3/4/2024 6:00 PM", DateOrder::MonthDay),
            Some(19786.75)
        );
        assert_eq!(parse_date("2024-02-30", DateOrder::MonthDay), None);
        assert_eq!(parse_date("13/01/2024", DateOrder::MonthDay), None);
        assert_eq!(parse_date("13/01/2024", DateOrder::DayMonth), Some(19735.0));
        assert_eq!(parse_date("2024-03", DateOrder::MonthDay), None);
        assert_eq!(parse_date("12345678", DateOrder::MonthDay), None);
    }
}

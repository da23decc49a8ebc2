//! Schema inference: a column's kind from its distinct values, their row counts and its name.
//!
//! Order of the checks (the first that fits wins): constant (a constant personal value is still
//! personal) → boolean → date (a date of birth is personal) → staff and birth-date names → card,
//! phone and postcode numbers → numeric (an all-unique integer column is an identifier) →
//! personal data found in a meaningful minority of the values (see [`PERSONAL_SHARE`]) → notes →
//! people's names → free text → identifier → categorical. Typed kinds (date, numeric) accept up
//! to 1% of cells that cannot be read; those become missing and the column's notes say how many
//! and give an example. After all columns are read, [`find_birth_dates`] compares date columns
//! with each other (a date of birth lies decades before the file's other dates).

use super::parse::{self, DateOrder, NumberFormat};
use super::pii;
use super::read::ColumnBuilder;
use super::table::{Category, CellFormat, Column, ColumnKind, PersonalKind};

/// Share of non-missing rows that must read as the typed kind (the rest become missing).
const TYPED_SHARE: f64 = 0.99;
/// Columns with fewer distinct values are never identifiers or free text.
const MIN_DISTINCT_FOR_UNIQUE: usize = 20;

/// The distinct non-missing values of a column with their row counts.
struct Values<'a> {
    texts: Vec<(usize, &'a str, u64)>,
    rows: u64,
}

impl Values<'_> {
    /// Rows whose text satisfies `f`.
    fn rows_where(&self, f: impl Fn(&str) -> bool) -> u64 {
        self.texts
            .iter()
            .filter(|(_, s, _)| f(s))
            .map(|(_, _, n)| n)
            .sum()
    }
    fn share_where(&self, f: impl Fn(&str) -> bool) -> f64 {
        self.rows_where(f) as f64 / self.rows.max(1) as f64
    }
}

fn quote_example(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    format!("`{short}`")
}

/// Infers a column's kind (unless `forced`) and computes its typed values.
pub(crate) fn infer_column(
    name: String,
    b: ColumnBuilder,
    missing: &[String],
    forced: Option<ColumnKind>,
) -> Column {
    if let Some(dense) = b.dense {
        return dense_column(name, dense, forced);
    }
    let distinct: Vec<String> = b
        .distinct
        .iter()
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect();
    let counts = b.counts;
    let missing_distinct: Vec<bool> = distinct
        .iter()
        .map(|s| parse::is_missing(s, missing))
        .collect();
    let missing_rows: u64 = counts
        .iter()
        .zip(&missing_distinct)
        .filter(|(_, &m)| m)
        .map(|(n, _)| n)
        .sum();
    let values = Values {
        texts: distinct
            .iter()
            .enumerate()
            .filter(|(d, _)| !missing_distinct[*d])
            .map(|(d, s)| (d, s.as_str(), counts[d]))
            .collect(),
        rows: counts.iter().sum::<u64>() - missing_rows,
    };
    let mut notes = Vec::new();
    let (kind, format) = match forced {
        Some(k) => (k, forced_format(k, &values)),
        None => infer_kind(&name, &values, missing_rows, &mut notes),
    };
    let mut typed = vec![f64::NAN; distinct.len()];
    let mut categories = Vec::new();
    let mut invalid = 0u64;
    let mut bad_example = None;
    let mut record_bad = |s: &str, n: u64| {
        invalid += n;
        bad_example.get_or_insert_with(|| quote_example(s));
    };
    match (kind, format) {
        (ColumnKind::Numeric, CellFormat::Number(f)) => {
            for &(d, s, n) in &values.texts {
                match parse::parse_number(s, f.decimal_comma) {
                    Some(v) => typed[d] = v,
                    None => record_bad(s, n),
                }
            }
        }
        (ColumnKind::Boolean, _) => {
            let mut best: [Option<(&str, u64)>; 2] = [None, None];
            let mut rows = [0u64; 2];
            for &(d, s, n) in &values.texts {
                match parse::parse_bool(s) {
                    Some(v) => {
                        typed[d] = v as u8 as f64;
                        rows[v as usize] += n;
                        if best[v as usize].is_none_or(|b| n > b.1) {
                            best[v as usize] = Some((s, n));
                        }
                    }
                    None => record_bad(s, n),
                }
            }
            // Index = typed value: [false, true].
            categories = (0..2)
                .map(|v| Category {
                    label: best[v]
                        .map_or(if v == 1 { "yes" } else { "no" }, |b| b.0)
                        .to_string(),
                    rows: rows[v],
                })
                .collect();
        }
        (ColumnKind::Date, CellFormat::Date(order)) => {
            for &(d, s, n) in &values.texts {
                match parse::parse_date(s, order) {
                    Some(v) => typed[d] = v,
                    None => record_bad(s, n),
                }
            }
        }
        (ColumnKind::Categorical, _) => {
            categories = categorize(&values, &mut typed, &mut notes);
        }
        _ => {}
    }
    if invalid > 0 {
        notes.push(format!(
            "{invalid} cells (e.g. {}) cannot be read as {}: they are treated as missing",
            bad_example.unwrap_or_default(),
            kind.name()
        ));
    }
    let excluded_because = exclusion_reason(kind, &values);
    Column {
        name,
        kind,
        format,
        categories,
        missing: missing_rows,
        invalid,
        excluded_because,
        notes,
        distinct,
        counts,
        typed,
        missing_distinct,
        codes: b.codes,
        dense: None,
        dense_distinct: 0,
    }
}

fn exclusion_reason(kind: ColumnKind, values: &Values) -> Option<String> {
    match kind {
        ColumnKind::Identifier => Some("an identifier (a different value on almost every row): it says nothing about new leads".into()),
        ColumnKind::FreeText => Some("free text (notes, comments or long, mostly unique values): it may name people and is never stored in a model".into()),
        ColumnKind::Constant if values.rows == 0 => {
            Some("empty on every row (only missing values): it carries no information".into())
        }
        ColumnKind::Constant => Some(format!(
            "the same value ({}) on every row: it carries no information",
            values.texts.first().map_or(String::new(), |t| quote_example(t.1))
        )),
        ColumnKind::Personal(PersonalKind::Email) => Some(
            "personal data (e-mail addresses): never stored in a model; the e-mail domain and a free-mail flag are used instead"
                .into(),
        ),
        ColumnKind::Personal(PersonalKind::BirthDate) => Some(
            "personal data (dates of birth): never a feature, never the time key, never stored in a model".into(),
        ),
        ColumnKind::Personal(p) => Some(format!(
            "personal data ({}): never stored in a model (to train on it anyway, allow this column explicitly)",
            p.words()
        )),
        _ => None,
    }
}

fn forced_format(kind: ColumnKind, values: &Values) -> CellFormat {
    match kind {
        ColumnKind::Numeric => CellFormat::Number(number_format(values).0),
        ColumnKind::Boolean => CellFormat::Boolean,
        ColumnKind::Date => {
            CellFormat::Date(date_order(values).map_or(DateOrder::MonthDay, |(o, _)| o))
        }
        _ => CellFormat::Text,
    }
}

/// The number format that reads most rows, with the share of rows it reads.
fn number_format(values: &Values) -> (NumberFormat, f64, bool) {
    let read = |comma: bool| {
        let mut rows = 0;
        let mut percent = 0;
        let mut leading_zero = 0;
        let mut currency: Vec<(char, u64)> = Vec::new();
        for &(_, s, n) in &values.texts {
            if let Some((_, shape)) = parse::parse_number_shape(s, comma) {
                rows += n;
                percent += shape.percent as u64 * n;
                leading_zero += shape.leading_zero as usize;
                if let Some(c) = shape.currency {
                    match currency.iter_mut().find(|(k, _)| *k == c) {
                        Some((_, m)) => *m += n,
                        None => currency.push((c, n)),
                    }
                }
            }
        }
        (rows, percent, leading_zero, currency)
    };
    let us = read(false);
    let use_comma = values.texts.iter().any(|(_, s, _)| s.contains(',')) && {
        let eu = read(true);
        eu.0 > us.0
    };
    let (rows, percent, leading_zero, currency) = if use_comma { read(true) } else { us };
    let format = NumberFormat {
        decimal_comma: use_comma,
        percent: percent * 2 > rows,
        currency: currency
            .iter()
            .max_by_key(|(_, n)| *n)
            .filter(|(_, n)| n * 2 > rows)
            .map(|(c, _)| *c),
    };
    // Codes such as `007` or ZIP codes `02134`: digits with meaningful leading zeros.
    let codes = leading_zero * 20 >= values.texts.len().max(1) && leading_zero >= 2;
    (format, rows as f64 / values.rows.max(1) as f64, codes)
}

/// The day/month order of a column's dates and the share of rows read as dates; `None` when
/// the column has both `13/01` and `01/13` forms.
fn date_order(values: &Values) -> Option<(DateOrder, f64)> {
    let mut rows = 0;
    let mut day_first = false;
    let mut month_first = false;
    let mut dotted = false;
    for &(_, s, n) in &values.texts {
        if let Some(p) = parse::parse_date_parts(s) {
            rows += n;
            if !p.iso {
                day_first |= p.a > 12;
                month_first |= p.b > 12;
                dotted |= s.contains('.');
            }
        }
    }
    let order = match (day_first, month_first) {
        (true, true) => return None,
        (true, false) => DateOrder::DayMonth,
        (false, true) => DateOrder::MonthDay,
        (false, false) if dotted => DateOrder::DayMonth,
        (false, false) => DateOrder::MonthDay,
    };
    Some((order, rows as f64 / values.rows.max(1) as f64))
}

/// Share of non-missing rows that must hold a strong personal-data pattern (e-mail address,
/// IBAN, IP address, profile link) for the whole column to count as personal: a meaningful
/// minority, since a column that is partly e-mail addresses is an e-mail column with gaps.
pub const PERSONAL_SHARE: f64 = 0.1;
/// The same for the weaker patterns (phone numbers, street addresses, postcodes), which ordinary
/// values match more often by chance.
pub const PERSONAL_SHARE_WEAK: f64 = 0.2;
/// Share of non-missing rows holding a common given name or surname that makes a column of short
/// texts a column of people's names.
pub const NAME_SHARE: f64 = 0.3;
/// Distinct values holding a known name that a column needs to be taken for people's names by
/// content alone (no name word in its header).
pub const MIN_DISTINCT_NAMES: usize = 10;
/// The same for distinct values holding a known given name.
pub const MIN_DISTINCT_GIVEN_NAMES: usize = 5;

/// The personal data a single constant value is, given its column's name hints.
fn constant_personal(hints: &pii::NameHints, value: &str) -> Option<PersonalKind> {
    if hints.staff {
        return Some(PersonalKind::Staff);
    }
    if hints.birth {
        return Some(PersonalKind::BirthDate);
    }
    if hints.person && value.chars().any(char::is_alphabetic) {
        return Some(PersonalKind::PersonName);
    }
    pii::personal_in_value(value).or_else(|| {
        (pii::has_known_name(value) && !hints.not_person && pii::is_person_name(value))
            .then_some(PersonalKind::PersonName)
    })
}

fn infer_kind(
    name: &str,
    values: &Values,
    missing_rows: u64,
    notes: &mut Vec<String>,
) -> (ColumnKind, CellFormat) {
    let personal = |p| (ColumnKind::Personal(p), CellFormat::Text);
    let n_distinct = values.texts.len();
    if n_distinct == 0 {
        return (ColumnKind::Constant, CellFormat::Text);
    }
    let hints = pii::name_hints(name);
    // One value on every row is constant; one value plus blanks is a flag (kept).
    let first = values.texts[0].1;
    if missing_rows == 0
        && values
            .texts
            .iter()
            .all(|(_, s, _)| s.eq_ignore_ascii_case(first))
    {
        // A constant owner's or contact's name is still personal data: never stored.
        if let Some(p) = constant_personal(&hints, first) {
            return personal(p);
        }
        return (ColumnKind::Constant, CellFormat::Text);
    }
    if values
        .texts
        .iter()
        .all(|(_, s, _)| parse::parse_bool(s).is_some())
    {
        return (ColumnKind::Boolean, CellFormat::Boolean);
    }
    if let Some((order, share)) = date_order(values) {
        if share >= TYPED_SHARE {
            if hints.birth {
                return personal(PersonalKind::BirthDate);
            }
            let non_iso: Vec<&str> = values
                .texts
                .iter()
                .filter(|(_, s, _)| parse::parse_date_parts(s).is_some_and(|p| !p.iso))
                .map(|(_, s, _)| *s)
                .collect();
            if !non_iso.is_empty() {
                let decisive = non_iso
                    .iter()
                    .find(|s| parse::parse_date_parts(s).is_some_and(|p| p.a > 12 || p.b > 12));
                let words = match order {
                    DateOrder::MonthDay => "month/day (US)",
                    DateOrder::DayMonth => "day/month",
                };
                notes.push(match decisive {
                    Some(s) => format!("dates read as {words}: values such as `{s}` settle the order"),
                    None => format!(
                        "dates such as `{}` are ambiguous and no value in the column settles the order: read as {words}",
                        non_iso[0]
                    ),
                });
            }
            return (ColumnKind::Date, CellFormat::Date(order));
        }
    }
    let share = |f: &dyn Fn(&str) -> bool| values.share_where(f);
    let has_letters = |s: &str| s.chars().any(char::is_alphabetic);
    // Staff and birth dates by name: whatever the values look like (ids of reps included).
    if hints.staff {
        return personal(PersonalKind::Staff);
    }
    if hints.birth {
        return personal(PersonalKind::BirthDate);
    }
    // Patterns that also read as numbers: checked before numbers.
    if share(&pii::is_card_number) >= 0.5 {
        return personal(PersonalKind::CardNumber);
    }
    if hints.phone && share(&|s| pii::is_phone(s, false)) >= 0.5 {
        return personal(PersonalKind::Phone);
    }
    if hints.postcode && share(&|s| pii::is_postcode(s, true)) >= 0.5 {
        return personal(PersonalKind::Postcode);
    }
    let (format, num_share, codes) = number_format(values);
    let unique_ratio = n_distinct as f64 / values.rows.max(1) as f64;
    if num_share >= TYPED_SHARE && !codes {
        let all_int_unique = n_distinct as u64 == values.rows
            && values.texts.iter().all(|(_, s, _)| {
                parse::parse_number(s, format.decimal_comma).is_some_and(|v| v.fract() == 0.0)
            });
        if all_int_unique
            && n_distinct >= MIN_DISTINCT_FOR_UNIQUE
            && (hints.id || n_distinct >= 1000)
        {
            return (ColumnKind::Identifier, CellFormat::Text);
        }
        return (ColumnKind::Numeric, CellFormat::Number(format));
    }
    // A meaningful minority of personal values makes the column personal (a column that is 72 %
    // e-mail addresses and 28 % "not given" is an e-mail column).
    if share(&pii::is_email) >= PERSONAL_SHARE {
        return personal(PersonalKind::Email);
    }
    if share(&pii::contains_iban) >= PERSONAL_SHARE {
        return personal(PersonalKind::Iban);
    }
    if share(&pii::contains_ip) >= PERSONAL_SHARE {
        return personal(PersonalKind::IpAddress);
    }
    if share(&pii::contains_profile_url) >= PERSONAL_SHARE {
        return personal(PersonalKind::ProfileUrl);
    }
    if share(&|s| pii::is_phone(s, !hints.phone) || pii::contains_phone(s)) >= PERSONAL_SHARE_WEAK {
        return personal(PersonalKind::Phone);
    }
    if share(&pii::is_street_address) >= PERSONAL_SHARE_WEAK
        || hints.address && share(&has_letters) >= 0.8 && unique_ratio > 0.2
    {
        return personal(PersonalKind::StreetAddress);
    }
    if share(&|s| pii::is_postcode(s, hints.postcode)) >= PERSONAL_SHARE_WEAK {
        return personal(PersonalKind::Postcode);
    }
    let mean_words = values
        .texts
        .iter()
        .map(|(_, s, _)| s.split_whitespace().count())
        .sum::<usize>() as f64
        / n_distinct as f64;
    // Notes by name: written text, not a handful of codes.
    if hints.notes
        && share(&has_letters) >= 0.5
        && n_distinct >= 5
        && (unique_ratio > 0.1 || mean_words >= 2.0)
    {
        return (ColumnKind::FreeText, CellFormat::Text);
    }
    if share(&pii::contains_email) >= PERSONAL_SHARE {
        // Short notes with addresses in them (`cc anna@firma.de`).
        return (ColumnKind::FreeText, CellFormat::Text);
    }
    let person_share = share(&pii::is_person_name);
    let known_name_share = share(&pii::has_known_name);
    // Without a name in the header, content alone says "people's names" when the names are
    // many, or full names (given + surname), or several given names: a handful of labels that
    // happen to be surnames too (`Price`, `Young`, `King`) are codes, not people.
    let distinct = |f: &dyn Fn(&str) -> bool| values.texts.iter().filter(|(_, s, _)| f(s)).count();
    let names_by_content = distinct(&pii::has_known_name) >= MIN_DISTINCT_NAMES
        || share(&pii::is_full_name) >= NAME_SHARE
        || distinct(&pii::has_given_name) >= MIN_DISTINCT_GIVEN_NAMES;
    let alpha_share =
        share(&|s| s.chars().any(char::is_alphabetic) && !s.chars().any(|c| c.is_ascii_digit()));
    if hints.person
        && alpha_share >= 0.8
        && (unique_ratio > 0.1 || person_share >= 0.8 || known_name_share >= NAME_SHARE)
        || !hints.not_person && known_name_share >= NAME_SHARE && names_by_content
        || !hints.not_person
            && person_share >= 0.9
            && unique_ratio >= 0.5
            && n_distinct >= MIN_DISTINCT_FOR_UNIQUE
    {
        return personal(PersonalKind::PersonName);
    }
    if codes && num_share >= TYPED_SHARE {
        notes.push("numbers with leading zeros (like `007`) look like codes: read as text".into());
    }
    if n_distinct >= MIN_DISTINCT_FOR_UNIQUE && unique_ratio >= 0.5 {
        let total_len: usize = values.texts.iter().map(|(_, s, _)| s.chars().count()).sum();
        let words: usize = values
            .texts
            .iter()
            .map(|(_, s, _)| s.split_whitespace().count())
            .sum();
        let mean_len = total_len as f64 / n_distinct as f64;
        let mean_words = words as f64 / n_distinct as f64;
        if mean_len >= 40.0 || mean_words >= 5.0 {
            return (ColumnKind::FreeText, CellFormat::Text);
        }
        if unique_ratio >= 0.95 || hints.id && unique_ratio >= 0.8 {
            return (ColumnKind::Identifier, CellFormat::Text);
        }
    }
    (ColumnKind::Categorical, CellFormat::Text)
}

/// Builds categories, merging case variants (`Google`/`google`) under the most frequent spelling;
/// sets each distinct value's typed value to its category index.
fn categorize(values: &Values, typed: &mut [f64], notes: &mut Vec<String>) -> Vec<Category> {
    // Group by lower-case key, in first-seen order.
    let mut keys: Vec<String> = Vec::new();
    let mut groups: Vec<Vec<(usize, &str, u64)>> = Vec::new();
    let mut index: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for &(d, s, n) in &values.texts {
        let key = s.to_lowercase();
        let g = *index.entry(key.clone()).or_insert_with(|| {
            keys.push(key);
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push((d, s, n));
    }
    let mut cats: Vec<(Category, Vec<usize>, usize)> = groups
        .iter()
        .enumerate()
        .map(|(g, members)| {
            let best = members
                .iter()
                .max_by(|a, b| a.2.cmp(&b.2).then(b.0.cmp(&a.0)))
                .map_or("", |m| m.1);
            let rows = members.iter().map(|m| m.2).sum();
            (
                Category {
                    label: best.to_string(),
                    rows,
                },
                members.iter().map(|m| m.0).collect(),
                g,
            )
        })
        .collect();
    let merged: Vec<String> = groups
        .iter()
        .filter(|m| m.len() > 1)
        .take(3)
        .map(|m| {
            m.iter()
                .map(|x| format!("`{}`", x.1))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let n_merged = groups.iter().filter(|m| m.len() > 1).count();
    if n_merged > 0 {
        notes.push(format!(
            "{n_merged} values differ only in upper/lower case and were merged (e.g. {})",
            merged.join("; ")
        ));
    }
    cats.sort_by(|a, b| b.0.rows.cmp(&a.0.rows).then(a.2.cmp(&b.2)));
    for (i, (_, members, _)) in cats.iter().enumerate() {
        for &d in members {
            typed[d] = i as f64;
        }
    }
    cats.into_iter().map(|c| c.0).collect()
}

/// A high-cardinality numeric column (see `read::DICT_CAP`): numbers per row, no texts.
fn dense_column(name: String, dense: super::read::Dense, forced: Option<ColumnKind>) -> Column {
    let mut notes = vec![format!(
        "more than {} distinct numbers: kept as numbers only (their texts are not stored)",
        dense.distinct_at_switch
    )];
    if let Some(k) = forced.filter(|k| *k != ColumnKind::Numeric) {
        notes.push(format!(
            "kept numeric rather than {}: it has too many distinct values",
            k.name()
        ));
    }
    if dense.invalid > 0 {
        notes.push(format!(
            "{} cells (e.g. `{}`) cannot be read as numeric: they are treated as missing",
            dense.invalid,
            dense.example.unwrap_or_default()
        ));
    }
    let mut sorted: Vec<f64> = dense
        .values
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .collect();
    let non_missing = sorted.len();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    let id = dense.unique_integers
        && sorted.len() == non_missing
        && sorted.iter().all(|v| v.fract() == 0.0);
    let kind = if id {
        ColumnKind::Identifier
    } else {
        ColumnKind::Numeric
    };
    Column {
        excluded_because: if id {
            Some("an identifier (a different value on almost every row): it says nothing about new leads".into())
        } else {
            None
        },
        name,
        kind,
        format: CellFormat::Number(dense.format),
        categories: Vec::new(),
        missing: dense.missing,
        invalid: dense.invalid,
        notes,
        distinct: Vec::new(),
        counts: Vec::new(),
        typed: Vec::new(),
        missing_distinct: Vec::new(),
        codes: super::table::Codes::default(),
        dense_distinct: sorted.len(),
        dense: Some(dense.values),
    }
}

/// A year in days.
const YEAR: f64 = 365.25;

/// Turns date columns that hold dates of birth into personal data, found by content: at least
/// 90 % of their dates lie 16 to 100 years before the latest date of the table's other date
/// columns, spread over at least ten years. Columns whose kind the user set are left alone.
pub(crate) fn find_birth_dates(columns: &mut [Column], forced: &[(String, ColumnKind)]) {
    let latest: Vec<Option<f64>> = columns
        .iter()
        .map(|c| {
            (c.kind == ColumnKind::Date && !c.is_dense())
                .then(|| {
                    c.typed
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan())
                        .fold(f64::NEG_INFINITY, f64::max)
                })
                .filter(|v| v.is_finite())
        })
        .collect();
    for i in 0..columns.len() {
        if latest[i].is_none()
            || forced
                .iter()
                .any(|(n, _)| n.trim().eq_ignore_ascii_case(&columns[i].name))
        {
            continue;
        }
        let Some((j, reference)) = latest
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .filter_map(|(j, l)| l.map(|l| (j, l)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        let c = &columns[i];
        let (mut inside, mut total) = (0u64, 0u64);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for d in 0..c.distinct.len() {
            let v = c.typed[d];
            if v.is_nan() {
                continue;
            }
            total += c.counts[d];
            if v <= reference - 16.0 * YEAR && v >= reference - 100.0 * YEAR {
                inside += c.counts[d];
            }
            min = min.min(v);
            max = max.max(v);
        }
        if total >= 5 && inside as f64 >= 0.9 * total as f64 && max - min >= 10.0 * YEAR {
            let other = columns[j].name.clone();
            let c = &mut columns[i];
            c.kind = ColumnKind::Personal(PersonalKind::BirthDate);
            c.format = CellFormat::Text;
            c.typed.fill(f64::NAN);
            c.excluded_because = Some(format!(
                "personal data (dates of birth): its dates lie 16 to 100 years before the latest \
                 date in `{other}`, as dates of birth do; never a feature, never the time key, \
                 never stored in a model (if they are not dates of birth, allow this column \
                 explicitly)"
            ));
        }
    }
}

/// A personal column the user allowed, read again as if it were not personal: a date column for
/// dates of birth (when its values read as dates), else categorical. The copy keeps the column's
/// name and rows.
pub(crate) fn as_allowed(col: &Column) -> Column {
    let values = Values {
        texts: (0..col.distinct.len())
            .filter(|&d| !col.is_missing_distinct(d))
            .map(|d| (d, col.distinct[d].as_str(), col.counts[d]))
            .collect(),
        rows: col.counts.iter().sum::<u64>() - col.missing,
    };
    let mut out = col.clone();
    out.excluded_because = None;
    out.typed = vec![f64::NAN; col.distinct.len()];
    if col.kind == ColumnKind::Personal(PersonalKind::BirthDate) {
        if let Some((order, share)) = date_order(&values).filter(|(_, s)| *s >= TYPED_SHARE) {
            let _ = share;
            for &(d, s, _) in &values.texts {
                out.typed[d] = parse::parse_date(s, order).unwrap_or(f64::NAN);
            }
            out.kind = ColumnKind::Date;
            out.format = CellFormat::Date(order);
            return out;
        }
    }
    out.kind = ColumnKind::Categorical;
    out.format = CellFormat::Text;
    out.categories = categorize(&values, &mut out.typed, &mut Vec::new());
    out
}

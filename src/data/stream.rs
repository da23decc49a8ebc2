//! Scoring a known schema: CSV bytes straight through a model's stored [`Pipeline`].
//!
//! A model already knows how to read each column it uses (the transform stored with each
//! feature), so scoring needs no type inference and no typed table of every column: the rows are
//! read by the same scanner as [`super::Table::from_csv`] (encoding, separator, header, hostile
//! input, ragged and blank rows: identical acceptance, errors and row numbers), only the model's
//! columns are looked at, and each cell becomes its feature value as its row is read, through the
//! same [`Pipeline::read_text`] as [`Pipeline::encode_cell`] and
//! [`Pipeline::encode_record`] — so a row scores exactly as the same record would.
//!
//! Unlike the table path, cells the stored pipeline cannot read (a word in a number column, a
//! date it cannot parse) are counted per column and reported in a warning naming the first
//! one's row, line and text; they are scored as missing, as before.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::guard;
use super::parse;
use super::pipeline::{self, Cell, EncodedTable, Pipeline, Transform};
use super::read::{self, CellHasher, CsvOptions, RowAt, RowSink};
use crate::limits::thousands;
use crate::Result;

/// Distinct cell texts remembered per feature (categories, booleans, dates, small numbers
/// repeat); past this, cells are read without remembering them.
const MEMO_CAP: usize = 4096;

/// A CSV read through a model's pipeline: its feature columns and what the file held.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedCsv {
    /// Feature columns in model order, rows, absent columns and warnings (absent columns, cells
    /// the pipeline could not read).
    pub features: EncodedTable,
    /// Every column name of the file, in file order (as a [`super::Table`] names them).
    pub headers: Vec<String>,
    /// The field separator used.
    pub delimiter: char,
    /// Plain-words remarks about the file (encoding fallback, unnamed columns, blank rows).
    pub notes: Vec<String>,
}

/// The first cell of a column the pipeline could not read.
#[derive(Debug, Clone)]
struct FirstUnreadable {
    row: usize,
    line: u64,
    text: String,
}

/// One feature while rows stream in.
struct FeatureReader<'p> {
    transform: &'p Transform,
    /// The field index of its source column (`None`: the file lacks it: all missing).
    field: Option<usize>,
    /// Plain decimal numbers (the common case) are read without the memo.
    plain_numbers: bool,
    memo: HashMap<Box<[u8]>, Cell, BuildHasherDefault<CellHasher>>,
    values: Vec<f64>,
    unreadable: u64,
    first: Option<FirstUnreadable>,
}

/// Reads a plain decimal number (`-12.5`, `3e4`) the way [`super::parse::parse_number`] does,
/// without its allocation: Rust's float parser agrees with it on every text both accept and
/// these guards leave out the forms only one of them reads (a leading `+` or `.`, a trailing
/// `.`, infinities, texts over 64 bytes). `None`: not this simple form, use the full parser.
fn plain_number(s: &str) -> Option<f64> {
    if s.len() > 64 || s.starts_with(['+', '.']) || s.ends_with('.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads `-?[0-9]+(\.[0-9]+)?` with at most 15 digits straight from bytes: the digits as an
/// integer `m < 10^15` (exact in `f64`) divided by `10^e`, `e <= 15` (exact too), which IEEE
/// division rounds correctly — the value Rust's float parser (and so [`parse::parse_number`])
/// gives for the same text (Clinger's fast path). `None`: another form; the full parser decides.
fn decimal(t: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t),
    };
    let (mut m, mut n, mut scale, mut point) = (0u64, 0usize, 0usize, false);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(b - b'0');
                n += 1;
                scale += usize::from(point);
                if n > 15 {
                    return None;
                }
            }
            b'.' if !point && n > 0 => point = true,
            _ => return None,
        }
    }
    if n == 0 || (point && scale == 0) {
        return None;
    }
    let v = m as f64 / POW10[scale];
    Some(if negative { -v } else { v })
}

impl FeatureReader<'_> {
    fn read(&mut self, pipeline: &Pipeline, raw: &[u8]) -> Cell {
        let t = read::trim(raw);
        if self.plain_numbers {
            if let Some(v) = decimal(t) {
                return Cell::Value(v);
            }
        }
        if self.plain_numbers && t.len() > 4 {
            // Short texts may be placeholders (`NA`, `-`): they go through the memo.
            if let Some(v) = std::str::from_utf8(t)
                .ok()
                .filter(|s| !parse::is_missing(s, &pipeline.missing))
                .and_then(plain_number)
            {
                return Cell::Value(v);
            }
        }
        if let Some(&c) = self.memo.get(t) {
            return c;
        }
        let text = String::from_utf8_lossy(t);
        let c = pipeline.read_text(self.transform, &text);
        if self.memo.len() < MEMO_CAP {
            self.memo.insert(t.into(), c);
        }
        c
    }
}

/// The streaming sink: each row's cells of the model's columns into feature values.
struct Readers<'p> {
    pipeline: &'p Pipeline,
    readers: Vec<FeatureReader<'p>>,
}

impl RowSink for Readers<'_> {
    fn header(&mut self, headers: &[String], expected_rows: usize) -> Result<()> {
        self.readers = self
            .pipeline
            .features
            .iter()
            .map(|info| FeatureReader {
                transform: &info.transform,
                field: find_column(headers, &info.source),
                // Unless a placeholder of the user's is itself a number (`-1`, `999`).
                plain_numbers: matches!(info.transform, Transform::Number(f) if !f.decimal_comma)
                    && !self
                        .pipeline
                        .missing
                        .iter()
                        .any(|m| decimal(m.trim().as_bytes()).is_some()),
                memo: HashMap::default(),
                values: Vec::with_capacity(expected_rows),
                unreadable: 0,
                first: None,
            })
            .collect();
        Ok(())
    }

    fn row(&mut self, record: &csv::ByteRecord, at: &RowAt) -> Result<()> {
        for r in self.readers.iter_mut() {
            let Some(raw) = r.field.and_then(|i| record.get(i)) else {
                r.values.push(f64::NAN);
                continue;
            };
            let cell = r.read(self.pipeline, raw);
            if cell == Cell::Unreadable {
                r.unreadable += 1;
                if r.first.is_none() {
                    r.first = Some(FirstUnreadable {
                        row: at.row,
                        line: at.line(record),
                        text: String::from_utf8_lossy(read::trim(raw)).into_owned(),
                    });
                }
            }
            r.values.push(cell.value());
        }
        Ok(())
    }
}

impl Pipeline {
    /// Reads CSV bytes straight through the pipeline: only the columns the model reads, no type
    /// inference, each row converted as it is read. Columns are found by name as in
    /// [`super::Table::column`] (exact, then ignoring case and surrounding spaces); the file's
    /// missing placeholders are the pipeline's. The feature values equal
    /// [`Pipeline::encode_record`]'s for each row's fields.
    ///
    /// # Errors
    /// As [`super::Table::from_csv`] (the same reader): empty or binary files, damaged UTF-8,
    /// duplicated header names, ragged rows, oversized fields, row limits — each naming the row,
    /// line and column.
    pub fn encode_csv(&self, bytes: &[u8]) -> Result<EncodedCsv> {
        let options = CsvOptions {
            missing: self.missing.clone(),
            ..CsvOptions::default()
        };
        let mut sink = Readers {
            pipeline: self,
            readers: Vec::new(),
        };
        let scanned = read::scan(bytes, &options, &mut sink)?;
        let readers = sink.readers;
        let mut warnings: Vec<String> = Vec::new();
        let mut absent: Vec<String> = Vec::new();
        for (info, r) in self.features.iter().zip(&readers) {
            if r.field.is_none() && !absent.contains(&info.source) {
                absent.push(info.source.clone());
                warnings.push(pipeline::absent_warning(&info.source));
            }
        }
        for (info, r) in self.features.iter().zip(&readers) {
            let (Some(first), Some(field)) = (&r.first, r.field) else {
                continue;
            };
            let name = &scanned.headers[field];
            let w = format!(
                "{} of {} values of column `{}` are not {} the model can read: they are scored \
                 as missing (the first: {}, `{}`)",
                thousands(r.unreadable),
                thousands(scanned.rows as u64),
                guard::shorten(name),
                pipeline::reads(&info.transform),
                guard::place(first.row, first.line, field, Some(name)),
                guard::shorten(&first.text)
            );
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        let columns = readers.into_iter().map(|r| r.values).collect();
        Ok(EncodedCsv {
            features: EncodedTable {
                columns,
                warnings,
                n_rows: scanned.rows,
                absent,
            },
            headers: scanned.headers,
            delimiter: scanned.delimiter as char,
            notes: scanned.notes,
        })
    }
}

/// The field index of column `name` in `headers`, found as [`super::Table::column`] finds it:
/// the exact name first, then ignoring ASCII case and surrounding spaces.
fn find_column(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name).or_else(|| {
        let name = name.trim();
        headers.iter().position(|h| h.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_agree_with_the_full_parser() {
        for s in [
            "0",
            "-0",
            "12",
            "-12.5",
            "0.568230",
            "3e4",
            "1E-3",
            "-1.5e+2",
            "007",
            "5.e3",
            "1e400",
            "inf",
            "NaN",
            "-.5",
            ".5",
            "+1",
            "1.",
            "1,200",
            "1.5k",
            "12%",
            "",
            "123456789012345678901234567890123456789012345678901234567890123456789",
        ] {
            // Where the fast path gives up, the full parser decides.
            if let Some(v) = plain_number(s) {
                let full = parse::parse_number(s, false);
                assert_eq!(Some(v.to_bits()), full.map(f64::to_bits), "{s}");
            }
        }
    }

    #[test]
    fn decimals_read_from_bytes_agree_with_the_full_parser() {
        let mut rng = crate::rng::Rng::new(5);
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "7",
            "007",
            "-12.5",
            "0.568230",
            "0.1",
            "0.3",
            "123456789012345",
            "1234567890123456",
            "99999999999999.9",
            "0.000000000000001",
            "5.",
            ".5",
            "-",
            "-.5",
            "1.2.3",
            "1e5",
            "+1",
            "12a",
            "",
            "0.0",
            "-0.0",
            "9007199254740993",
        ]
        .map(String::from)
        .to_vec();
        for _ in 0..20_000 {
            let digits = 1 + rng.below(16) as usize;
            let mut s: String = (0..digits)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            if rng.below(2) == 0 {
                let at = 1 + rng.below(digits as u64) as usize;
                s.insert(at.min(s.len()), '.');
            }
            if rng.below(3) == 0 {
                s.insert(0, '-');
            }
            texts.push(s);
        }
        let mut fast = 0;
        for s in &texts {
            if let Some(v) = decimal(s.as_bytes()) {
                fast += 1;
                let full = parse::parse_number(s, false).map(f64::to_bits);
                assert_eq!(Some(v.to_bits()), full, "{s}");
                assert_eq!(
                    Some(v.to_bits()),
                    s.parse::<f64>().ok().map(f64::to_bits),
                    "{s}"
                );
            }
        }
        assert!(fast > 15_000, "{fast}");
        for s in [
            "5.",
            ".5",
            "-",
            "1e5",
            "+1",
            "",
            "1234567890123456",
            "1.2.3",
        ] {
            assert_eq!(decimal(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn columns_are_found_like_the_table_finds_them() {
        let h: Vec<String> = ["Age", " city", "AGE2"].map(String::from).to_vec();
        assert_eq!(find_column(&h, "Age"), Some(0));
        assert_eq!(find_column(&h, "age"), Some(0));
        assert_eq!(find_column(&h, " age2 "), Some(2));
        assert_eq!(find_column(&h, "zip"), None);
    }
}

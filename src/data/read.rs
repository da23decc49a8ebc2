//! CSV bytes → [`Table`]: encoding, separator, header names, ragged rows, streaming into columns.
//!
//! Rows are streamed through the `csv` crate's byte records; each cell is trimmed and interned
//! into its column's dictionary of distinct texts, so only the distinct texts and one small code
//! per cell are kept — never a copy of the file's text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::guard;
use super::infer::infer_column;
use super::parse;
use super::table::{Codes, Column, ColumnKind, Table};
use crate::{Error, Result};

/// How to read a CSV file. `Default` sniffs everything.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// The field separator; `None` = sniffed among `,` `;` tab `|` from the first lines.
    pub delimiter: Option<char>,
    /// Extra missing-value placeholders (e.g. `Select`), compared case-insensitively; the
    /// defaults (empty, `NA`, `N/A`, `null`, `None`, `-`, `?`, `NaN`, `#N/A`, `nil`) always apply.
    pub missing: Vec<String>,
    /// Whether the first row holds column names (otherwise columns are named `column 1`…).
    pub has_header: bool,
    /// Skip rows whose number of fields differs from the header's (counted in the table's
    /// notes) instead of failing on the first one.
    pub skip_bad_rows: bool,
    /// Kinds set by the user, by column name; they replace the inferred kind.
    pub kinds: Vec<(String, ColumnKind)>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: None,
            missing: Vec::new(),
            has_header: true,
            skip_bad_rows: false,
            kinds: Vec::new(),
        }
    }
}

/// A small, fast, deterministic hasher for short byte strings (cell texts). The map it keys is
/// only ever looked up, never iterated, so its order cannot leak into results.
#[derive(Default)]
pub(crate) struct CellHasher(u64);

impl Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        // The multiply only carries low bits upward; fold the high bits back down (murmur3's
        // finaliser) so hashbrown's bucket index (low bits) sees every input byte.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

type CellMap = HashMap<Box<[u8]>, u32, BuildHasherDefault<CellHasher>>;

/// Packs a cell of at most 15 bytes into one `u128` (bytes, then length + 1 in the top byte),
/// so short cells — most CSV cells — are interned without heap keys or `memcmp`.
fn short_key(cell: &[u8]) -> Option<u128> {
    if cell.len() > 15 {
        return None;
    }
    let mut b = [0u8; 16];
    b[..cell.len()].copy_from_slice(cell);
    b[15] = cell.len() as u8 + 1;
    Some(u128::from_le_bytes(b))
}

/// Open-addressing map from packed short cells to codes (0 = empty slot: real keys are non-zero).
#[derive(Default)]
struct ShortMap {
    keys: Vec<u128>,
    codes: Vec<u32>,
    len: usize,
}

impl ShortMap {
    fn slot(&self, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let h = (h ^ (h >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (h >> 20) as usize & (self.keys.len() - 1)
    }

    fn get_or_insert(&mut self, key: u128, next: u32) -> (u32, bool) {
        if self.len * 2 >= self.keys.len() {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        let mut i = self.slot(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return (self.codes[i], false);
            }
            if k == 0 {
                self.keys[i] = key;
                self.codes[i] = next;
                self.len += 1;
                return (next, true);
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let cap = (self.keys.len() * 2).max(16);
        let old_keys = std::mem::replace(&mut self.keys, vec![0; cap]);
        let old_codes = std::mem::replace(&mut self.codes, vec![0; cap]);
        for (k, c) in old_keys.into_iter().zip(old_codes) {
            if k != 0 {
                let mut i = self.slot(k);
                while self.keys[i] != 0 {
                    i = (i + 1) & (cap - 1);
                }
                self.keys[i] = k;
                self.codes[i] = c;
            }
        }
    }
}

/// A column while rows stream in.
#[derive(Default)]
pub(crate) struct ColumnBuilder {
    short: ShortMap,
    /// Long cells by 64-bit hash → code; the text itself is kept once, in `distinct`.
    long: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    /// Long cells whose hash collides with a different text's (rare).
    collisions: CellMap,
    pub(crate) distinct: Vec<Box<[u8]>>,
    pub(crate) counts: Vec<u64>,
    pub(crate) codes: Codes,
    /// Set when a high-cardinality column turned out numeric: its numbers, no text.
    pub(crate) dense: Option<Dense>,
}

/// Columns with more distinct texts than this are checked once: numeric ones switch to storing
/// one `f64` per row instead of every distinct text (jittered amounts, scores, timestamps…).
pub(crate) const DICT_CAP: usize = 1 << 15;

/// A high-cardinality numeric column's values while rows stream in.
#[derive(Debug, Default)]
pub(crate) struct Dense {
    /// One value per row (NaN = missing or unreadable).
    pub(crate) values: Vec<f64>,
    /// How the numbers are written.
    pub(crate) format: super::parse::NumberFormat,
    /// Rows with a missing placeholder.
    pub(crate) missing: u64,
    /// Non-missing cells that are not numbers (read as missing), with the first one.
    pub(crate) invalid: u64,
    /// The first unreadable cell.
    pub(crate) example: Option<String>,
    /// Distinct values when the switch happened (a lower bound of the cardinality).
    pub(crate) distinct_at_switch: usize,
    /// Every value so far was an integer seen once (an id candidate).
    pub(crate) unique_integers: bool,
}

/// Passes an already-mixed `u64` through unchanged.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl ColumnBuilder {
    fn long_code(&mut self, cell: &[u8], next: u32) -> (u32, bool) {
        let mut h = CellHasher::default();
        h.write(cell);
        h.write_usize(cell.len());
        let hash = h.finish();
        match self.long.get(&hash) {
            Some(&c) if *self.distinct[c as usize] == *cell => (c, false),
            Some(_) => match self.collisions.get(cell) {
                Some(&c) => (c, false),
                None => {
                    self.collisions.insert(cell.into(), next);
                    (next, true)
                }
            },
            None => {
                self.long.insert(hash, next);
                (next, true)
            }
        }
    }

    fn push(&mut self, cell: &[u8], missing: &[String]) {
        if let Some(d) = &mut self.dense {
            let text = std::str::from_utf8(cell).unwrap_or("");
            let v = match text.parse::<f64>() {
                Ok(v)
                    if !d.format.decimal_comma
                        && v.is_finite()
                        && !text.starts_with(['+', '.'])
                        && !text.ends_with('.') =>
                {
                    Some(v)
                }
                _ => parse::parse_number(text, d.format.decimal_comma),
            };
            match v {
                Some(v) => d.values.push(v),
                None => {
                    if parse::is_missing(text, missing) {
                        d.missing += 1;
                    } else {
                        d.invalid += 1;
                        d.example
                            .get_or_insert_with(|| text.chars().take(40).collect());
                    }
                    d.values.push(f64::NAN);
                }
            }
            return;
        }
        let next = self.distinct.len() as u32;
        let (code, new) = match short_key(cell) {
            Some(k) => self.short.get_or_insert(k, next),
            None => self.long_code(cell, next),
        };
        if new {
            self.distinct.push(cell.into());
            self.counts.push(0);
        }
        self.counts[code as usize] += 1;
        self.codes.push(code);
        if new && self.distinct.len() == DICT_CAP {
            self.maybe_go_dense(missing);
        }
    }

    /// At `DICT_CAP` distinct texts: if every non-missing one is a number (and the column does
    /// not look like a unique integer id), keep numbers per row and drop the texts.
    fn maybe_go_dense(&mut self, missing: &[String]) {
        let texts: Vec<&str> = self
            .distinct
            .iter()
            .map(|d| std::str::from_utf8(d).unwrap_or("\u{0}"))
            .collect();
        let pick = |comma: bool| -> Option<Vec<(f64, parse::NumberShape)>> {
            texts
                .iter()
                .map(|t| {
                    if parse::is_missing(t, missing) {
                        Some((f64::NAN, parse::NumberShape::default()))
                    } else {
                        parse::parse_number_shape(t, comma)
                    }
                })
                .collect()
        };
        let (parsed, comma) = match pick(false) {
            Some(p) => (p, false),
            None => match pick(true) {
                Some(p) => (p, true),
                None => return,
            },
        };
        let ints_once = parsed
            .iter()
            .zip(&self.counts)
            .all(|((v, _), &n)| v.is_nan() || v.fract() == 0.0 && n == 1);
        let leading_zeros = parsed.iter().filter(|(_, s)| s.leading_zero).count();
        if leading_zeros * 20 >= parsed.len() {
            return; // codes such as ZIP codes: text kept, the column is categorical or excluded
        }
        let n = parsed.len();
        let percent = parsed.iter().filter(|(_, s)| s.percent).count() * 2 > n;
        let currency = parsed.iter().find_map(|(_, s)| s.currency).filter(|c| {
            parsed
                .iter()
                .filter(|(_, s)| s.currency == Some(*c))
                .count()
                * 2
                > n
        });
        let typed: Vec<f64> = parsed.iter().map(|p| p.0).collect();
        let missing_rows: u64 = typed
            .iter()
            .zip(&self.counts)
            .filter(|(v, _)| v.is_nan())
            .map(|(_, &n)| n)
            .sum();
        // Room for the rows expected from the file size (reserved for the codes at the start).
        let mut values = Vec::with_capacity(self.codes.capacity().max(self.codes.len()));
        values.extend(self.codes.map(&typed));
        self.dense = Some(Dense {
            values,
            format: parse::NumberFormat {
                decimal_comma: comma,
                percent,
                currency,
            },
            missing: missing_rows,
            invalid: 0,
            example: None,
            distinct_at_switch: n,
            unique_integers: ints_once,
        });
        self.short = ShortMap::default();
        self.long = HashMap::default();
        self.collisions = CellMap::default();
        self.distinct = Vec::new();
        self.counts = Vec::new();
        self.codes = Codes::default();
    }
}

/// Trims a field as every reader does (ASCII whitespace at both ends).
pub(crate) fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// Decodes the input to UTF-8 text: strips a UTF-8 BOM, decodes UTF-16 (with BOM), and reads a
/// file with no valid multi-byte UTF-8 character as Windows-1252 (a superset of Latin-1) with a
/// note naming its first such cell. A UTF-8 file with invalid bytes is refused: decoding it either
/// way would change some of its text.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    delimiter: Option<u8>,
    notes: &mut Vec<String>,
) -> Result<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode(rest, delimiter, notes);
    }
    let utf16 = |le: bool, rest: &[u8]| -> String {
        let units = rest.chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        notes.push("the file is UTF-16 (little-endian); it was converted to UTF-8".into());
        return Ok(Cow::Owned(utf16(true, rest)));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        notes.push("the file is UTF-16 (big-endian); it was converted to UTF-8".into());
        return Ok(Cow::Owned(utf16(false, rest)));
    }
    let sniffed = || {
        delimiter.unwrap_or_else(|| {
            sniff_delimiter(&String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]))
        })
    };
    match guard::utf8_state(bytes) {
        guard::Utf8::Valid => Ok(Cow::Borrowed(
            std::str::from_utf8(bytes).unwrap_or_default(),
        )),
        guard::Utf8::Damaged => Err(guard::damaged_utf8(bytes, sniffed())),
        guard::Utf8::Legacy => {
            notes.push(guard::legacy_note(bytes, sniffed()));
            Ok(Cow::Owned(windows_1252_text(bytes)))
        }
    }
}

/// Bytes read as Windows-1252 text.
pub(crate) fn windows_1252_text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| windows_1252(b)).collect()
}

/// One Windows-1252 byte as a char (bytes 0x80–0x9F hold typographic characters; the five
/// undefined ones map to the C1 control of the same number, as browsers do).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Counts each candidate separator outside double quotes on the first two lines and picks the
/// one that splits both lines the same way (most fields first; ties: `,` `;` tab `|`).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [[0usize; 2]; 4];
    let mut line = 0;
    let mut quoted = false;
    for &b in text.as_bytes().iter().take(1 << 16) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                line += 1;
                if line == 2 {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i][line] += 1;
                }
            }
            _ => {}
        }
    }
    let one_line = line < 1 || counts.iter().all(|c| c[1] == 0);
    let best = |consistent: bool| {
        (0..4)
            .filter(|&i| {
                counts[i][0] > 0 && (!consistent || one_line || counts[i][0] == counts[i][1])
            })
            .max_by(|&a, &b| counts[a][0].cmp(&counts[b][0]).then(b.cmp(&a)))
    };
    best(true)
        .or_else(|| best(false))
        .map_or(b',', |i| CANDIDATES[i])
}

/// Makes header names usable: trimmed, empty ones named `column N` (with a note). Duplicated
/// names are refused afterwards by [`guard::check_header`].
fn clean_headers(raw: Vec<String>, notes: &mut Vec<String>) -> Vec<String> {
    let mut unnamed = Vec::new();
    let out = raw
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            if h.is_empty() {
                unnamed.push(i + 1);
                format!("column {}", i + 1)
            } else {
                h
            }
        })
        .collect();
    match unnamed.len() {
        0 => {}
        1 => notes.push(format!(
            "column {} had no name: named `column {}`",
            unnamed[0], unnamed[0]
        )),
        n => notes.push(format!(
            "{n} columns had no name (the first: column {}): named `column N` by position",
            unnamed[0]
        )),
    }
    out
}

/// Row bookkeeping while streaming: counts for messages and notes.
#[derive(Default)]
struct RowCounter<'a> {
    /// The text being read (line numbers in messages are counted in it, on those paths only).
    text: &'a [u8],
    /// Data rows seen, including skipped ones (row numbers in messages count these from 1).
    rows: usize,
    kept: usize,
    blank: usize,
    skipped: usize,
    first_skipped: Option<(usize, u64, usize)>,
    /// The last record's byte position, for the unclosed-quote message.
    last_byte: u64,
    last_multiline: bool,
}

/// Where a data row is, for messages: its number (data rows from 1, skipped ones counted) and
/// the text it was read from (its line is counted on demand: error and warning paths only).
pub(crate) struct RowAt<'a> {
    /// Data row number, from 1.
    pub(crate) row: usize,
    text: &'a [u8],
}

impl RowAt<'_> {
    /// The 1-based line on which `record` starts.
    pub(crate) fn line(&self, record: &csv::ByteRecord) -> u64 {
        guard::record_line(self.text, record)
    }
}

impl RowCounter<'_> {
    /// Checks one record and hands it to `on_row` unless it is blank (or skipped as ragged).
    fn push(
        &mut self,
        record: &csv::ByteRecord,
        n_cols: usize,
        skip_bad_rows: bool,
        names: &[String],
        sink: &mut dyn RowSink,
    ) -> Result<()> {
        self.rows += 1;
        crate::limits::check_rows(self.rows)?;
        guard::check_field_sizes(record, self.rows, names, self.text)?;
        let len = record.len();
        self.last_byte = record.position().map_or(0, csv::Position::byte);
        // An unclosed quote swallows the rest of the file into its record's last field.
        self.last_multiline = record
            .get(len.saturating_sub(1))
            .is_some_and(|f| f.contains(&b'\n'));
        if record.iter().all(|f| trim(f).is_empty()) {
            self.blank += 1;
            return Ok(());
        }
        // Extra trailing fields that are all empty (`a,b,c,`) lose nothing: accepted.
        if len < n_cols || len > n_cols && record.iter().skip(n_cols).any(|f| !trim(f).is_empty()) {
            if skip_bad_rows {
                self.skipped += 1;
                if self.first_skipped.is_none() {
                    let line = guard::record_line(self.text, record);
                    self.first_skipped = Some((self.rows, line, len));
                }
                return Ok(());
            }
            let hint = if len < n_cols && record.iter().any(|f| f.contains(&b'\n')) {
                " (a quote may be missing its closing `\"`)"
            } else {
                ""
            };
            return Err(Error::Csv(format!(
                "row {} (line {}) has {len} fields but the header has {n_cols} columns{hint}: \
                 fix that row, or choose to skip bad rows",
                self.rows,
                guard::record_line(self.text, record)
            )));
        }
        sink.row(
            record,
            &RowAt {
                row: self.rows,
                text: self.text,
            },
        )?;
        self.kept += 1;
        Ok(())
    }
}

/// Where [`scan`] hands the header and the rows.
pub(crate) trait RowSink {
    /// The cleaned header, and the number of data rows the file is expected to hold (for
    /// reservations; bounded by the file's size and the row limit).
    ///
    /// # Errors
    /// Whatever the sink refuses.
    fn header(&mut self, headers: &[String], expected_rows: usize) -> Result<()>;
    /// One data row that is not blank (fields untrimmed, at least as many as the header's).
    ///
    /// # Errors
    /// Whatever the sink refuses.
    fn row(&mut self, record: &csv::ByteRecord, at: &RowAt) -> Result<()>;
}

/// What [`scan`] found besides the rows it handed over.
pub(crate) struct Scanned {
    /// Column names in file order (trimmed; empty ones named `column N`).
    pub(crate) headers: Vec<String>,
    /// The field separator used.
    pub(crate) delimiter: u8,
    /// Plain-words remarks about the file (encoding fallback, unnamed columns, blank and
    /// skipped rows).
    pub(crate) notes: Vec<String>,
    /// Data rows handed to `on_row` (blank and skipped rows excluded).
    pub(crate) rows: usize,
}

/// Reads a CSV's bytes row by row: encoding, separator, header, then every data row that is not
/// blank, each handed to `sink`, with every hostile-input check.
/// [`Table::from_csv`] and the scoring path (`Pipeline::encode_csv`) both read through it, so
/// they accept, refuse and number rows identically.
///
/// # Errors
/// As [`Table::from_csv`], and whatever the sink returns.
pub(crate) fn scan(bytes: &[u8], options: &CsvOptions, sink: &mut dyn RowSink) -> Result<Scanned> {
    let mut notes = Vec::new();
    let given = match options.delimiter {
        Some(d) if d.is_ascii() && d != '"' && d != '\n' && d != '\r' => Some(d as u8),
        Some(d) => {
            return Err(Error::Config {
                field: "delimiter",
                expected: "one ASCII character other than a quote or line break".into(),
                given: format!("{d:?}"),
            })
        }
        None => None,
    };
    let text = decode(bytes, given, &mut notes)?;
    if text.trim().is_empty() {
        return Err(Error::Csv(
            "the file is empty: expected a header row, then one row per lead".into(),
        ));
    }
    let delimiter = given.unwrap_or_else(|| sniff_delimiter(&text));
    guard::check_nul(text.as_bytes(), delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let csv_error =
        |e: csv::Error, row: usize| Error::Csv(format!("row {row}: cannot read the CSV: {e}"));
    // Header.
    let mut first_data: Option<csv::ByteRecord> = None;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) if record.iter().all(|f| trim(f).is_empty()) => continue,
            Ok(true) => break,
            Ok(false) => {
                return Err(Error::Csv(
                    "the file is empty: expected a header row, then one row per lead".into(),
                ))
            }
            Err(e) => return Err(csv_error(e, 0)),
        }
    }
    crate::limits::check_columns(record.len())?;
    let headers: Vec<String> = if options.has_header {
        guard::check_field_sizes(&record, 0, &[], text.as_bytes())?;
        let raw = record
            .iter()
            .map(|f| String::from_utf8_lossy(trim(f)).into_owned())
            .collect();
        clean_headers(raw, &mut notes)
    } else {
        first_data = Some(record.clone());
        (1..=record.len()).map(|i| format!("column {i}")).collect()
    };
    guard::check_header(&headers)?;
    let n_cols = headers.len();
    // Reserve the per-cell codes once, from the average length of the first lines.
    let sample = &text.as_bytes()[..text.len().min(1 << 20)];
    let sample_lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    // Never more than the file could hold (a cell takes at least one byte) nor the row limit,
    // so a crafted file cannot make this reservation exhaust memory.
    let expected_rows = (text.len() / (sample.len() / sample_lines).max(1) * 51 / 50 + 16)
        .min(text.len() / n_cols.max(1) + 16)
        .min(crate::limits::MAX_ROWS);
    sink.header(&headers, expected_rows)?;
    let mut counter = RowCounter {
        text: text.as_bytes(),
        ..RowCounter::default()
    };
    if let Some(r) = first_data.take() {
        counter.push(&r, n_cols, options.skip_bad_rows, &headers, sink)?;
    }
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => counter.push(&record, n_cols, options.skip_bad_rows, &headers, sink)?,
            Ok(false) => break,
            Err(e) => return Err(csv_error(e, counter.rows + 1)),
        }
    }
    // A well-formed CSV has an even number of `"`; an odd count means the last field opened
    // a quote that never closes and swallowed the rest of the file.
    if counter.last_multiline && text.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
        return Err(Error::Csv(format!(
            "row {} (line {}): a quote `\"` opens a field that is never closed, so the rest of \
             the file was read as one cell: close the quote",
            counter.rows,
            guard::line_at(counter.text, counter.last_byte)
        )));
    }
    let RowCounter {
        kept,
        blank,
        skipped,
        first_skipped,
        ..
    } = counter;
    if blank > 0 {
        notes.push(format!("{blank} blank rows were ignored"));
    }
    if let Some((row, line, len)) = first_skipped {
        notes.push(format!(
            "{skipped} rows were skipped because their number of fields differs from the \
             header's {n_cols} (the first: row {row}, line {line}, with {len} fields)"
        ));
    }
    Ok(Scanned {
        headers,
        delimiter,
        notes,
        rows: kept,
    })
}

/// The table's sink: every cell into its column's dictionary.
struct Builders<'a> {
    columns: Vec<ColumnBuilder>,
    missing: &'a [String],
}

impl RowSink for Builders<'_> {
    fn header(&mut self, headers: &[String], expected_rows: usize) -> Result<()> {
        self.columns = (0..headers.len())
            .map(|_| ColumnBuilder {
                codes: Codes::U8(Vec::with_capacity(expected_rows)),
                ..Default::default()
            })
            .collect();
        Ok(())
    }

    fn row(&mut self, record: &csv::ByteRecord, _: &RowAt) -> Result<()> {
        for (b, f) in self.columns.iter_mut().zip(record.iter()) {
            b.push(trim(f), self.missing);
        }
        Ok(())
    }
}

impl Table {
    /// Reads a CSV file's bytes into typed columns with inferred kinds.
    ///
    /// # Errors
    /// `Error::Csv` when the input is empty or has no header, or when a row has a different
    /// number of fields than the header (naming the row, its line and both counts) unless
    /// `skip_bad_rows` is set. Never panics on any input.
    pub fn from_csv(bytes: &[u8], options: &CsvOptions) -> Result<Table> {
        let mut sink = Builders {
            columns: Vec::new(),
            missing: &options.missing,
        };
        let scanned = scan(bytes, options, &mut sink)?;
        let builders = sink.columns;
        let Scanned {
            headers,
            delimiter,
            notes,
            rows,
        } = scanned;
        let mut columns: Vec<Column> = headers
            .into_iter()
            .zip(builders)
            .map(|(name, b)| {
                let forced = options
                    .kinds
                    .iter()
                    .find(|(n, _)| n.trim().eq_ignore_ascii_case(&name))
                    .map(|(_, k)| *k);
                infer_column(name, b, &options.missing, forced)
            })
            .collect();
        for (name, _) in &options.kinds {
            if !columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(name.trim()))
            {
                return Err(Error::Data(format!(
                    "a kind was set for column `{name}`, but the file has no such column (columns: {})",
                    columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        // Dates of birth are found by comparing date columns (privacy helper's hook).
        super::infer::find_birth_dates(&mut columns, &options.kinds);
        columns.shrink_to_fit();
        Ok(Table {
            columns,
            delimiter: delimiter as char,
            notes,
            n_rows: rows,
            missing: options.missing.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
        assert_eq!(sniff_delimiter("\"a,b\";c\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("a,b;c\n1,2;3,4\n"), b';');
        assert_eq!(sniff_delimiter("single\n1\n"), b',');
    }

    #[test]
    fn cp1252_decoding() {
        let mut notes = Vec::new();
        let s = decode(b"caf\xe9 \x80", None, &mut notes).unwrap();
        assert_eq!(s, "café €");
        assert_eq!(notes.len(), 1);
    }
}

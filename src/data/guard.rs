//! Hostile-input checks shared by [`super::Table::from_csv`] and [`super::summarize_csv`]:
//! damaged encodings, NUL bytes, header names, oversized fields — each an error that says where
//! (row, line, column) and what to do. Locating a bad cell re-reads the bytes, so the cost is paid
//! only on the error path.

use std::collections::HashMap;

use crate::limits::{self, MAX_FIELD_BYTES};
use crate::{Error, Result};

/// Where a cell is, in words: `the header, column 2 (`city`)` or `row 3 (line 4), column `city``.
/// `row` counts data rows from 1 (0 = the header); `column` counts from 0.
pub(crate) fn place(row: usize, line: u64, column: usize, name: Option<&str>) -> String {
    let col = match name {
        Some(n) if row > 0 => format!("column `{}`", shorten(n)),
        Some(n) => format!("column {} (`{}`)", column + 1, shorten(n)),
        None => format!("column {}", column + 1),
    };
    if row == 0 {
        format!("the header (line {line}), {col}")
    } else {
        format!("row {row} (line {line}), {col}")
    }
}

/// A text cut to 40 characters for messages.
pub(crate) fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The 1-based line on which `record` starts in `text` (the bytes the reader read; 0 when the
/// record has no position). See [`line_at`].
pub(crate) fn record_line(text: &[u8], record: &csv::ByteRecord) -> u64 {
    record.position().map_or(0, |p| line_at(text, p.byte()))
}

/// The 1-based line of the record the `csv` reader placed at byte `byte` of `text`. The crate's
/// own `Position::line` starts a record's count where the previous record ended, so blank lines
/// it skipped before the record (before the header, or between rows) would not be counted; this
/// skips them and counts the line breaks (`\n`, `\r\n` or a lone `\r`) before the record's
/// first byte. Linear in the bytes before the record: for messages and notes only.
pub(crate) fn line_at(text: &[u8], byte: u64) -> u64 {
    let mut start = usize::try_from(byte).map_or(text.len(), |b| b.min(text.len()));
    while start < text.len() && matches!(text[start], b'\r' | b'\n') {
        start += 1;
    }
    let before = &text[..start];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || b == b'\r' && before.get(i + 1) != Some(&b'\n'))
        .count();
    breaks as u64 + 1
}

/// Finds the first cell for which `bad` holds, reading `bytes` as CSV: its row (0 = the first
/// non-blank record, the header), line, column and column name.
pub(crate) fn find_cell(
    bytes: &[u8],
    delimiter: u8,
    bad: impl Fn(&[u8]) -> bool,
) -> Option<(usize, u64, usize, Option<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut row = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        if header.is_none() && record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if let Some(i) = record.iter().position(&bad) {
            let line = record_line(bytes, &record);
            let name = match &header {
                Some(h) => h.get(i).cloned(),
                None => record
                    .get(i)
                    .map(|f| String::from_utf8_lossy(f.trim_ascii()).into_owned()),
            };
            return Some((row, line, i, name.filter(|n| !n.is_empty())));
        }
        if header.is_none() {
            header = Some(
                record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f.trim_ascii()).into_owned())
                    .collect(),
            );
        }
        row += 1;
    }
    None
}

/// How a file's bytes relate to UTF-8.
#[derive(Debug, PartialEq)]
pub(crate) enum Utf8 {
    /// Valid UTF-8.
    Valid,
    /// Invalid bytes and no valid multi-byte character: a legacy single-byte encoding.
    Legacy,
    /// Invalid bytes beside valid multi-byte characters: damaged, or mixed encodings.
    Damaged,
}

/// Classifies `bytes` (without a BOM) as valid UTF-8, a legacy encoding or damaged UTF-8.
pub(crate) fn utf8_state(bytes: &[u8]) -> Utf8 {
    if std::str::from_utf8(bytes).is_ok() {
        return Utf8::Valid;
    }
    let multibyte = bytes
        .utf8_chunks()
        .any(|c| c.valid().bytes().any(|b| b >= 0x80));
    if multibyte {
        Utf8::Damaged
    } else {
        Utf8::Legacy
    }
}

/// The error for damaged UTF-8, naming the first bad cell.
pub(crate) fn damaged_utf8(bytes: &[u8], delimiter: u8) -> Error {
    let bad = |f: &[u8]| std::str::from_utf8(f).is_err();
    let first_byte = bytes
        .utf8_chunks()
        .find(|c| !c.invalid().is_empty())
        .map_or(0, |c| c.invalid()[0]);
    let at = find_cell(bytes, delimiter, bad)
        .map(|(r, l, c, n)| place(r, l, c, n.as_deref()))
        .unwrap_or_else(|| "a quoted field".into());
    Error::Csv(format!(
        "{at}: invalid UTF-8 (byte 0x{first_byte:02X}) in a file that is otherwise UTF-8: the file \
         is damaged or mixes encodings; fix that cell, or save the file again as CSV UTF-8"
    ))
}

/// The note for a legacy-encoded file read as Windows-1252: the first such cell and how it reads.
pub(crate) fn legacy_note(bytes: &[u8], delimiter: u8) -> String {
    let bad = |f: &[u8]| std::str::from_utf8(f).is_err();
    let example = find_cell(bytes, delimiter, bad).map(|(r, l, c, n)| {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        // The cell's text as decoded: re-read its record (the error path only): row `r` counts
        // records from the header, blank ones before the header left out, as `find_cell` does.
        let text = reader
            .byte_records()
            .map_while(|r| r.ok())
            .skip_while(|rec| rec.iter().all(|f| f.trim_ascii().is_empty()))
            .nth(r)
            .and_then(|rec| {
                rec.get(c)
                    .map(|f| super::read::windows_1252_text(f.trim_ascii()))
            })
            .unwrap_or_default();
        format!(
            "; the first such cell, {}, reads `{}`",
            place(r, l, c, n.as_deref()),
            shorten(&text)
        )
    });
    format!(
        "the file is not UTF-8: it was read as Windows-1252 (Latin-1){}; if accented letters look \
         wrong, save the file as CSV UTF-8",
        example.unwrap_or_default()
    )
}

/// Refuses NUL bytes anywhere in the text, naming the first cell that holds one.
pub(crate) fn check_nul(text: &[u8], delimiter: u8) -> Result<()> {
    if !text.contains(&0) {
        return Ok(());
    }
    let at = find_cell(text, delimiter, |f| f.contains(&0))
        .map(|(r, l, c, n)| place(r, l, c, n.as_deref()))
        .unwrap_or_else(|| "a field".into());
    Err(Error::Csv(format!(
        "{at}: a NUL byte (0x00), which no text CSV holds: this looks like a binary file or \
         UTF-16 without a byte-order mark; export the data again as CSV UTF-8"
    )))
}

/// Checks the header: at most [`limits::MAX_COLUMNS`] columns and no name used twice (compared
/// ignoring ASCII case, as columns are looked up).
pub(crate) fn check_header(names: &[String]) -> Result<()> {
    limits::check_columns(names.len())?;
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        if let Some(&first) = seen.get(&n.to_ascii_lowercase()) {
            let other = &names[first];
            let same = if other == n {
                format!("`{}`", shorten(n))
            } else {
                format!("`{}` / `{}`", shorten(other), shorten(n))
            };
            return Err(Error::Csv(format!(
                "duplicated column name {same}: columns {} and {} of the header have the same \
                 name (ignoring case); rename or remove one — columns are found by name",
                first + 1,
                i + 1
            )));
        }
        seen.insert(n.to_ascii_lowercase(), i);
    }
    Ok(())
}

/// Refuses a record with a field of more than [`MAX_FIELD_BYTES`] bytes (`row` 0 = the header;
/// `text` = the bytes being read, for the line number).
pub(crate) fn check_field_sizes(
    record: &csv::ByteRecord,
    row: usize,
    names: &[String],
    text: &[u8],
) -> Result<()> {
    if record.as_slice().len() <= MAX_FIELD_BYTES {
        return Ok(());
    }
    let Some(i) = record.iter().position(|f| f.len() > MAX_FIELD_BYTES) else {
        return Ok(());
    };
    let line = record_line(text, record);
    let len = record.get(i).map_or(0, <[u8]>::len);
    Err(Error::Limit(format!(
        "{}: a field of {} bytes; at most {} (1 MiB) per field. An unclosed quote `\"` can \
         swallow the rest of the file into one field: check the quotes, or shorten that cell",
        place(row, line, i, names.get(i).map(String::as_str)),
        limits::thousands(len as u64),
        limits::thousands(MAX_FIELD_BYTES as u64)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_states() {
        assert_eq!(utf8_state(b"a,b\n1,2\n"), Utf8::Valid);
        assert_eq!(utf8_state(b"city\nZ\xfcrich\n"), Utf8::Legacy);
        assert_eq!(utf8_state("city\nZürich\n".as_bytes()), Utf8::Valid);
        let mut damaged = "city\nZürich\n".as_bytes().to_vec();
        damaged.extend_from_slice(b"K\xf6ln\n");
        assert_eq!(utf8_state(&damaged), Utf8::Damaged);
    }

    #[test]
    fn cells_are_located_by_row_and_column_name() {
        let at = find_cell(b"a,b\n1,2\n3,x\n", b',', |f| f == b"x").unwrap();
        assert_eq!(at, (2, 3, 1, Some("b".into())));
        assert_eq!(
            place(at.0, at.1, at.2, at.3.as_deref()),
            "row 2 (line 3), column `b`"
        );
        let at = find_cell(b"a,x\n1,2\n", b',', |f| f == b"x").unwrap();
        assert_eq!(
            place(at.0, at.1, at.2, at.3.as_deref()),
            "the header (line 1), column 2 (`x`)"
        );
    }

    #[test]
    fn duplicated_names_are_refused_ignoring_case() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_header(&names(&["a", "b"])).is_ok());
        let e = check_header(&names(&["a", "b", "A"]))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`a` / `A`") && e.contains("columns 1 and 3"),
            "{e}"
        );
    }
}

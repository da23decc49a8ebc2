//! CSV bytes → typed columns, schema inference, cleaning, profile (reads bytes, never paths).

mod build;
mod dataset;
mod guard;
mod infer;
pub mod leak;
pub mod parse;
pub mod pii;
mod pipeline;
mod profile;
mod read;
mod stream;
mod table;

pub use build::{check_class_rows, leak_scan, DatasetOptions, OTHER};
pub use dataset::{AllowedPersonal, ConstantColumn, Dataset, Feature, FeatureKind, PrivacyRecord};
pub use leak::LeakFlag;
pub use parse::{DateOrder, NumberFormat};
pub use pipeline::{EncodedTable, FeatureInfo, Pipeline, Transform, MONTHS, WEEKDAYS};
pub use profile::{ColumnProfile, NumericSummary, Profile, TopValue};
pub use read::CsvOptions;
pub use stream::EncodedCsv;
pub use table::{Category, CellFormat, Column, ColumnKind, PersonalKind, Table};

use crate::{Error, Result};
use serde::Serialize;

/// A CSV's bytes as the UTF-8 text every reader here reads: a byte-order mark dropped, UTF-16
/// converted, a file with no valid multi-byte UTF-8 character read as Windows-1252 — for
/// front-ends that write the input's rows back out beside their scores.
///
/// # Errors
/// `Error::Csv` for damaged UTF-8 (invalid bytes beside valid multi-byte characters), naming
/// the first bad cell.
pub fn csv_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    read::decode(bytes, None, &mut Vec::new())
}

/// What a first look at a CSV finds: its separator, header and number of data rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvSummary {
    /// The field separator found in the header line.
    pub delimiter: char,
    /// Column names, in file order.
    pub headers: Vec<String>,
    /// Data rows (header excluded).
    pub rows: usize,
}

/// Reads just enough of a CSV to name its columns and count its rows.
///
/// # Errors
/// `Error::Csv` when the bytes are empty, have no header, or a row has a different number of
/// fields than the header (the message names the row, counting data rows from 1).
pub fn summarize_csv(bytes: &[u8]) -> Result<CsvSummary> {
    // The same decoding and hostile-input checks as `Table::from_csv` (encoding, NUL bytes,
    // header names, column and field limits), so a file the app opens is one it can train on.
    let text = read::decode(bytes, None, &mut Vec::new())?;
    let bytes = text.as_bytes();
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
        .unwrap_or(b',');
    guard::check_nul(bytes, delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| Error::Csv(format!("cannot read the header row: {e}")))?
        .clone();
    crate::limits::check_columns(header.len())?;
    guard::check_field_sizes(&header, 0, &[], bytes)?;
    let headers: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h.trim_ascii()).into_owned())
        .collect();
    if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
        return Err(Error::Csv(
            "the file is empty: expected a header row".into(),
        ));
    }
    let named: Vec<String> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if h.is_empty() {
                format!("column {}", i + 1)
            } else {
                h.clone()
            }
        })
        .collect();
    guard::check_header(&named)?;
    let mut rows = 0;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                crate::limits::check_rows(rows)?;
                guard::check_field_sizes(&record, rows, &named, bytes)?;
            }
            Ok(false) => break,
            Err(e) => {
                return Err(Error::Csv(format!(
                    "row {}: {}",
                    rows + 1,
                    match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => format!("has {len} fields, the header has {expected_len}"),
                        _ => e.to_string(),
                    }
                )))
            }
        }
    }
    if rows == 0 {
        return Err(Error::Csv(
            "the file has a header but no data rows: there are no leads to train on or score"
                .into(),
        ));
    }
    Ok(CsvSummary {
        delimiter: delimiter as char,
        headers,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_semicolons_and_counts_rows() {
        let s = summarize_csv(b"\"age\";\"job\"\n58;\"admin\"\n44;\"x;y\"\n").unwrap();
        assert_eq!(s.delimiter, ';');
        assert_eq!(s.headers, vec!["age", "job"]);
        assert_eq!(s.rows, 2);
    }

    #[test]
    fn ragged_row_is_named() {
        let e = summarize_csv(b"a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("1 fields"), "{e}");
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(summarize_csv(b"").is_err());
    }
}

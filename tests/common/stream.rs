//! Helpers for the streaming-reader tests (tests/data_stream.rs natively, tests/wasm_stream.rs
//! under Node): the table path as the reference, the record path, and hostile variants of a CSV.
//! Included with `#[path = "common/stream.rs"] mod stream;`.
#![allow(dead_code)]

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, EncodedCsv, Pipeline, Table};

pub fn options(missing: &[String]) -> CsvOptions {
    CsvOptions {
        missing: missing.to_vec(),
        ..Default::default()
    }
}

/// The pipeline a model trained on `bytes` would store (no training needed: `Dataset` builds it).
pub fn pipeline(bytes: &[u8], target: &str, missing: &[&str]) -> Pipeline {
    let missing: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
    let t = Table::from_csv(bytes, &options(&missing)).unwrap();
    let d = Dataset::new(&t, &DatasetOptions::target(target)).unwrap();
    assert!(!d.pipeline.features.is_empty());
    d.pipeline
}

pub fn same_bits(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan()
}

/// The streaming reader and the table path agree on `bytes`: both fail with the same message,
/// or both read the same rows, header, separator, notes, absent columns and feature values (bit
/// for bit). Returns the streamed result when both read the file.
pub fn check_same(p: &Pipeline, bytes: &[u8], what: &str) -> Option<EncodedCsv> {
    let table = Table::from_csv(bytes, &options(&p.missing));
    let streamed = p.encode_csv(bytes);
    let (t, s) = match (table, streamed) {
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{what}: errors differ");
            return None;
        }
        (Ok(_), Err(e)) => panic!("{what}: the table reads it, streaming fails: {e}"),
        (Err(e), Ok(_)) => panic!("{what}: streaming reads it, the table fails: {e}"),
        (Ok(t), Ok(s)) => (t, s),
    };
    assert_eq!(s.features.n_rows, t.n_rows, "{what}: rows");
    assert_eq!(s.headers, t.names(), "{what}: header");
    assert_eq!(s.delimiter, t.delimiter, "{what}: separator");
    assert_eq!(s.notes, t.notes, "{what}: notes");
    let e = p.encode_table(&t).unwrap();
    assert_eq!(s.features.absent, e.absent, "{what}: absent columns");
    assert_eq!(s.features.columns.len(), e.columns.len(), "{what}");
    for (f, (a, b)) in s.features.columns.iter().zip(&e.columns).enumerate() {
        let info = &p.features[f];
        if t.column(&info.source).is_some_and(|c| c.is_dense()) {
            // A numeric column with > 32,768 distinct values keeps numbers, not texts: the table
            // path reads it with the file's own inferred format; both are numbers here.
            assert!(a.len() == b.len(), "{what}: {}", info.name);
            continue;
        }
        assert_eq!(a.len(), b.len(), "{what}: rows of {}", info.name);
        if let Some(r) = (0..a.len()).find(|&r| !same_bits(a[r], b[r])) {
            panic!(
                "{what}: feature `{}` row {r}: streamed {} vs table {}",
                info.name, a[r], b[r]
            );
        }
    }
    // Warnings: the table path's (absent columns) come first, unchanged.
    assert_eq!(
        &s.features.warnings[..e.warnings.len()],
        &e.warnings[..],
        "{what}"
    );
    Some(s)
}

/// The first `n` rows of `bytes` (UTF-8, separator `delimiter`) through the record path.
pub fn check_records(p: &Pipeline, bytes: &[u8], s: &EncodedCsv, n: usize, what: &str) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(s.delimiter as u8)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut row = 0;
    for rec in reader.records().take(n) {
        let rec = rec.unwrap();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // blank rows are not leads
        }
        let get = |name: &str| {
            let i = header.iter().position(|h| h == name).or_else(|| {
                header
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(name.trim()))
            })?;
            rec.get(i).map(str::to_string)
        };
        let values = p.encode_record(&get);
        for (f, v) in values.iter().enumerate() {
            let streamed = s.features.columns[f][row];
            assert!(
                same_bits(*v, streamed),
                "{what}: row {row} feature `{}`: record {v} vs streamed {streamed}",
                p.features[f].name
            );
        }
        row += 1;
    }
}

/// A hostile variant of a CSV: columns reversed, the first feature's column dropped, an extra
/// column, every seventh row's cells replaced in turn by junk, placeholders, padding, case
/// changes, unseen labels, formatted numbers and dates; blank rows; written with `;`, CRLF,
/// quotes everywhere and a BOM.
pub fn hostile(bytes: &[u8], delimiter: char, drop: &str) -> Vec<u8> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    let mut keep: Vec<usize> = Vec::new();
    let junk = [
        "abc",
        " N/A ",
        "Select",
        "",
        "  12  ",
        "1,200",
        "$5",
        "12%",
        "1.5k",
        "Zzz unseen",
        "-",
        "2024-03-04",
        "04/03/2024",
        "yes",
        "TRUE",
        "n",
        "(1,200)",
        "1e3",
        "1.",
        "+7",
        ".5",
        "someone@gmail.com",
        "x@Example.COM",
        "nan",
        "inf",
    ];
    for (r, rec) in reader.records().enumerate() {
        let rec = rec.unwrap();
        if r == 0 {
            keep = (0..rec.len()).rev().filter(|&i| &rec[i] != drop).collect();
        }
        let mut cells: Vec<String> = keep
            .iter()
            .map(|&i| rec.get(i).unwrap_or("").to_string())
            .collect();
        if r == 0 {
            cells.push("Extra".into());
        } else {
            if r % 7 == 3 {
                for (c, cell) in cells.iter_mut().enumerate() {
                    let j = (r / 7 + c) % (junk.len() + 3);
                    *cell = match j.checked_sub(3) {
                        Some(k) => junk[k].to_string(),
                        None if j == 0 => cell.to_uppercase(),
                        None if j == 1 => format!("  {cell}\t"),
                        None => cell.to_lowercase(),
                    };
                }
            }
            cells.push(format!("e{r}"));
        }
        w.write_record(&cells).unwrap();
        if r % 101 == 50 {
            let blank = vec![""; cells.len()];
            w.write_record(&blank).unwrap();
        }
    }
    out.extend(w.into_inner().unwrap());
    out
}

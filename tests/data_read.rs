//! The CSV reader on well-formed and malformed input: every error names the row/column.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{ColumnKind, CsvOptions, Table};

fn read(csv: &str) -> Table {
    Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap()
}

fn error(csv: &[u8], options: &CsvOptions) -> String {
    Table::from_csv(csv, options).unwrap_err().to_string()
}

#[test]
fn ragged_row_error_names_row_line_and_counts() {
    let e = error(b"a,b,c\n1,2,3\n4,5\n6,7,8\n", &CsvOptions::default());
    assert!(e.contains("row 2") && e.contains("line 3"), "{e}");
    assert!(e.contains("2 fields") && e.contains("3 columns"), "{e}");
    let e = error(b"a,b\n1,2\n3,4,5\n", &CsvOptions::default());
    assert!(e.contains("row 2") && e.contains("3 fields"), "{e}");
}

#[test]
fn skip_bad_rows_counts_them() {
    let opts = CsvOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let t = Table::from_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8\n9\n", &opts).unwrap();
    assert_eq!(t.n_rows, 2);
    let note = t.notes.join(" ");
    assert!(
        note.contains("2 rows were skipped") && note.contains("row 2"),
        "{note}"
    );
    assert_eq!(t.column("a").unwrap().values(), vec![1.0, 6.0]);
}

#[test]
fn unclosed_quote_is_hinted() {
    let e = error(b"a,b\n1,\"x\n2,3\n", &CsvOptions::default());
    assert!(e.contains("row 1") && e.contains("quote"), "{e}");
}

#[test]
fn empty_input_and_header_only() {
    for bytes in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b"  \r\n"] {
        let e = error(bytes, &CsvOptions::default());
        assert!(e.contains("empty"), "{e}");
    }
    let t = read("a,b\n");
    assert_eq!(t.n_rows, 0);
    assert_eq!(t.names(), vec!["a", "b"]);
}

#[test]
fn quoted_newlines_crlf_bom_and_trailing_blank_lines() {
    let t = Table::from_csv(
        b"\xEF\xBB\xBFid,note,n\r\n1,\"two\r\nlines, and \"\"quotes\"\"\",5\r\n2,plain,6\r\n\r\n\r\n",
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(t.names(), vec!["id", "note", "n"]);
    assert_eq!(t.n_rows, 2);
    assert_eq!(
        t.column("note").unwrap().text(0),
        Some("two\r\nlines, and \"quotes\"")
    );
    assert_eq!(t.column("n").unwrap().values(), vec![5.0, 6.0]);
}

#[test]
fn separators_are_sniffed() {
    for sep in [",", ";", "\t", "|"] {
        let csv = format!("a{sep}b{sep}c\n1{sep}x{sep}2.5\n3{sep}y{sep}4\n");
        let t = read(&csv);
        assert_eq!(t.delimiter.to_string(), sep);
        assert_eq!(t.columns.len(), 3);
        assert_eq!(t.column("c").unwrap().values(), vec![2.5, 4.0]);
    }
}

#[test]
fn latin1_falls_back_with_a_warning() {
    let t = Table::from_csv(b"city,n\nM\xfcnchen,1\nK\xf6ln,2\n", &CsvOptions::default()).unwrap();
    assert_eq!(t.column("city").unwrap().text(0), Some("München"));
    assert!(
        t.notes.iter().any(|n| n.contains("Windows-1252")),
        "{:?}",
        t.notes
    );
}

#[test]
fn empty_headers_are_named_with_a_note_and_duplicates_refused() {
    let t = read("a,,b\n1,2,3\n");
    assert_eq!(t.names(), vec!["a", "column 2", "b"]);
    assert!(
        t.notes.iter().any(|n| n.contains("column 2 had no name")),
        "{:?}",
        t.notes
    );
    // Renaming a duplicate would make `a` mean one column here and maybe another when scoring.
    let e = error(b"a,,a,A\n1,2,3,4\n", &CsvOptions::default());
    assert!(
        e.contains("duplicated column name `a`") && e.contains("columns 1 and 3"),
        "{e}"
    );
}

#[test]
fn missing_placeholders_and_user_ones() {
    let csv = "n,s\n1,Select\nNA,a\nnull,b\n-,b\n?,a\nN/A,None\n2,a\n";
    let t = read(csv);
    assert_eq!(t.column("n").unwrap().missing, 5);
    assert_eq!(t.column("s").unwrap().missing, 1);
    let opts = CsvOptions {
        missing: vec!["select".into()],
        ..Default::default()
    };
    let t = Table::from_csv(csv.as_bytes(), &opts).unwrap();
    assert_eq!(t.column("s").unwrap().missing, 2);
}

#[test]
fn kinds_can_be_set_by_the_user() {
    let csv = "code,n\n1,5\n2,6\n3,7\n";
    let opts = CsvOptions {
        kinds: vec![("code".into(), ColumnKind::Categorical)],
        ..Default::default()
    };
    let t = Table::from_csv(csv.as_bytes(), &opts).unwrap();
    assert_eq!(t.column("code").unwrap().kind, ColumnKind::Categorical);
    assert_eq!(t.column("n").unwrap().kind, ColumnKind::Numeric);
    let opts = CsvOptions {
        kinds: vec![("nope".into(), ColumnKind::Categorical)],
        ..Default::default()
    };
    let e = error(csv.as_bytes(), &opts);
    assert!(e.contains("`nope`") && e.contains("code, n"), "{e}");
}

#[test]
fn a_lone_inch_mark_in_an_unquoted_cell_is_fine() {
    let t = read("item,n\n12\" pizza,1\nsalad,2\n");
    assert_eq!(t.column("item").unwrap().text(0), Some("12\" pizza"));
}

/// Lines in messages are the file's lines, counting the blank lines the reader skips (the csv
/// crate's own count starts each record where the previous one ended, so it missed them).
#[test]
fn messages_count_blank_lines_before_the_header_and_between_rows() {
    let d = CsvOptions::default();
    // Ragged row 2 on line 5 after two leading blank lines (LF, CRLF, lone CR).
    for csv in [
        &b"\n\nname,target\na,1\nb,2,3\n"[..],
        b"\r\n\r\nname,target\r\na,1\r\nb,2,3\r\n",
        b"\r\rname,target\ra,1\rb,2,3\r",
        // A blank line inside the data, one before the header.
        b"\nname,target\na,1\n\nb,2,3\n",
        // Whitespace-only lines are records the reader keeps and we skip.
        b"  \n,\nname,target\na,1\nb,2,3\n",
    ] {
        let e = error(csv, &d);
        assert!(
            e.contains("row 2 (line 5) has 3 fields"),
            "{:?}: {e}",
            String::from_utf8_lossy(csv)
        );
    }
    // Blank lines between rows, several of them.
    let e = error(b"name,target\na,1\n\n\n\nb,2,3\n", &d);
    assert!(e.contains("(line 6)"), "{e}");
    // A quoted field spanning lines before the bad row still counts its lines.
    let e = error(b"\nname,target\na,\"x\ny\"\n\nb,2,3\n", &d);
    assert!(e.contains("row 2 (line 6)"), "{e}");
    // The header's line in a NUL-byte message.
    let e = error(b"\n\n\nname\0,target\na,1\n", &d);
    assert!(e.contains("the header (line 4), column 1"), "{e}");
    let e = error(b"\n\nname,target\n\na\0,1\n", &d);
    assert!(e.contains("(line 5), column `name`"), "{e}");
    // An unclosed quote, and the skipped-rows note.
    let e = error(b"\n\nname,target\na,1\n\nb,\"2\nc,3\n", &d);
    assert!(e.contains("(line 6): a quote"), "{e}");
    let opts = CsvOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let t = Table::from_csv(b"\n\nname,target\na,1\n\nb,2,3\nc,4\n", &opts).unwrap();
    assert!(
        t.notes
            .iter()
            .any(|n| n.contains("row 2, line 6, with 3 fields")),
        "{:?}",
        t.notes
    );
}

/// Damaged UTF-8 and the Windows-1252 note name the right line after leading blank lines too.
#[test]
fn encoding_messages_count_leading_blank_lines() {
    let mut damaged = "\n\ncity,target\nZürich,1\n".as_bytes().to_vec();
    damaged.extend_from_slice(b"\nK\xf6ln,0\n");
    let e = error(&damaged, &CsvOptions::default());
    assert!(e.contains("row 2 (line 6), column `city`"), "{e}");
    let t = Table::from_csv(
        b"\n\ncity,target\nZ\xfcrich,1\nBern,0\n",
        &CsvOptions::default(),
    )
    .unwrap();
    assert!(
        t.notes
            .iter()
            .any(|n| n.contains("row 1 (line 4), column `city`, reads `Zürich`")),
        "{:?}",
        t.notes
    );
}

//! `leadforest score` and `explain` read the CSV straight through the model's pipeline
//! (issue 17): the scored CSV keeps every input row and column, lines up with the rows scored
//! (blank rows, accepted empty extra fields), reads Windows-1252 files, and names the cells the
//! model cannot read — while the scores equal the library's table path.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;

use cli::{lf, ok};
use leadforest::data::{CsvOptions, Table};
use leadforest::model::Model;
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-cli-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A small model trained on the demo export, its file, and the CSV it was trained on.
/// `name` keeps each test's files apart (tests run in parallel).
fn model(name: &str) -> (PathBuf, PathBuf) {
    let data = tmp(&format!("{name}.csv"));
    std::fs::write(&data, leadforest::demo::demo_csv(600, 4)).unwrap();
    let model = tmp(&format!("{name}.lfm"));
    let d = data.to_str().unwrap();
    let m = model.to_str().unwrap();
    ok(&[
        "train",
        d,
        "--target",
        "Converted",
        "--missing",
        "Select",
        "--drop",
        "Funnel Stage",
        "--trees",
        "20",
        "--out",
        m,
    ]);
    (model, data)
}

/// The library's probabilities (calibrated, as `score` writes them) through the table path.
fn table_probabilities(model: &PathBuf, csv: &[u8]) -> Vec<String> {
    let m = Model::from_bytes(&std::fs::read(model).unwrap()).unwrap();
    let t = Table::from_csv(
        csv,
        &CsvOptions {
            missing: m.pipeline.missing.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    let leads = m.score_leads(&t, &Default::default(), 0).unwrap().leads;
    leads
        .iter()
        .map(|l| format!("{:.6}", l.probability))
        .collect()
}

fn rows(out: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(out.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn scored_rows_line_up_with_blank_rows_and_empty_extra_fields() {
    let (model, data) = model("edited-model");
    let text = std::fs::read_to_string(&data).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n_cols = lines[0].split(',').count();
    // A blank row (separators only) after row 10, a blank line before the header, and empty
    // extra fields on row 20 — the reader accepts all three.
    lines.insert(11, ",".repeat(n_cols - 1));
    lines[21].push_str(",,");
    lines.insert(0, String::new());
    let edited = lines.join("\n") + "\n";
    let path = tmp("edited.csv");
    std::fs::write(&path, &edited).unwrap();
    let out = ok(&[
        "score",
        model.to_str().unwrap(),
        path.to_str().unwrap(),
        "--reasons",
        "0",
    ]);
    let got = rows(&out);
    assert_eq!(got.len(), 601, "header + one line per lead, no blank row");
    assert_eq!(got[0][n_cols], "probability");
    let want = table_probabilities(&model, edited.as_bytes());
    let plain = table_probabilities(&model, text.as_bytes());
    assert_eq!(want, plain, "the blank row and extra fields change no lead");
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    for (r, row) in got[1..].iter().enumerate() {
        assert_eq!(row.len(), n_cols + 3, "row {r}: {row:?}");
        assert_eq!(row[0], ids[r], "row {r}: the input row in its place");
        assert_eq!(row[n_cols], want[r], "row {r}: its own probability");
    }
}

#[test]
fn windows_1252_files_are_scored_and_written_back_as_utf8() {
    let (model, data) = model("latin-model");
    let text = std::fs::read_to_string(&data).unwrap();
    // The whole file as Latin-1 bytes, with one `Zürich` (0xFC) in the first row's first cell.
    let mut latin: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let at = latin.iter().position(|&b| b == b'\n').unwrap() + 1;
    latin.splice(at..at, b"Z\xFCrich-".iter().copied());
    let path = tmp("latin.csv");
    std::fs::write(&path, &latin).unwrap();
    let out = ok(&[
        "score",
        model.to_str().unwrap(),
        path.to_str().unwrap(),
        "--reasons",
        "1",
    ]);
    let got = rows(&out);
    assert_eq!(got.len(), 601);
    assert!(got[1][0].starts_with("Zürich-"), "{:?}", got[1][0]);
    let want = table_probabilities(&model, &latin);
    let n_cols = text.lines().next().unwrap().split(',').count();
    for (r, row) in got[1..].iter().enumerate() {
        assert_eq!(row[n_cols], want[r], "row {r}");
    }
}

#[test]
fn unreadable_cells_are_named_and_scored_as_missing() {
    let (model, data) = model("junk-model");
    let text = std::fs::read_to_string(&data).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let pages = header.iter().position(|h| *h == "Pages Viewed").unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for r in [3, 8] {
        let mut cells: Vec<String> = lines[r].split(',').map(str::to_string).collect();
        cells[pages] = "lots".into();
        lines[r] = cells.join(",");
    }
    let edited = lines.join("\n") + "\n";
    let path = tmp("junk.csv");
    std::fs::write(&path, &edited).unwrap();
    let out = lf(&[
        "score",
        model.to_str().unwrap(),
        path.to_str().unwrap(),
        "--reasons",
        "0",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "warning: {}: 2 of 600 values of column `Pages Viewed` are not numbers the model can \
             read: they are scored as missing (the first: row 3 (line 4), column `Pages Viewed`, \
             `lots`)",
            path.display()
        )),
        "{err}"
    );
    // Scored as missing, as the table path does.
    let got = rows(&String::from_utf8(out.stdout).unwrap());
    let want = table_probabilities(&model, edited.as_bytes());
    for (r, row) in got[1..].iter().enumerate() {
        assert_eq!(row[header.len()], want[r], "row {r}");
    }
    // `explain` reads the same way and names the same cells.
    let out = lf(&[
        "explain",
        model.to_str().unwrap(),
        path.to_str().unwrap(),
        "--row",
        "3",
        "--json",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("`Pages Viewed`, `lots`"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        format!("{:.6}", v["probability"].as_f64().unwrap()),
        want[2]
    );
}

#[test]
fn malformed_files_fail_naming_the_file_and_row() {
    let (model, _) = model("ragged-model");
    let path = tmp("ragged.csv");
    std::fs::write(&path, "Lead Source,Pages Viewed\nWeb,3\nAds\n").unwrap();
    for cmd in ["score", "explain"] {
        let mut args = vec![cmd, model.to_str().unwrap(), path.to_str().unwrap()];
        if cmd == "explain" {
            args.extend(["--row", "1"]);
        }
        let out = lf(&args);
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("{}: row 2 (line 3) has 1 fields", path.display())),
            "{cmd}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

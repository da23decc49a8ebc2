//! `leadforest profile` end to end: text, JSON, and errors that name the file.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn profile(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .arg("profile")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pii_leads.csv");

#[test]
fn text_profile() {
    let (ok, out, err) = profile(&[FIXTURE, "--target", "Stage", "--positive", "Closed Won"]);
    assert!(ok, "{err}");
    assert!(out.contains("120 rows, 11 columns"), "{out}");
    assert!(
        out.contains("Work Email  [personal: e-mail addresses]"),
        "{out}"
    );
    assert!(out.contains("excluded: personal data"), "{out}");
    assert!(
        !out.contains("@acme.com"),
        "personal values are not printed"
    );
}

#[test]
fn json_profile() {
    let (ok, out, err) = profile(&[FIXTURE, "--json", "--missing", "Open"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 120);
    let cols = v["columns"].as_array().unwrap();
    let budget = cols.iter().find(|c| c["name"] == "Budget").unwrap();
    assert_eq!(budget["kind"], "numeric");
    assert_eq!(budget["numeric"]["min"], 950.0);
    let stage = cols.iter().find(|c| c["name"] == "Stage").unwrap();
    assert!(
        stage["missingPct"].as_f64().unwrap() > 0.0,
        "--missing Open counts as missing"
    );
}

#[test]
fn errors_name_the_file_and_row() {
    let (ok, _, err) = profile(&["/nonexistent/leads.csv"]);
    assert!(!ok && err.contains("/nonexistent/leads.csv"), "{err}");
    let ragged = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ragged.csv");
    let (ok, _, err) = profile(&[ragged]);
    assert!(
        !ok && err.contains("ragged.csv") && err.contains("row 2"),
        "{err}"
    );
    let (ok, _, err) = profile(&[ragged, "--skip-bad-rows"]);
    assert!(ok, "{err}");
    let (ok, _, err) = profile(&[FIXTURE, "--target", "Nope"]);
    assert!(
        !ok && err.contains("pii_leads.csv") && err.contains("`Nope`"),
        "{err}"
    );
}

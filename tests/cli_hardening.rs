//! Hostile conditions for the real `leadforest` binary: a closed standard output and malformed
//! input files (tests/data/bad/). Each must end in a clear error or a documented success — never a
//! panic.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/bad_corpus.rs"]
mod bad_corpus;
#[path = "common/cli.rs"]
mod cli;

use cli::{bin, lf};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

const DATA: &str = "tests/data/engine_leads.csv";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-cli-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A small model trained on the engine fixture (5 trees), cached per test process.
fn model() -> &'static Path {
    static MODEL: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let out = tmp("model.lf");
        let o = lf(&[
            "train",
            DATA,
            "--target",
            "Converted",
            "--drop",
            "Funnel Stage, Lead ID",
            "--trees",
            "5",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    })
}

/// Runs with standard output a pipe whose reading end is closed before the command writes.
fn with_closed_stdout(args: &[&str]) -> Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn closed_stdout_is_a_quiet_exit_not_a_panic() {
    let m = model().to_str().unwrap();
    for args in [
        &["eval", m, DATA, "--json"][..],
        &["eval", m, DATA],
        &["score", m, DATA],
        &["inspect", m],
        &["profile", DATA],
        &["profile", DATA, "--json"],
        &["demo-data", "--rows", "2000"],
    ] {
        let o = with_closed_stdout(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(o.status.success(), "{args:?}: {:?} {err}", o.status);
    }
}

/// One case of the shared corpus (tests/data/bad/cases.json).
struct Case {
    name: String,
    input: String,
    bytes: Vec<u8>,
    target: String,
    error: bool,
    expect: Vec<String>,
    max_chars: Option<usize>,
}

/// Builds a case's bytes: a committed file, or generated at run time (big cases are never
/// committed).
fn case_bytes(c: &serde_json::Value) -> Vec<u8> {
    if let Some(file) = c["file"].as_str() {
        return std::fs::read(file).unwrap();
    }
    let g = &c["generate"];
    let model = g["from"].as_str().map(|f| std::fs::read(f).unwrap());
    bad_corpus::generate(g, model.as_deref().unwrap_or_default())
}

fn corpus() -> Vec<Case> {
    let text = std::fs::read_to_string("tests/data/bad/cases.json").unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap().to_string(),
            input: c["input"].as_str().unwrap().to_string(),
            bytes: case_bytes(c),
            target: c["target"].as_str().unwrap_or_default().to_string(),
            error: c["outcome"] == "error",
            expect: c["expect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_string())
                .collect(),
            max_chars: c["max_message_chars"].as_u64().map(|n| n as usize),
        })
        .collect()
}

/// Runs a command that must fail and checks that its stderr names `file` and every fragment,
/// without a panic.
fn fails_naming(args: &[&str], file: &str, what: &[String]) -> String {
    let o = lf(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "{args:?} should fail");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(err.contains(file), "{args:?} does not name {file}: {err}");
    for w in what {
        assert!(
            err.contains(w.as_str()),
            "{args:?}: expected `{w}` in: {err}"
        );
    }
    err
}

#[test]
fn the_malformed_input_corpus_gives_specific_errors_and_notes() {
    let cases = corpus();
    assert!(cases.len() >= 18, "{} cases", cases.len());
    let out = tmp("bad-out.lf");
    let out = out.to_str().unwrap();
    for c in cases {
        let ext = if c.input == "model" { "lf" } else { "csv" };
        let path = tmp(&format!("{}.{ext}", c.name));
        std::fs::write(&path, &c.bytes).unwrap();
        let p = path.to_str().unwrap();
        let file = path.file_name().unwrap().to_str().unwrap();
        if c.input == "model" {
            assert!(c.error, "{}", c.name);
            for args in [&["inspect", p][..], &["eval", p, DATA], &["score", p, DATA]] {
                fails_naming(args, file, &c.expect);
            }
            continue;
        }
        let args = ["train", p, "--target", &c.target, "--out", out];
        if c.error {
            let err = fails_naming(&args, file, &c.expect);
            if let Some(max) = c.max_chars {
                assert!(
                    err.chars().count() <= max,
                    "{}: {} chars",
                    c.name,
                    err.len()
                );
            }
        } else {
            let o = lf(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(o.status.success(), "{}: {err}", c.name);
            let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
            for w in &c.expect {
                assert!(
                    notes.iter().any(|n| n.contains(w.as_str())),
                    "{}: expected a note with `{w}` in: {err}",
                    c.name
                );
            }
        }
    }
}

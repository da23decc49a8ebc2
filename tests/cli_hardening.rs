//! Hostile conditions for the real `leadforest` binary: a closed standard output and malformed
//! input files (tests/data/bad/). Each must end in a clear error or a documented success — never a
//! panic.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const DATA: &str = "tests/data/engine_leads.csv";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leadforest"))
}

fn lf(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

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

/// Runs a command that must fail and checks that its stderr names `file` and `what`, without a
/// panic.
fn fails_naming(args: &[&str], file: &str, what: &str) {
    let o = lf(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{args:?} should fail");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(err.contains(file) && err.contains(what), "{args:?}: {err}");
}

#[test]
fn malformed_csv_files_are_clear_errors() {
    let out = tmp("bad-out.lf");
    let out = out.to_str().unwrap();
    for (file, what) in [
        ("tests/data/bad/empty.csv", "empty"),
        ("tests/data/bad/header_only.csv", "empty"),
        ("tests/data/bad/one_class.csv", "only one value"),
    ] {
        fails_naming(
            &["train", file, "--target", "Converted", "--out", out],
            file,
            what,
        );
    }
}

#[test]
fn malformed_model_files_are_clear_errors() {
    let good = std::fs::read(model()).unwrap();
    let mut newer = good.clone();
    newer[8] = 99; // the format version (u32 LE after the 8-byte magic)
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("newer.lf", newer, "upgrade leadforest"),
        ("empty.lf", Vec::new(), "not a leadforest model"),
        (
            "magic.lf",
            b"NOTAMODELFILE...".to_vec(),
            "not a leadforest model",
        ),
        ("truncated.lf", good[..40].to_vec(), "cut short"),
    ];
    for (name, bytes, what) in cases {
        let p = tmp(name);
        std::fs::write(&p, bytes).unwrap();
        let p = p.to_str().unwrap();
        fails_naming(&["inspect", p], name, what);
        fails_naming(&["eval", p, DATA], name, what);
        fails_naming(&["score", p, DATA], name, what);
    }
}

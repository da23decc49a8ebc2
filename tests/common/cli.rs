//! Running the real `leadforest` binary from integration tests (included with
//! `#[path = "common/cli.rs"] mod cli;`; each test file uses what it needs).
#![allow(dead_code)]

use std::process::{Command, Output};

/// The `leadforest` binary as a `Command`, for tests that set up its pipes themselves.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leadforest"))
}

/// Runs `leadforest ARGS` and returns its output, whatever the exit status.
pub fn lf(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

/// Runs `leadforest ARGS`, asserts it succeeded (showing its stderr if not) and returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = lf(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

//! The `import`/`export` subcommands run as a user would run them.
#![cfg(feature = "cli")]

use std::process::Command;

fn leadforest(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn export_writes_the_same_onnx_as_the_committed_fixture() {
    let out = std::env::temp_dir().join(format!("leadforest-export-{}.onnx", std::process::id()));
    let o = leadforest(&[
        "export",
        "tests/data/interop/lgb_binary.txt",
        "--format",
        "onnx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).ok();
    assert!(written == include_bytes!("data/interop/lgb_binary.onnx"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("40 trees"));
}

#[test]
fn export_explains_bad_input() {
    let o = leadforest(&[
        "export",
        "tests/data/interop/test.csv",
        "--out",
        "/dev/null",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("test.csv") && err.contains("LightGBM"),
        "{err}"
    );
    let o = leadforest(&[
        "export",
        "tests/data/interop/lgb_binary.txt",
        "--format",
        "pmml",
        "--out",
        "/dev/null",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("pmml"));
}

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

#[test]
fn import_then_export_gives_the_same_onnx_as_exporting_the_original() {
    let dir = std::env::temp_dir();
    let id = std::process::id();
    let lfm = dir.join(format!("leadforest-import-{id}.lfm"));
    let onnx = dir.join(format!("leadforest-import-{id}.onnx"));
    let o = leadforest(&[
        "import",
        "lightgbm",
        "tests/data/interop/lgb_binary.txt",
        "--out",
        lfm.to_str().unwrap(),
        "--schema",
        "tests/data/interop/test.csv",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Days_Since_Contact <- column `Days Since Contact`"),
        "{stdout}"
    );
    let o = leadforest(&[
        "export",
        lfm.to_str().unwrap(),
        "--out",
        onnx.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read(&onnx).unwrap();
    let model = std::fs::read(&lfm).unwrap();
    std::fs::remove_file(&onnx).ok();
    std::fs::remove_file(&lfm).ok();
    assert!(model.starts_with(b"LEADFRST"));
    assert!(written == include_bytes!("data/interop/lgb_binary.onnx"));
}

#[test]
fn import_explains_bad_input() {
    let o = leadforest(&[
        "import",
        "xgboost",
        "tests/data/interop/lgb_binary.txt",
        "--out",
        "/dev/null",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("lgb_binary.txt") && err.contains("not JSON"),
        "{err}"
    );
    let o = leadforest(&[
        "import",
        "lightgbm",
        "tests/data/interop/lgb_zero_missing.txt",
        "--out",
        "/dev/null",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("zero_as_missing"));
}

//! `leadforest train --validation auto|holdout|time|kfold`: the split named in the text output,
//! the `validation` key of `--json`, errors, and the same model bytes as the JS API.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-valid-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The first `rows` data rows of a suite dataset, written to `dir` (CI has ../shared beside the clone).
fn subset(dir: &Path, file: &str, rows: usize) -> PathBuf {
    let src = ["../shared/datasets", "../../shared/datasets"]
        .iter()
        .map(|d| Path::new(d).join(file))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("suite dataset {file} not found in ../shared/datasets"));
    let bytes = std::fs::read(src).unwrap();
    let end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(rows)
        .map_or(bytes.len(), |(i, _)| i + 1);
    let out = dir.join(format!("subset-{rows}.csv"));
    std::fs::write(&out, &bytes[..end]).unwrap();
    out
}

fn train(data: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .arg("train")
        .arg(data)
        .args(["--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

// `--trained-at none`: no training date, as the JS API's pinned bytes (trained without one).
const BANK: &[&str] = &[
    "--target",
    "y",
    "--drop",
    "duration",
    "--seed",
    "7",
    "--trained-at",
    "none",
];

fn fnv(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

#[test]
fn time_split_on_rows_in_time_order_tests_the_last_rows() {
    let dir = workdir("time");
    let csv = subset(&dir, "bank_marketing/bank-full.csv", 2000);
    let model = dir.join("m.lf");
    let o = train(
        &csv,
        &model,
        &[
            BANK,
            &[
                "--trees",
                "20",
                "--validation",
                "time",
                "--rows-in-time-order",
            ],
        ]
        .concat(),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("time-ordered split on row order")
            && out.contains("trained on 1,600 rows up to row 1600")
            && out.contains("tested on the 400 latest rows (row 1601 to row 2000)"),
        "{out}"
    );
    // The file keeps the report.
    let m = leadforest::model::Model::from_bytes(&std::fs::read(&model).unwrap()).unwrap();
    let v = m.validation.unwrap();
    assert_eq!((v.train_rows, v.test_rows), (1600, 400));
}

#[test]
fn time_without_a_date_column_is_a_clear_error() {
    let dir = workdir("nodate");
    let csv = subset(&dir, "bank_marketing/bank-full.csv", 300);
    let o = train(
        &csv,
        &dir.join("m.lf"),
        &[BANK, &["--validation", "time"]].concat(),
    );
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("subset-300.csv")
            && err.contains("needs a date column")
            && err.contains("--rows-in-time-order"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    for (args, expect) in [
        (["--validation", "kfold", "--folds", "1"], "2..=20"),
        (["--validation", "kfold", "--folds", "21"], "2..=20"),
        (
            ["--validation", "sometimes", "--folds", "5"],
            "auto, holdout, time or kfold",
        ),
        (
            ["--validation", "holdout", "--test-fraction", "0.9"],
            "validation_fraction",
        ),
    ] {
        let o = train(&csv, &dir.join("m.lf"), &[BANK, &args].concat());
        let (_, err) = text(&o);
        assert!(
            !o.status.success() && err.contains(expect),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn kfold_prints_mean_sd_and_json_adds_a_validation_key() {
    let dir = workdir("kfold");
    let csv = subset(&dir, "bank_marketing/bank-full.csv", 2000);
    let model = dir.join("k.lf");
    let args = [
        BANK,
        &["--trees", "20", "--validation", "kfold", "--folds", "3"],
    ]
    .concat();
    let o = train(&csv, &model, &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("3-fold cross validation"), "{out}");
    assert!(out.contains(" ± ") && out.contains("over 3 folds"), "{out}");
    assert!(out.contains("per fold: "), "{out}");
    // Same options as tests/data/wasm_determinism.json's `bank_kfold`: the JS API's bytes.
    let pinned: serde_json::Value =
        serde_json::from_str(include_str!("data/wasm_determinism.json")).unwrap();
    let bytes = std::fs::read(&model).unwrap();
    assert_eq!(fnv(&bytes), pinned["bank_kfold"]["fnv"].as_str().unwrap());

    let o = train(&csv, &dir.join("j.lf"), &[&args[..], &["--json"]].concat());
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "model", "bytes", "algo", "rows", "features", "rounds", "metrics",
    ] {
        assert!(j.get(key).is_some(), "{key} missing: {out}");
    }
    let v = &j["validation"];
    assert_eq!(v["mode"], "kfold");
    assert_eq!(v["requested"], "kfold");
    let folds = v["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    let test_rows: u64 = folds.iter().map(|f| f["test_rows"].as_u64().unwrap()).sum();
    assert_eq!(test_rows, 2000);
    let mean = folds
        .iter()
        .map(|f| f["auc"].as_f64().unwrap())
        .sum::<f64>()
        / 3.0;
    assert!((v["metrics"]["auc"].as_f64().unwrap() - mean).abs() < 1e-12);
    assert!(v["sd"]["auc"].as_f64().unwrap() > 0.0);
}

#[test]
fn holdout_and_auto_name_their_split() {
    let dir = workdir("holdout");
    let csv = subset(&dir, "bank_marketing/bank-full.csv", 1500);
    for (mode, expect) in [
        (
            "holdout",
            "random holdout (stratified): trained on 1,200 rows, tested on 300",
        ),
        // No date column and no --rows-in-time-order: auto is a random holdout.
        ("auto", "random holdout"),
    ] {
        let o = train(
            &csv,
            &dir.join("m.lf"),
            &[BANK, &["--trees", "15", "--validation", mode]].concat(),
        );
        let (out, err) = text(&o);
        assert!(o.status.success(), "{err}");
        assert!(
            out.contains(&format!("validation: {expect}")),
            "{mode}: {out}"
        );
    }
    // Same options as wasm_determinism.json's `bank_full` (a forest, auto ⇒ out-of-bag).
    let csv = subset(&dir, "bank_marketing/bank-full.csv", 3000);
    let model = dir.join("rf.lf");
    let o = train(
        &csv,
        &model,
        &[BANK, &["--algo", "rf", "--trees", "20"]].concat(),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("validation: out-of-bag"), "{out}");
    let pinned: serde_json::Value =
        serde_json::from_str(include_str!("data/wasm_determinism.json")).unwrap();
    let bytes = std::fs::read(&model).unwrap();
    assert_eq!(fnv(&bytes), pinned["bank_full"]["fnv"].as_str().unwrap());
}

/// Demo leads whose latest `share` of rows by `Created Date` (column 5) have no conversion.
fn demo_without_recent_positives(dir: &Path, rows: usize, share: f64) -> PathBuf {
    let demo = dir.join("demo.csv");
    let o = Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .args([
            "demo-data",
            "--rows",
            &rows.to_string(),
            "--seed",
            "7",
            "--out",
        ])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = std::fs::read_to_string(&demo).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0).to_string();
    assert!(header.ends_with(",Converted") && header.contains(",Created Date,"));
    lines.sort_by_key(|l| l.split(',').nth(4).unwrap().to_string());
    let cut = rows - (rows as f64 * share) as usize;
    let mut out = header + "\n";
    for (i, l) in lines.iter().enumerate() {
        if i >= cut {
            out.push_str(l.strip_suffix(",Yes").map_or(*l, |s| s));
            if l.ends_with(",Yes") {
                out.push_str(",No");
            }
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    let path = dir.join("no-recent-yes.csv");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn a_time_split_whose_latest_rows_lack_an_outcome_is_refused_or_replaced_before_training() {
    let dir = workdir("no-recent-yes");
    // The latest 30 % have no `Yes`: the time split's test rows (the latest 20 %) have one outcome.
    let csv = demo_without_recent_positives(&dir, 1500, 0.3);
    let args = [
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage,Lead ID",
        "--trees",
        "15",
    ];
    // Asked for explicitly: an error naming the split, its rows and what to do; no model written.
    let model = dir.join("time.lf");
    let o = train(
        &csv,
        &model,
        &[&args[..], &["--validation", "time"]].concat(),
    );
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("time-ordered split tests on the latest 300 rows by `Created Date`")
            && err.contains("contain no `Yes` (only 300 `No`)")
            && err.contains("--validation holdout"),
        "{err}"
    );
    assert!(!model.exists(), "refused before training");
    // Auto (the default with a date): a stratified holdout instead, said before training, and the
    // metrics print.
    let o = train(&csv, &dir.join("auto.lf"), &args);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("note: the time-ordered split tests on the latest 300 rows")
            && err.contains("validating on a stratified random holdout of 300 rows instead"),
        "{err}"
    );
    assert!(
        out.contains("validation: random holdout (stratified)"),
        "{out}"
    );
    assert!(out.contains("ROC AUC"), "{out}");
    // k-fold's early-stopping split falls back the same way.
    let o = train(
        &csv,
        &dir.join("kfold.lf"),
        &[&args[..], &["--validation", "kfold", "--folds", "3"]].concat(),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("stratified random holdout"), "{err}");
    assert!(
        out.contains("over 3 folds (mean ± sd of the per-fold figures)"),
        "{out}"
    );
}

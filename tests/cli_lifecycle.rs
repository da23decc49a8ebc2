//! `leadforest drift` and `leadforest retrain`, run as the real binary on small demo data.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
#[path = "common/cli.rs"]
mod cli;
use cli::{lf, ok};

fn tmp(name: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("leadforest-cli-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_str().unwrap().to_string()
}

/// Demo leads (`seed`) written to a temporary file.
fn demo(name: &str, rows: &str, seed: &str) -> String {
    let path = tmp(name);
    ok(&["demo-data", "--rows", rows, "--seed", seed, "--out", &path]);
    path
}

fn train(data: &str, out: &str) {
    ok(&[
        "train",
        data,
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage,Lead ID",
        "--missing",
        "Select",
        "--trees",
        "40",
        "--out",
        out,
    ]);
}

#[test]
fn drift_prints_psi_per_input_and_for_the_score() {
    let old = demo("old.csv", "2000", "7");
    let new = demo("new.csv", "1000", "8");
    let model = tmp("drift.lf");
    train(&old, &model);
    let text = ok(&["drift", &model, &new]);
    assert!(text.contains("PSI") && text.contains("score"), "{text}");
    assert!(
        text.contains("Lead Source") && text.contains("stable"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["drift", &model, &new, "--json"])).unwrap();
    assert_eq!(json["rows"], 1000);
    assert_eq!(json["reference_rows"], 2000);
    let features = json["features"].as_array().unwrap();
    assert!(features.len() >= 10);
    let psis: Vec<f64> = features
        .iter()
        .map(|f| f["psi"].as_f64().unwrap())
        .collect();
    assert!(psis.windows(2).all(|w| w[0] >= w[1]), "{psis:?}");
    assert!(features.iter().all(|f| f["level"] == "stable"), "{json}");
    assert!(json["score"]["psi"].as_f64().unwrap() < 0.1);
    // Drift against the training data itself is zero for every input.
    let itself: serde_json::Value =
        serde_json::from_str(&ok(&["drift", &model, &old, "--json"])).unwrap();
    assert!(itself["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["psi"].as_f64().unwrap() < 1e-9));
    assert!(itself["score"]["psi"].as_f64().unwrap() < 1e-9);
}

#[test]
fn drift_without_a_profile_says_to_retrain() {
    let new = demo("plain.csv", "50", "8");
    let out = lf(&["drift", "models/golden_gbt.lf", &new]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no training profile") && err.contains("retrain"),
        "{err}"
    );
}

#[test]
fn retrain_compares_recommends_and_writes_the_challenger_with_lineage() {
    let old = demo("r-old.csv", "1000", "7");
    let new = demo("r-new.csv", "500", "9");
    let model = tmp("champion.lf");
    let challenger = tmp("challenger.lf");
    train(&old, &model);
    let text = ok(&[
        "retrain",
        &model,
        &new,
        "--data",
        &old,
        "--out",
        &challenger,
    ]);
    assert!(
        text.contains("champion") && text.contains("challenger"),
        "{text}"
    );
    assert!(text.contains("recommendation: keep") || text.contains("recommendation: switch"));
    assert!(text.contains("newest period: 100 leads"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "retrain",
        &model,
        &new,
        "--data",
        &old,
        "--out",
        &challenger,
        "--json",
    ]))
    .unwrap();
    let c = &json["comparison"];
    let (lo, d, hi) = (
        c["ci_low"].as_f64().unwrap(),
        c["auc_difference"].as_f64().unwrap(),
        c["ci_high"].as_f64().unwrap(),
    );
    assert!(lo <= d && d <= hi);
    assert_eq!(c["recommendation"] == "switch", lo > 0.0);
    assert_eq!(json["lineage"]["total_rows"], 1400);
    assert_eq!(json["lineage"]["old_rows"], 1000);
    assert_eq!(json["lineage"]["holdout_rows"], 100);
    let crc = format!(
        "crc32:{:08x}",
        crc32fast::hash(&std::fs::read(&model).unwrap())
    );
    assert_eq!(json["lineage"]["parent_checksum"], crc.as_str());
    // The challenger is a working model with its own profile: drift runs on it.
    assert!(ok(&["drift", &challenger, &new]).contains("score"));
    // Without old data and a window too short to hold a class pair, the error is clear.
    let out = lf(&["retrain", &model, &new, "--window", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("window_days"));
}

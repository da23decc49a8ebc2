//! `leadforest explain` and `leadforest report` on a model trained on the built-in demo data,
//! with calibration, tiers and threshold fitted on its held-out rows and stored in the file.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::model::scoring::{Scoring, ScoringOptions};
use leadforest::model::Model;
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-scores-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Trains a small GBT on demo leads, attaches scoring, writes model + CSV; returns their paths.
fn model_and_data(dir: &Path) -> (PathBuf, PathBuf, Model) {
    let csv = leadforest::demo::demo_csv(1500, 3);
    let table = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let data =
        leadforest::data::Dataset::new(&table, &DatasetOptions::target("Converted")).unwrap();
    let config = TrainConfig {
        n_trees: 60,
        ..TrainConfig::default()
    };
    let fitted = Trainer::new(config)
        .fit_detailed(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let mut model = fitted.model;
    Scoring::attach(
        &mut model,
        fitted.holdout.as_ref(),
        &ScoringOptions::default(),
    )
    .unwrap();
    let model_path = dir.join("demo.lfm");
    let csv_path = dir.join("demo.csv");
    std::fs::write(&model_path, model.to_bytes()).unwrap();
    std::fs::write(&csv_path, csv).unwrap();
    (model_path, csv_path, model)
}

fn leadforest(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn scoring_settings_round_trip_in_the_model_file() {
    let dir = workdir("roundtrip");
    let (model_path, _, model) = model_and_data(&dir);
    let scoring = model
        .scoring
        .clone()
        .expect("binary model gets scoring settings");
    assert_eq!(scoring.tiers.tiers.len(), 4);
    assert!(scoring.calibration_report.is_some());
    let back = Model::from_bytes(&std::fs::read(&model_path).unwrap()).unwrap();
    assert_eq!(back.scoring, model.scoring);
    assert_eq!(back, model);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn explain_prints_reasons_that_add_up() {
    let dir = workdir("explain");
    let (model_path, csv_path, _) = model_and_data(&dir);
    let (m, d) = (model_path.to_str().unwrap(), csv_path.to_str().unwrap());
    let (ok, out, err) = leadforest(&["explain", m, d, "--row", "7", "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sum: f64 = v["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_f64().unwrap())
        .sum();
    let margin = v["margin"].as_f64().unwrap();
    assert!((v["bias"].as_f64().unwrap() + sum - margin).abs() < 1e-9);
    let p = v["probability"].as_f64().unwrap();
    assert_eq!(v["score"].as_u64().unwrap(), (p * 100.0).round() as u64);
    let texts: Vec<&str> = v["reasons"]["positive"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["reasons"]["negative"].as_array().unwrap())
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(!texts.is_empty());
    assert!(
        texts
            .iter()
            .all(|t| t.contains(" = ") && (t.ends_with('↑') || t.ends_with('↓'))),
        "{texts:?}"
    );
    // Text form, and a clear error for a row outside the file.
    let (ok, out, _) = leadforest(&["explain", m, d, "--row", "1"]);
    assert!(ok);
    assert!(
        out.contains("Raises the score") && out.contains("tier"),
        "{out}"
    );
    let (ok, _, err) = leadforest(&["explain", m, d, "--row", "99999"]);
    assert!(!ok);
    assert!(err.contains("data rows 1 to 1500"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn report_writes_one_offline_html_file() {
    let dir = workdir("report");
    let (model_path, csv_path, _) = model_and_data(&dir);
    let html_path = dir.join("report.html");
    let (m, d, h) = (
        model_path.to_str().unwrap(),
        csv_path.to_str().unwrap(),
        html_path.to_str().unwrap(),
    );
    let header = std::fs::read_to_string(&csv_path).unwrap();
    assert!(header.starts_with("Lead ID,"));
    let segment = "Industry".to_string();
    let (ok, out, err) = leadforest(&[
        "report",
        m,
        d,
        "--out",
        h,
        "--target",
        "Converted",
        "--segment",
        &segment,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("AUC"), "{out}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    for id in [
        "roc",
        "gains",
        "calibration",
        "importance",
        "tiers",
        "segments",
        "baselines",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "missing {id}");
    }
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("points score"));
    // Without --target (the model does not record it) the message says what to do.
    let (ok, _, err) = leadforest(&["report", m, d, "--out", h]);
    assert!(!ok);
    assert!(err.contains("--target"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

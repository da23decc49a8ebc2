//! The funnel-stage classifier on the demo data: a multi-class model of `Funnel Stage` must beat
//! the majority-class baseline on held-out rows by a clear margin, without the leaking `Converted`
//! column; `eval` reports the per-class metrics, confusion matrix and baselines.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, Table};
use leadforest::metrics;
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;
#[path = "common/cli.rs"]
mod cli;
use cli::ok;

const STAGE: &str = "Funnel Stage";

fn demo_table(rows: usize, seed: u64) -> Table {
    let csv = leadforest::demo::demo_csv(rows, seed);
    Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap()
}

fn stage_options(drop_converted: bool) -> DatasetOptions {
    DatasetOptions {
        target: STAGE.into(),
        drop: if drop_converted {
            vec!["Converted".into()]
        } else {
            Vec::new()
        },
        ..DatasetOptions::default()
    }
}

#[test]
fn converted_leaks_the_stage_and_the_leak_scan_says_so() {
    // In the demo data `Action` ⇔ converted: a stage model must not see `Converted`.
    let data = Dataset::new(&demo_table(1500, 3), &stage_options(false)).unwrap();
    assert!(
        data.notes.iter().any(|n| n.contains("Converted")),
        "no note flags Converted: {:?}",
        data.notes
    );
    assert_eq!(data.class_names.len(), 4, "{:?}", data.class_names);
    let dropped = Dataset::new(&demo_table(1500, 3), &stage_options(true)).unwrap();
    assert!(dropped.features.iter().all(|f| f.source != "Converted"));
}

#[test]
fn stage_model_beats_the_majority_baseline_on_held_out_rows() {
    let table = demo_table(2500, 11);
    let config = TrainConfig {
        seed: 5,
        ..TrainConfig::default()
    };
    let fitted = Trainer::new(config)
        .fit_table(&table, &stage_options(true), &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
    let model = &fitted.model;
    let k = model.n_classes();
    assert_eq!(k, 4);
    let h = fitted.holdout.expect("held-out rows");
    assert!(h.labels.len() >= 400, "{} held-out rows", h.labels.len());
    let e =
        metrics::multiclass_evaluation(&h.probabilities, &model.class_names, &h.labels).unwrap();
    // The stages in funnel order, whatever order the data lists them in.
    let order: Vec<&str> = e
        .order
        .iter()
        .map(|&c| model.class_names[c as usize].as_str())
        .collect();
    assert_eq!(order, ["Awareness", "Interest", "Decision", "Action"]);
    // A clear margin over both model-free guesses.
    assert!(
        e.macro_f1 > e.majority.macro_f1 + 0.15,
        "macro-F1 {} vs majority {}",
        e.macro_f1,
        e.majority.macro_f1
    );
    assert!(e.macro_f1 > e.prior.macro_f1 + 0.1);
    assert!(e.accuracy > e.majority.accuracy);
    assert!(e.log_loss < e.majority.log_loss);
    // Every stage is predicted at least once, and the held-out metric the model stores agrees.
    assert!(e.confusion.predicted_counts().iter().all(|&c| c > 0));
    let stored = model
        .info
        .metrics
        .iter()
        .find(|m| m.name == "valid_macro_f1")
        .expect("valid_macro_f1 stored");
    assert!((stored.value - e.macro_f1).abs() < 1e-12);
    let stored = |name: &str| {
        model
            .info
            .metrics
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("{name} not stored"))
            .value
    };
    assert!((stored("valid_majority_macro_f1") - e.majority.macro_f1).abs() < 1e-12);
    assert!((stored("valid_majority_accuracy") - e.majority.accuracy).abs() < 1e-12);
    eprintln!(
        "held-out macro-F1 {:.4} vs majority {:.4} (prior {:.4}), accuracy {:.4} vs {:.4}",
        e.macro_f1, e.majority.macro_f1, e.prior.macro_f1, e.accuracy, e.majority.accuracy
    );
}

#[test]
fn eval_json_adds_multiclass_keys_and_keeps_the_old_ones() {
    let dir = std::env::temp_dir().join(format!("leadforest-stage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("demo.csv");
    std::fs::write(&data, leadforest::demo::demo_csv(800, 21)).unwrap();
    let model = dir.join("stage.lfm");
    let (d, m) = (data.to_str().unwrap(), model.to_str().unwrap());
    let train = ok(&[
        "train",
        d,
        "--target",
        STAGE,
        "--drop",
        "Converted",
        "--trees",
        "30",
        "--out",
        m,
    ]);
    assert!(
        train.contains("always predicting the most common class"),
        "{train}"
    );
    let v: serde_json::Value = serde_json::from_str(&ok(&["eval", m, d, "--json"])).unwrap();
    for key in [
        "accuracy",
        "auc",
        "log_loss",
        "macro_auc",
        "macro_f1",
        "per_class_auc",
        "rows",
        "rows_skipped",
    ] {
        assert!(v.get(key).is_some(), "old key {key} missing");
    }
    assert_eq!(v["rows"], 800);
    assert_eq!(
        v["stage_order"],
        serde_json::json!(["Awareness", "Interest", "Decision", "Action"])
    );
    let matrix = v["confusion_matrix"]["matrix"].as_array().unwrap();
    assert_eq!(matrix.len(), 4);
    let total: u64 = matrix
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|x| x.as_u64().unwrap())
        .sum();
    assert_eq!(total, 800);
    // Per-class supports are the matrix's row sums.
    for (i, c) in v["per_class"].as_array().unwrap().iter().enumerate() {
        let row: u64 = matrix[i]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .sum();
        assert_eq!(c["support"].as_u64().unwrap(), row);
        assert_eq!(c["class"], v["class_names"][i]);
    }
    let majority = &v["baseline_majority"];
    assert_eq!(majority["class"], "Awareness");
    assert!(v["macro_f1"].as_f64().unwrap() > majority["macro_f1"].as_f64().unwrap());
    assert!(v["baseline_prior"]["macro_f1"].as_f64().unwrap() > 0.0);
    let text = ok(&["eval", m, d]);
    assert!(text.contains("confusion matrix"), "{text}");
    let awareness = text.find("\n  Awareness").unwrap();
    let action = text.find("\n  Action").unwrap();
    assert!(awareness < action, "funnel order in the text: {text}");
    // Binary models keep exactly their keys.
    let bin = dir.join("bin.lfm");
    let b = bin.to_str().unwrap();
    ok(&[
        "train",
        d,
        "--target",
        "Converted",
        "--drop",
        STAGE,
        "--trees",
        "20",
        "--out",
        b,
    ]);
    let v: serde_json::Value = serde_json::from_str(&ok(&["eval", b, d, "--json"])).unwrap();
    assert!(v.get("auc").is_some() && v.get("pr_auc").is_some());
    for key in [
        "per_class",
        "confusion_matrix",
        "baseline_majority",
        "stage_order",
    ] {
        assert!(v.get(key).is_none(), "binary eval gained {key}");
    }
}

//! Determinism across platforms, part 1 of 2 (native): quick subsets of two suite datasets trained
//! through the same path as the JS API's `train` give model files whose FNV-1a hashes are pinned in
//! tests/data/wasm_determinism.json. Part 2, tests/browser/api-determinism.test.mjs, trains the
//! same subsets with the same options in WASM under Node and in headless Chromium and checks the
//! same hashes: equal hashes = the same model bytes natively, in Node and in Chromium.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::train::{TrainConfig, Trainer, Validation};
use std::ops::ControlFlow;
use std::path::PathBuf;

/// The first `rows` data rows of a suite dataset (the header kept), from ../shared beside the clone.
fn subset(path: &str, rows: usize) -> Vec<u8> {
    let candidates = [
        PathBuf::from("../shared/datasets").join(path),
        PathBuf::from("../../shared/datasets").join(path),
    ];
    let file = candidates.iter().find(|p| p.exists()).unwrap_or_else(|| {
        panic!("suite dataset {path} not found in ../shared/datasets (CI has ../shared beside the clone)")
    });
    let bytes = std::fs::read(file).unwrap();
    let end = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(rows)
        .map_or(bytes.len(), |(i, _)| i + 1);
    bytes[..end].to_vec()
}

fn fnv(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

struct Case {
    name: &'static str,
    file: &'static str,
    rows: usize,
    config: TrainConfig,
    csv: CsvOptions,
    data: DatasetOptions,
}

/// Mirrors the options in tests/data/wasm_determinism.json (which the browser test passes to `train`).
fn cases() -> Vec<Case> {
    let leaky = [
        "Prospect ID",
        "Lead Number",
        "Tags",
        "Lead Quality",
        "Lead Profile",
        "Asymmetrique Activity Index",
        "Asymmetrique Profile Index",
        "Asymmetrique Activity Score",
        "Asymmetrique Profile Score",
        "Last Notable Activity",
        "Last Activity",
    ];
    vec![
        Case {
            name: "x_education",
            file: "x_education_leads/Leads.csv",
            rows: 2000,
            config: TrainConfig {
                n_trees: 30,
                seed: 7,
                ..TrainConfig::default()
            },
            csv: CsvOptions {
                missing: vec!["Select".into()],
                ..CsvOptions::default()
            },
            data: DatasetOptions {
                positive: vec!["1".into()],
                drop: leaky.iter().map(|s| s.to_string()).collect(),
                ..DatasetOptions::target("Converted")
            },
        },
        Case {
            name: "bank_full",
            file: "bank_marketing/bank-full.csv",
            rows: 3000,
            config: TrainConfig {
                n_trees: 20,
                seed: 7,
                ..TrainConfig::random_forest()
            },
            csv: CsvOptions::default(),
            data: DatasetOptions {
                positive: vec!["yes".into()],
                drop: vec!["duration".into()],
                ..DatasetOptions::target("y")
            },
        },
        Case {
            name: "bank_kfold",
            file: "bank_marketing/bank-full.csv",
            rows: 2000,
            config: TrainConfig {
                n_trees: 20,
                seed: 7,
                validation: Validation::KFold,
                folds: 3,
                ..TrainConfig::default()
            },
            csv: CsvOptions::default(),
            data: DatasetOptions {
                positive: vec!["yes".into()],
                drop: vec!["duration".into()],
                ..DatasetOptions::target("y")
            },
        },
    ]
}

#[test]
fn suite_subsets_train_to_the_pinned_model_bytes() {
    let pinned: serde_json::Value =
        serde_json::from_str(include_str!("data/wasm_determinism.json")).unwrap();
    for case in cases() {
        let table = Table::from_csv(&subset(case.file, case.rows), &case.csv).unwrap();
        // fit_table stores the target's name, as the JS API's `train` and the CLI do.
        let fitted = Trainer::new(case.config)
            .fit_table(&table, &case.data, &mut |_| ControlFlow::Continue(()))
            .unwrap();
        let model = fitted.model.clone();
        let got = fnv(&model.to_bytes());
        // The same model without its training profile (added in the lifecycle work), without
        // the validation report and the validation config keys, and with the target name left
        // empty (as `fit` left it before the JS API stored it like the CLI) still has the bytes
        // pinned before: these changed the file, not the trees.
        // Later still: the evaluation report and the best-F1 threshold with tiers that follow it
        // (the scoring section refit with the old defaults, 0.5 and quartiles, on the same
        // held-out rows gives the old section).
        let mut bare = model.clone();
        let old = leadforest::model::scoring::ScoringOptions {
            threshold: leadforest::model::threshold::ThresholdRule::Fixed(0.5),
            tier_rule: leadforest::model::tiers::TierRule::Quantiles(vec![0.25, 0.25, 0.25]),
            ..Default::default()
        };
        leadforest::model::scoring::Scoring::attach(&mut bare, fitted.holdout.as_ref(), &old)
            .unwrap();
        bare.evaluation = None;
        bare.training_profile = None;
        bare.validation = None;
        bare.info.target = String::new();
        bare.info.config = bare.info.config.replace(
            r#""validation":"auto","folds":5,"rows_in_time_order":false,"#,
            "",
        );
        // Forests always grew their file's forest again on all rows after a held-out split while
        // their settings stored `refit: false`; the settings now say `true` (and `false` keeps the
        // measured forest): the stored settings changed, not the trees.
        if model.kind == leadforest::model::ModelKind::RandomForest {
            assert!(
                bare.info.config.contains(r#""refit":true"#),
                "{}",
                bare.info.config
            );
            bare.info.config = bare
                .info
                .config
                .replace(r#""refit":true"#, r#""refit":false"#);
        }
        if let Some(before) = pinned[case.name]["fnv_without_profile"].as_str() {
            assert_eq!(
                fnv(&bare.to_bytes()),
                before,
                "{}: trees changed",
                case.name
            );
        }
        let want = pinned[case.name]["fnv"].as_str().unwrap();
        assert_eq!(
            got, want,
            "{}: native model bytes changed (FNV-1a)",
            case.name
        );
    }
}

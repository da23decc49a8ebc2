//! Calibration on held-out data of the accuracy suite (BENCHMARK.md's splits): trains with
//! default settings on the training rows, fits calibration/tiers on the training's own held-out
//! predictions, and prints ECE and Brier on the test rows before and after calibration.
//!
//! `cargo run --release --example calibration_ece -- [SHARED_DATASETS_DIR]`

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, Table};
use leadforest::metrics;
use leadforest::model::scoring::{Scoring, ScoringOptions};
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;

struct Suite {
    name: &'static str,
    file: &'static str,
    target: &'static str,
    positive: &'static str,
    drop: &'static [&'static str],
    missing: &'static [&'static str],
    /// Test rows: `true` = the last 20% (time order), `false` = row index % 5 == 4.
    time: bool,
}

const SUITE: &[Suite] = &[
    Suite {
        name: "x_education",
        file: "x_education_leads/Leads.csv",
        target: "Converted",
        positive: "1",
        drop: &[
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
        ],
        missing: &["Select"],
        time: false,
    },
    Suite {
        name: "bank_full_random",
        file: "bank_marketing/bank-full.csv",
        target: "y",
        positive: "yes",
        drop: &["duration"],
        missing: &[],
        time: false,
    },
    Suite {
        name: "bank_full_time",
        file: "bank_marketing/bank-full.csv",
        target: "y",
        positive: "yes",
        drop: &["duration"],
        missing: &[],
        time: true,
    },
    Suite {
        name: "hillstrom",
        file: "hillstrom_email/hillstrom.csv",
        target: "conversion",
        positive: "1",
        drop: &["visit", "spend"],
        missing: &[],
        time: false,
    },
];

fn subset(data: &Dataset, rows: &[usize]) -> Dataset {
    let mut out = data.clone();
    for f in &mut out.features {
        f.values = rows.iter().map(|&r| f.values[r]).collect();
    }
    out.labels = rows.iter().map(|&r| data.labels[r]).collect();
    out.time_key = data
        .time_key
        .as_ref()
        .map(|t| rows.iter().map(|&r| t[r]).collect());
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/datasets".into());
    println!("| dataset | model | calibration | test rows | ECE before | ECE after | Brier before | Brier after | AUC |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for s in SUITE {
        let bytes = std::fs::read(format!("{dir}/{}", s.file))?;
        let csv = CsvOptions {
            missing: s.missing.iter().map(|m| m.to_string()).collect(),
            ..CsvOptions::default()
        };
        let table = Table::from_csv(&bytes, &csv)?;
        let options = DatasetOptions {
            positive: vec![s.positive.into()],
            drop: s.drop.iter().map(|d| d.to_string()).collect(),
            ..DatasetOptions::target(s.target)
        };
        let data = Dataset::new(&table, &options)?;
        let n = data.n_rows();
        let is_test = |r: usize| if s.time { r >= n - n / 5 } else { r % 5 == 4 };
        let train_rows: Vec<usize> = (0..n).filter(|&r| !is_test(r)).collect();
        let test_rows: Vec<usize> = (0..n).filter(|&r| is_test(r)).collect();
        let (train, test) = (subset(&data, &train_rows), subset(&data, &test_rows));
        let y: Vec<bool> = test.labels.iter().map(|&l| l == 1).collect();
        for (label, config) in [
            ("gbt", TrainConfig::default()),
            ("rf", TrainConfig::random_forest()),
        ] {
            let fitted =
                Trainer::new(config).fit_detailed(&train, &mut |_| ControlFlow::Continue(()))?;
            let mut model = fitted.model;
            Scoring::attach(
                &mut model,
                fitted.holdout.as_ref(),
                &ScoringOptions::default(),
            )?;
            let scoring = model.scoring.clone().unwrap_or_default();
            let raw = model.predict_dataset(&test)?;
            let cal = scoring.calibrator.apply_all(&raw);
            println!(
                "| {} | {label} | {} | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |",
                s.name,
                scoring.calibrator.name(),
                y.len(),
                metrics::ece(&raw, &y),
                metrics::ece(&cal, &y),
                metrics::brier(&raw, &y, None)?,
                metrics::brier(&cal, &y, None)?,
                metrics::roc_auc(&cal, &y, None)?,
            );
        }
    }
    Ok(())
}

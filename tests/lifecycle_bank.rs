//! Drift on bank-full (rows in time order, ../shared/datasets beside the clone): a model trained
//! on a subsample of the first fifth, measured against a subsample of the last fifth, flags the
//! columns whose distribution moved (months, housing loans, day of month, job) as major shifts,
//! and the columns the model could not use because they were constant in the first fifth
//! (contact, pdays, previous, poutcome), and the outcome rate's jump; the retrained challenger is
//! recommended over it.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::lifecycle::{self, DriftLevel, Recommendation, RetrainOptions};
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;

/// Every `step`-th row of the first and of the last fifth, each with the header.
fn fifths(step: usize) -> (Table, Table) {
    let path = ["../shared/datasets", "../../shared/datasets"]
        .iter()
        .map(|d| std::path::Path::new(d).join("bank_marketing/bank-full.csv"))
        .find(|p| p.exists())
        .expect("bank-full.csv in ../shared/datasets (CI has ../shared beside the clone)");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let fifth = rows.len() / 5;
    let pick = |part: &[&str]| {
        let mut out = format!("{header}\n");
        for r in part.iter().step_by(step) {
            out.push_str(r);
            out.push('\n');
        }
        Table::from_csv(out.as_bytes(), &CsvOptions::default()).unwrap()
    };
    (pick(&rows[..fifth]), pick(&rows[rows.len() - fifth..]))
}

#[test]
fn first_vs_last_fifth_flags_the_shifted_columns() {
    let (first, last) = fifths(3);
    let options = DatasetOptions {
        drop: vec!["duration".into()],
        ..DatasetOptions::target("y")
    };
    let model = Trainer::new(TrainConfig::default())
        .fit_table(&first, &options, &mut |_| ControlFlow::Continue(()))
        .unwrap()
        .model;
    let report = lifecycle::drift(&model, &last).unwrap();
    let level = |name: &str| {
        report
            .features
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} in {report:#?}"))
            .level
    };
    for shifted in ["month", "housing", "day", "job"] {
        assert_eq!(level(shifted), DriftLevel::Major, "{shifted}: {report:#?}");
    }
    assert_eq!(level("marital"), DriftLevel::Stable);
    // Months the first fifth never saw are "other / unseen", not missing.
    let month = report.features.iter().find(|f| f.name == "month").unwrap();
    let unseen = month
        .bins
        .iter()
        .find(|b| b.label == "other / unseen")
        .unwrap();
    assert!(unseen.expected == 0.0 && unseen.actual > 0.3, "{unseen:?}");
    // The columns that moved most had one value on every row of the first fifth (no earlier
    // campaign, contact channel unknown): the model could not use them, the report still flags
    // them.
    for unused in ["contact", "pdays", "previous", "poutcome"] {
        let f = report
            .unused_columns
            .iter()
            .find(|f| f.name == unused)
            .unwrap_or_else(|| panic!("{unused} in {:#?}", report.unused_columns));
        assert!(!f.used && f.level == DriftLevel::Major, "{f:?}");
    }
    // The last fifth has outcomes: about 3 % converted in the first fifth, about 30 % in the
    // last, and the model still expects a few percent.
    let o = report.outcome.as_ref().expect("y is in the last fifth");
    assert_eq!(o.level, DriftLevel::Major, "{o:?}");
    assert!(
        o.training_rate.unwrap() < 0.06 && o.actual_rate.unwrap() > 0.25,
        "{o:?}"
    );
    assert!(o.predicted_rate.unwrap() < 0.1, "{o:?}");
    assert!(report.summary.contains("retrain"), "{}", report.summary);

    // Retraining on both periods: the newest 20 % of the last fifth is where the models are
    // compared; the champion's probabilities are far too low there (the conversion rate rose).
    let r = lifecycle::retrain(
        &model,
        &model.to_bytes(),
        Some(&first),
        &last,
        &RetrainOptions {
            compare: lifecycle::CompareOptions {
                resamples: 300,
                ..Default::default()
            },
            ..RetrainOptions::default()
        },
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
    let c = &r.comparison;
    assert!(c.challenger.brier < c.champion.brier, "{c:#?}");
    assert_eq!(c.recommendation, Recommendation::Switch, "{c:#?}");
}

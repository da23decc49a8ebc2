//! Validation modes through the library: holdout, time-ordered, k-fold and auto; the report stored
//! in the model file; errors; and proof that adding the report changed nothing else in the bytes.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::model::Model;
use leadforest::train::{
    toy_dataset, Algorithm, Progress, SplitMode, Stage, TrainConfig, Trainer, Validation,
};
use std::ops::ControlFlow;

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn quick(validation: Validation) -> TrainConfig {
    TrainConfig {
        n_trees: 25,
        validation,
        ..TrainConfig::default()
    }
}

/// A CSV with a `created` date that runs backwards through the file, so "latest" ≠ "last rows".
fn dated_csv(rows: usize) -> Vec<u8> {
    let data = toy_dataset(rows, 11);
    let mut out = String::from("created,signal,noise,converted\n");
    for r in 0..rows {
        let day = 1 + (rows - 1 - r) / 4; // descending dates, four leads a day
        let (y, m, d) = (
            2020 + (day / 336) as u32,
            1 + (day / 28 % 12) as u32,
            1 + (day % 28) as u32,
        );
        let x = data.features[0].values[r];
        let noise = data.features[2].values[r];
        let sx = if x.is_nan() {
            String::new()
        } else {
            format!("{x:.4}")
        };
        out.push_str(&format!(
            "{y:04}-{m:02}-{d:02},{sx},{noise:.4},{}\n",
            if data.labels[r] == 1 { "yes" } else { "no" }
        ));
    }
    out.into_bytes()
}

fn fit_csv(csv: &[u8], config: TrainConfig) -> leadforest::Result<leadforest::train::Fitted> {
    let table = Table::from_csv(csv, &CsvOptions::default()).unwrap();
    let options = DatasetOptions {
        target: "converted".into(),
        ..DatasetOptions::default()
    };
    Trainer::new(config).fit_table(&table, &options, &mut |_| ControlFlow::Continue(()))
}

#[test]
fn adding_the_validation_report_changed_nothing_else_in_the_bytes() {
    // tests/engine_train.rs's pinned job: before validation modes (and the training profile)
    // its bytes hashed to 0x1334e8e840ed12e1. Without the new sections and the three new config
    // keys, they still do.
    let config = TrainConfig {
        n_trees: 30,
        row_subsample: 0.8,
        col_subsample: 0.7,
        ..TrainConfig::default()
    };
    let fitted = Trainer::new(config)
        .fit_detailed(&toy_dataset(1500, 1), &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let mut model = fitted.model;
    // The evaluation report and the best-F1 threshold with tiers that follow it came later too:
    // the scoring section refit with the old defaults (0.5, quartiles) gives the old bytes.
    let old = leadforest::model::scoring::ScoringOptions {
        threshold: leadforest::model::threshold::ThresholdRule::Fixed(0.5),
        tier_rule: leadforest::model::tiers::TierRule::Quantiles(vec![0.25, 0.25, 0.25]),
        ..Default::default()
    };
    leadforest::model::scoring::Scoring::attach(&mut model, fitted.holdout.as_ref(), &old).unwrap();
    model.evaluation = None;
    let report = model.validation.take().expect("a report");
    // The lifecycle helper's training-profile section came later (with its own pin change).
    model.training_profile = None;
    assert_eq!(report.mode, SplitMode::Holdout);
    model.info.config = model.info.config.replace(
        r#""validation":"auto","folds":5,"rows_in_time_order":false,"#,
        "",
    );
    assert_eq!(fnv(&model.to_bytes()), 0x1334_e8e8_40ed_12e1);
}

#[test]
fn holdout_is_stratified_random_and_recorded_in_the_file() {
    let fitted = fit_csv(&dated_csv(800), quick(Validation::Holdout)).unwrap();
    let v = fitted.model.validation.clone().unwrap();
    assert_eq!(
        (v.requested, v.mode),
        (Validation::Holdout, SplitMode::Holdout)
    );
    assert_eq!((v.train_rows, v.test_rows), (640, 160));
    assert_eq!(v.time_column, None, "a holdout ignores the date");
    let h = fitted.holdout.as_ref().unwrap();
    // Random: the held-out rows are spread over the file, not one block.
    assert!(h.rows.first().unwrap() < &100 && h.rows.last().unwrap() > &700);
    let auc = v.metrics.auc.unwrap();
    assert!(auc > 0.6, "{auc}");
    assert!(v.metrics.brier.unwrap() > 0.0 && v.metrics.log_loss.unwrap() > 0.0);
    // Stored in the file and read back exactly; the summary names the split.
    let back = Model::from_bytes(&fitted.model.to_bytes()).unwrap();
    assert_eq!(back.validation.as_ref(), Some(&v));
    assert!(v.summary().contains("random holdout"), "{}", v.summary());
}

#[test]
fn time_split_tests_the_latest_dates_and_names_the_column() {
    for validation in [Validation::Time, Validation::Auto] {
        let fitted = fit_csv(&dated_csv(800), quick(validation)).unwrap();
        let v = fitted.model.validation.clone().unwrap();
        assert_eq!(v.mode, SplitMode::Time, "{validation:?}");
        assert_eq!(v.time_column.as_deref(), Some("created"));
        assert_eq!(v.test_rows, 160);
        // Dates descend through the file: the latest 160 rows are the first 160.
        let h = fitted.holdout.as_ref().unwrap();
        assert_eq!(h.rows, (0..160).collect::<Vec<u32>>());
        let (end, start) = (v.train_end.clone().unwrap(), v.test_start.clone().unwrap());
        assert!(end <= start, "{end} then {start}");
        assert!(
            v.summary().contains("time-ordered split on `created`"),
            "{}",
            v.summary()
        );
    }
}

#[test]
fn time_without_a_date_is_a_clear_error_unless_rows_are_in_time_order() {
    let data = toy_dataset(400, 2);
    let e = Trainer::new(quick(Validation::Time))
        .fit(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("needs a date column") && e.contains("holdout or kfold"),
        "{e}"
    );
    let config = TrainConfig {
        rows_in_time_order: true,
        ..quick(Validation::Time)
    };
    let f = Trainer::new(config)
        .fit_detailed(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let v = f.model.validation.unwrap();
    assert_eq!((v.mode, v.time_column), (SplitMode::Time, None));
    assert_eq!(f.holdout.unwrap().rows, (320..400).collect::<Vec<u32>>());
    assert_eq!(v.test_start.as_deref(), Some("row 321"));
    // Auto without a date or the declaration: a random holdout, as before.
    let f = Trainer::new(quick(Validation::Auto))
        .fit(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(f.validation.unwrap().mode, SplitMode::Holdout);
}

#[test]
fn kfold_reports_each_fold_and_mean_sd_and_keeps_the_auto_model() {
    let data = toy_dataset(600, 4);
    let mut seen: Vec<Progress> = Vec::new();
    let kfold = Trainer::new(TrainConfig {
        folds: 4,
        ..quick(Validation::KFold)
    })
    .fit(&data, &mut |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .unwrap();
    let v = kfold.validation.clone().unwrap();
    assert_eq!(v.mode, SplitMode::KFold);
    assert_eq!(v.folds.len(), 4);
    assert_eq!(v.folds.iter().map(|f| f.test_rows).sum::<u64>(), 600);
    for f in &v.folds {
        assert_eq!(f.train_rows + f.test_rows, 600);
        assert!(f.auc.unwrap() > 0.6);
    }
    let aucs: Vec<f64> = v.folds.iter().map(|f| f.auc.unwrap()).collect();
    let mean = aucs.iter().sum::<f64>() / 4.0;
    let sd = (aucs.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / 3.0).sqrt();
    assert!((v.metrics.auc.unwrap() - mean).abs() < 1e-12);
    assert!((v.sd.as_ref().unwrap().auc.unwrap() - sd).abs() < 1e-12);
    assert!(sd > 0.0, "folds differ");
    assert!(v.summary().contains("± ") && v.summary().contains("over 4 folds"));
    assert!(
        v.summary().contains("mean ± sd of the per-fold figures"),
        "{}",
        v.summary()
    );
    // Each fold's model early-stops on held-out rows of its own training folds (progress with a
    // validation loss), then is refit on all of them with the round count it chose: never the
    // final model's count, which was chosen with the fold's test rows among its training rows.
    let mut chosen = Vec::new();
    for fold in 1..=4 {
        let (stopping, refit): (Vec<&Progress>, Vec<&Progress>) = seen
            .iter()
            .filter(|p| p.stage == Stage::Fold { fold, folds: 4 })
            .partition(|p| p.valid_loss.is_some());
        assert!(!stopping.is_empty() && stopping.len() <= 25, "fold {fold}");
        let rounds = refit.len() as u32;
        assert!(
            refit.iter().all(|p| p.total_rounds == rounds),
            "fold {fold}"
        );
        assert!((1..=stopping.len() as u32).contains(&rounds), "fold {fold}");
        chosen.push(rounds);
    }
    assert_ne!(
        chosen,
        vec![kfold.info.rounds; 4],
        "folds choose their own rounds"
    );
    // The final model is the Auto model: same trees, only the report (and config) differ.
    let auto = Trainer::new(quick(Validation::Auto))
        .fit(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap();
    assert_eq!(auto.trees(), kfold.trees());
    assert_eq!(auto.scoring, kfold.scoring);
    // Deterministic.
    let again = Trainer::new(TrainConfig {
        folds: 4,
        ..quick(Validation::KFold)
    })
    .fit(&data, &mut |_| ControlFlow::Continue(()))
    .unwrap();
    assert_eq!(again.to_bytes(), kfold.to_bytes());
}

#[test]
fn forests_support_every_mode() {
    let data = toy_dataset(500, 6);
    let rf = |validation| TrainConfig {
        n_trees: 12,
        validation,
        rows_in_time_order: true,
        ..TrainConfig::random_forest()
    };
    let expect = [
        (Validation::Auto, SplitMode::OutOfBag),
        (Validation::Holdout, SplitMode::Holdout),
        (Validation::Time, SplitMode::Time),
        (Validation::KFold, SplitMode::KFold),
    ];
    for (mode, split) in expect {
        let m = Trainer::new(rf(mode))
            .fit(&data, &mut |_| ControlFlow::Continue(()))
            .unwrap();
        let v = m.validation.clone().unwrap();
        assert_eq!(v.mode, split, "{mode:?}");
        assert!(
            v.metrics.auc.unwrap() > 0.6,
            "{mode:?}: {:?}",
            v.metrics.auc
        );
        assert_eq!(m.trees().len(), 12, "the final forest is full size");
        assert_eq!(rf(mode).algorithm, Algorithm::RandomForest);
    }
}

/// A forest measured on held-out rows is the file's model only without the refit: by default it
/// is grown again on all rows (and the model says so: its rows, its stored `refit`), with
/// `refit: Some(false)` the measured forest is kept and the model states its training rows. The
/// held-out figures are the measured forest's either way.
#[test]
fn forests_measured_on_held_out_rows_follow_the_refit_setting() {
    let data = toy_dataset(600, 6);
    let rf = |refit| TrainConfig {
        n_trees: 10,
        validation: Validation::Holdout,
        refit,
        ..TrainConfig::random_forest()
    };
    let fit = |config: TrainConfig| {
        Trainer::new(config)
            .fit(&data, &mut |_| ControlFlow::Continue(()))
            .unwrap()
    };
    let stored = |m: &Model| {
        serde_json::from_str::<serde_json::Value>(&m.info.config).unwrap()["refit"].clone()
    };
    let default = fit(rf(TrainConfig::random_forest().refit));
    let kept = fit(rf(Some(false)));
    let v = kept.validation.clone().unwrap();
    assert_eq!(v.mode, SplitMode::Holdout);
    assert!(v.train_rows > 0 && v.train_rows < 600, "{}", v.train_rows);
    assert_eq!(
        kept.info.rows, v.train_rows,
        "the kept forest was grown on the training rows"
    );
    assert_eq!(
        default.info.rows, 600,
        "the default forest is grown again on all rows"
    );
    assert_eq!(stored(&default), serde_json::json!(true));
    assert_eq!(stored(&kept), serde_json::json!(false));
    assert_eq!(
        default.validation.as_ref().unwrap().metrics.auc,
        v.metrics.auc,
        "the held-out figures are the measured forest's either way"
    );
    assert_ne!(default.to_bytes(), kept.to_bytes());
    assert_eq!(kept.trees().len(), 10);
}

#[test]
fn folds_out_of_range_and_bad_fractions_are_config_errors() {
    let data = toy_dataset(200, 2);
    for folds in [1, 21] {
        let e = Trainer::new(TrainConfig {
            folds,
            ..quick(Validation::KFold)
        })
        .fit(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap_err()
        .to_string();
        assert!(e.contains("folds") && e.contains("2..=20"), "{e}");
    }
    // Folds are only checked for k-fold.
    let ok = TrainConfig {
        folds: 0,
        ..quick(Validation::Holdout)
    };
    assert!(ok.validate().is_ok());
    let e = TrainConfig {
        validation_fraction: 0.7,
        ..quick(Validation::Holdout)
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert!(e.contains("validation_fraction"), "{e}");
}

#[test]
fn multiclass_kfold_reports_accuracy() {
    let mut data = toy_dataset(450, 8);
    for (i, y) in data.labels.iter_mut().enumerate() {
        if i % 3 == 0 {
            *y = 2;
        }
    }
    data.class_names.push("maybe".into());
    let m = Trainer::new(TrainConfig {
        folds: 3,
        n_trees: 10,
        ..quick(Validation::KFold)
    })
    .fit(&data, &mut |_| ControlFlow::Continue(()))
    .unwrap();
    let v = m.validation.unwrap();
    assert_eq!(v.metrics.auc, None);
    assert!(v.metrics.accuracy.unwrap() > 0.3);
    assert!(v.sd.unwrap().macro_f1.is_some());
}

//! Training end to end on synthetic data: accuracy, determinism, thread-count independence,
//! model files (round trip, corrupt, newer format), cancellation and settings errors.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::model::scoring::{Scoring, ScoringOptions};
use leadforest::model::threshold::ThresholdRule;
use leadforest::model::tiers::TierRule;
use leadforest::model::{Model, FORMAT_VERSION, MAGIC};
use leadforest::train::{toy_dataset, Algorithm, Progress, Stage, TrainConfig, Trainer};
use std::ops::ControlFlow;

fn fit(config: TrainConfig, rows: usize) -> Model {
    Trainer::new(config)
        .fit(&toy_dataset(rows, 1), &mut |_| ControlFlow::Continue(()))
        .unwrap()
}

fn test_auc(model: &Model) -> f64 {
    let test = toy_dataset(4000, 99);
    let p = model.predict_dataset(&test).unwrap();
    let y: Vec<bool> = test.labels.iter().map(|&l| l == 1).collect();
    leadforest::metrics::roc_auc(&p, &y, None).unwrap()
}

/// The scoring defaults before the evaluation report: threshold 0.5, quartile tiers.
fn old_scoring() -> ScoringOptions {
    ScoringOptions {
        threshold: ThresholdRule::Fixed(0.5),
        tier_rule: TierRule::Quantiles(vec![0.25, 0.25, 0.25]),
        ..ScoringOptions::default()
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The model whose checksum is pinned here and checked again under wasm32 (tests/wasm_engine.rs).
fn pinned_model() -> Model {
    let config = TrainConfig {
        n_trees: 30,
        row_subsample: 0.8,
        col_subsample: 0.7,
        ..TrainConfig::default()
    };
    fit(config, 1500)
}

#[test]
fn gbt_learns_the_toy_signal_and_stops_early() {
    let model = fit(TrainConfig::default(), 3000);
    let auc = test_auc(&model);
    // The generating model's own AUC on this data is about 0.84.
    assert!(auc > 0.80, "test AUC {auc}");
    assert!(model.info.rounds < 1000, "early stopping never fired");
    let valid_auc = model
        .info
        .metrics
        .iter()
        .find(|m| m.name == "valid_auc")
        .unwrap()
        .value;
    assert!(valid_auc > 0.75, "{valid_auc}");
}

#[test]
fn random_forest_learns_and_reports_out_of_bag_auc() {
    let model = fit(TrainConfig::random_forest(), 3000);
    assert!(test_auc(&model) > 0.78);
    assert_eq!(model.trees().len(), 100);
    let oob = model
        .info
        .metrics
        .iter()
        .find(|m| m.name == "oob_auc")
        .unwrap();
    assert!(oob.value > 0.75, "{}", oob.value);
    let p = model.predict_dataset(&toy_dataset(50, 3)).unwrap();
    assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)));
}

#[test]
fn same_seed_same_bytes_and_the_checksum_is_pinned() {
    let a = pinned_model().to_bytes();
    let b = pinned_model().to_bytes();
    assert_eq!(a, b);
    let pinned: u64 = include!("data/engine_model.fnv");
    assert_eq!(fnv(&a), pinned, "model bytes changed: {:#x}", fnv(&a));
    // Without the training profile and the validation report (optional file sections added
    // later) and the validation config keys, the bytes are the ones pinned before they existed:
    // they changed the file, not the trees.
    // The evaluation report (a later section) and the threshold/tier defaults (best F1, tiers
    // that follow the threshold; before: 0.5 and quartiles) changed the file too: refitting the
    // scoring section with the old defaults on the same held-out rows gives the old bytes.
    let fitted = Trainer::new(TrainConfig {
        n_trees: 30,
        row_subsample: 0.8,
        col_subsample: 0.7,
        ..TrainConfig::default()
    })
    .fit_detailed(&toy_dataset(1500, 1), &mut |_| ControlFlow::Continue(()))
    .unwrap();
    let mut bare = fitted.model;
    Scoring::attach(&mut bare, fitted.holdout.as_ref(), &old_scoring()).unwrap();
    bare.evaluation = None;
    bare.training_profile = None;
    bare.validation = None;
    bare.info.config = bare.info.config.replace(
        r#""validation":"auto","folds":5,"rows_in_time_order":false,"#,
        "",
    );
    assert_eq!(fnv(&bare.to_bytes()), 0x1334_e8e8_40ed_12e1);
    let other = fit(
        TrainConfig {
            n_trees: 30,
            row_subsample: 0.8,
            col_subsample: 0.7,
            seed: 7,
            ..TrainConfig::default()
        },
        1500,
    );
    assert_ne!(other.to_bytes(), a, "the seed must matter with subsampling");
}

#[cfg(feature = "parallel")]
#[test]
fn one_thread_and_two_threads_give_the_same_bytes() {
    let run = |threads: usize, algo: Algorithm| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let config = match algo {
                Algorithm::Gbt => TrainConfig {
                    n_trees: 20,
                    ..TrainConfig::default()
                },
                Algorithm::RandomForest => TrainConfig {
                    n_trees: 8,
                    ..TrainConfig::random_forest()
                },
            };
            // 41k rows: large enough for chunked, parallel histograms and for nodes partitioned
            // in chunks on both threads (over 2 × 8,192 rows, the last chunk a partial one).
            Trainer::new(config)
                .fit(&toy_dataset(41_000, 5), &mut |_| ControlFlow::Continue(()))
                .unwrap()
                .to_bytes()
        })
    };
    assert_eq!(run(1, Algorithm::Gbt), run(2, Algorithm::Gbt));
    assert_eq!(
        run(1, Algorithm::RandomForest),
        run(2, Algorithm::RandomForest)
    );
}

#[test]
fn model_files_round_trip_and_score_the_same() {
    for config in [TrainConfig::default(), TrainConfig::random_forest()] {
        let model = fit(
            TrainConfig {
                n_trees: 15,
                ..config
            },
            800,
        );
        let bytes = model.to_bytes();
        assert_eq!(&bytes[..8], MAGIC);
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back, model);
        assert_eq!(back.to_bytes(), bytes);
        let test = toy_dataset(200, 4);
        assert_eq!(
            back.predict_dataset(&test).unwrap(),
            model.predict_dataset(&test).unwrap()
        );
    }
}

#[test]
fn corrupt_truncated_foreign_and_newer_files_are_refused_with_clear_messages() {
    let bytes = fit(
        TrainConfig {
            n_trees: 5,
            ..TrainConfig::default()
        },
        300,
    )
    .to_bytes();
    let err = |b: &[u8]| Model::from_bytes(b).unwrap_err().to_string();

    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(err(&flipped).contains("corrupt"), "{}", err(&flipped));
    assert!(err(&bytes[..bytes.len() - 10]).contains("corrupt"));
    assert!(err(b"age,job\n1,2\n").contains("not a leadforest model"));
    assert!(err(&[]).contains("not a leadforest model"));

    let mut newer = bytes.clone();
    newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let e = err(&newer);
    assert!(
        e.contains("upgrade") && e.contains(&format!("format {}", FORMAT_VERSION + 1)),
        "{e}"
    );
    assert!(e.contains(leadforest::VERSION), "{e}");
}

#[test]
fn progress_reports_rounds_and_break_cancels() {
    let mut seen: Vec<Progress> = Vec::new();
    let model = Trainer::new(TrainConfig {
        n_trees: 40,
        ..TrainConfig::default()
    })
    .fit(&toy_dataset(500, 2), &mut |p| {
        seen.push(p);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(seen[0].round, 1);
    assert!(seen.iter().any(|p| p.stage == Stage::Refitting));
    let boosting: Vec<&Progress> = seen.iter().filter(|p| p.stage == Stage::Boosting).collect();
    assert!(boosting.iter().all(|p| p.valid_loss.is_some()));
    assert!(boosting.last().unwrap().train_loss < boosting[0].train_loss);
    let refits = seen.iter().filter(|p| p.stage == Stage::Refitting).count();
    assert_eq!(refits as u32, model.info.rounds);

    let e = Trainer::new(TrainConfig::default())
        .fit(&toy_dataset(500, 2), &mut |p| {
            if p.round == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
    assert!(matches!(e, leadforest::Error::Cancelled));
}

#[test]
fn bad_settings_and_one_class_data_are_errors() {
    let data = toy_dataset(200, 1);
    let e = Trainer::new(TrainConfig {
        l2: -1.0,
        ..TrainConfig::default()
    })
    .fit(&data, &mut |_| ControlFlow::Continue(()))
    .unwrap_err();
    assert!(e.to_string().contains("`l2`"), "{e}");
    let mut one = data.clone();
    one.labels.iter_mut().for_each(|l| *l = 0);
    let e = Trainer::new(TrainConfig::default())
        .fit(&one, &mut |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert!(e.to_string().contains("same target value"), "{e}");
    let e = Trainer::new(TrainConfig {
        class_weights: Some(vec![1.0]),
        ..TrainConfig::default()
    })
    .fit(&data, &mut |_| ControlFlow::Continue(()))
    .unwrap_err();
    assert!(e.to_string().contains("class_weights"), "{e}");
}

#[test]
fn class_weights_raise_the_positive_rate() {
    let base = fit(
        TrainConfig {
            n_trees: 30,
            early_stopping: false,
            ..TrainConfig::default()
        },
        1000,
    );
    let weighted = fit(
        TrainConfig {
            n_trees: 30,
            early_stopping: false,
            class_weights: Some(vec![1.0, 4.0]),
            ..TrainConfig::default()
        },
        1000,
    );
    let test = toy_dataset(500, 8);
    let mean = |m: &Model| m.predict_dataset(&test).unwrap().iter().sum::<f64>() / 500.0;
    assert!(
        mean(&weighted) > mean(&base) + 0.1,
        "{} vs {}",
        mean(&weighted),
        mean(&base)
    );
}

#[test]
fn multiclass_softmax_learns_three_classes() {
    let mut data = toy_dataset(3000, 11);
    // Class from the signal's tercile: 0, 1, 2.
    let x = data.features[0].values.clone();
    data.labels = x
        .iter()
        .zip(&data.labels)
        .map(|(&v, &l)| {
            if v.is_nan() {
                l
            } else if v < -0.6 {
                0
            } else if v < 0.6 {
                1
            } else {
                2
            }
        })
        .collect();
    data.class_names = vec!["a".into(), "b".into(), "c".into()];
    for config in [
        TrainConfig::default(),
        TrainConfig {
            n_trees: 30,
            ..TrainConfig::random_forest()
        },
    ] {
        let model = Trainer::new(config)
            .fit(&data, &mut |_| ControlFlow::Continue(()))
            .unwrap();
        assert_eq!(model.n_outputs(), 3);
        let p = model.predict_dataset(&data).unwrap();
        for row in p.chunks(3) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let acc = leadforest::metrics::multiclass_accuracy(&p, 3, &data.labels).unwrap();
        assert!(acc > 0.85, "{acc}");
    }
}

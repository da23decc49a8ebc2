//! Bench-only driver for `benches/speed.py` (not part of the product, never run by the tests):
//! times leadforest's library calls with the CSV already parsed, and prints one JSON line.
//!
//! ```text
//! bench_speed train   CSV TARGET POSITIVE THREADS TREES LEAVES LR BINS [MODEL_OUT]
//! bench_speed score   MODEL CSV REPEATS
//! bench_speed explain MODEL CSV REPEATS
//! bench_speed fit     TRAIN_CSV TEST_CSV TARGET POSITIVE gbt|rf|gbt-refit|gbt-norefit PROBS_OUT [SEED]
//! ```
//!
//! `fit` trains with the library's defaults (as `leadforest train` does) and writes one test-row
//! probability per line: the accuracy suite's fallback while the CLI lacks `train`/`score`;
//! `gbt-refit` / `gbt-norefit` are the defaults with the refit on all rows forced on / off
//! (benches/refit.py), SEED the default seed replaced.
//!
//! `train` uses the engine's default configuration except the fields the speed protocol fixes for
//! both libraries (trees, leaves, learning rate, bins) and no early stopping, so every row trains
//! every tree. Threads come from `RAYON_NUM_THREADS` (set by speed.py; THREADS is echoed back).
//! `score` times raw margins + probabilities of the encoded batch (no CSV parsing), like
//! LightGBM's `predict` on a numeric matrix; it also reports the time with the encoding from the
//! parsed table. `explain` times TreeSHAP over the same rows.

// Timing is this program's whole purpose; the library itself never reads the clock.
#![allow(clippy::disallowed_methods)]

use std::process::ExitCode;
use std::time::Instant;

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, Table};
use leadforest::explain::Explainer;
use leadforest::model::Model;
use leadforest::train::{TrainConfig, Trainer};

type Res<T> = Result<T, String>;

fn read(path: &str) -> Res<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn arg<T: std::str::FromStr>(args: &[String], i: usize, what: &str) -> Res<T> {
    args.get(i)
        .ok_or_else(|| format!("missing argument {i}: {what}"))?
        .parse()
        .map_err(|_| format!("argument {i} ({what}) is not valid: {}", args[i]))
}

fn table(path: &str) -> Res<Table> {
    Table::from_csv(&read(path)?, &CsvOptions::default()).map_err(|e| e.to_string())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn train(args: &[String]) -> Res<String> {
    let (csv, target, positive) = (&args[2], &args[3], &args[4]);
    let threads: u32 = arg(args, 5, "threads")?;
    let t0 = Instant::now();
    let table = table(csv)?;
    let options = DatasetOptions {
        positive: vec![positive.clone()],
        ..DatasetOptions::target(target)
    };
    let data = Dataset::new(&table, &options).map_err(|e| e.to_string())?;
    let parse_seconds = t0.elapsed().as_secs_f64();
    let config = TrainConfig {
        n_trees: arg(args, 6, "trees")?,
        max_leaves: arg(args, 7, "leaves")?,
        learning_rate: arg(args, 8, "learning rate")?,
        max_bins: arg(args, 9, "bins")?,
        early_stopping: false,
        ..TrainConfig::default()
    };
    let t0 = Instant::now();
    let model = Trainer::new(config)
        .fit(&data, &mut |_| std::ops::ControlFlow::Continue(()))
        .map_err(|e| e.to_string())?;
    let train_seconds = t0.elapsed().as_secs_f64();
    if let Some(out) = args.get(10) {
        std::fs::write(out, model.to_bytes()).map_err(|e| format!("cannot write {out}: {e}"))?;
    }
    Ok(format!(
        "{{\"rows\":{},\"threads\":{threads},\"trees\":{},\"parse_seconds\":{parse_seconds},\"train_seconds\":{train_seconds}}}",
        data.n_rows(),
        model.trees().len()
    ))
}

fn load(args: &[String]) -> Res<(Model, Table, usize)> {
    let model = Model::from_bytes(&read(&args[2])?).map_err(|e| e.to_string())?;
    let table = table(&args[3])?;
    let repeats: usize = arg(args, 4, "repeats")?;
    Ok((model, table, repeats.max(1)))
}

fn score(args: &[String]) -> Res<String> {
    let (model, table, repeats) = load(args)?;
    let columns = model
        .pipeline
        .features_from_table(&table)
        .map_err(|e| e.to_string())?;
    let (mut runs, mut with_encoding) = (Vec::new(), Vec::new());
    let mut check = 0.0;
    for _ in 0..repeats {
        let t0 = Instant::now();
        let p = model.probabilities(&model.predict_columns(&columns));
        runs.push(t0.elapsed().as_secs_f64());
        check += p.iter().sum::<f64>();
        let t0 = Instant::now();
        let cols = model
            .pipeline
            .features_from_table(&table)
            .map_err(|e| e.to_string())?;
        let p = model.probabilities(&model.predict_columns(&cols));
        with_encoding.push(t0.elapsed().as_secs_f64());
        check += p.iter().sum::<f64>();
    }
    Ok(format!(
        "{{\"rows\":{},\"trees\":{},\"seconds\":{runs:?},\"median_seconds\":{},\"with_encoding_median_seconds\":{},\"check\":{check}}}",
        table.n_rows,
        model.trees().len(),
        median(runs.clone()),
        median(with_encoding)
    ))
}

fn explain(args: &[String]) -> Res<String> {
    let (model, table, repeats) = load(args)?;
    let columns = model
        .pipeline
        .features_from_table(&table)
        .map_err(|e| e.to_string())?;
    let nf = columns.len();
    let rows: Vec<Vec<f64>> = (0..table.n_rows)
        .map(|r| columns.iter().map(|c| c[r]).collect())
        .collect();
    let mut explainer =
        Explainer::new(model.trees(), &model.base_score, nf).map_err(|e| e.to_string())?;
    let mut phi = Vec::with_capacity(nf);
    let mut runs = Vec::new();
    let mut check = 0.0;
    for _ in 0..repeats {
        let t0 = Instant::now();
        for row in &rows {
            check += explainer.explain_into(row, 0, &mut phi);
            check += phi.iter().sum::<f64>();
        }
        runs.push(t0.elapsed().as_secs_f64());
    }
    Ok(format!(
        "{{\"rows\":{},\"trees\":{},\"seconds\":{runs:?},\"median_seconds\":{},\"check\":{check}}}",
        rows.len(),
        model.trees().len(),
        median(runs.clone())
    ))
}

fn fit(args: &[String]) -> Res<String> {
    let (train_csv, test_csv, target, positive, algo, out) =
        (&args[2], &args[3], &args[4], &args[5], &args[6], &args[7]);
    let options = DatasetOptions {
        positive: vec![positive.clone()],
        ..DatasetOptions::target(target)
    };
    let data = Dataset::new(&table(train_csv)?, &options).map_err(|e| e.to_string())?;
    let mut config = match algo.as_str() {
        "rf" => TrainConfig::random_forest(),
        "gbt-refit" => TrainConfig {
            refit: Some(true),
            ..TrainConfig::default()
        },
        "gbt-norefit" => TrainConfig {
            refit: Some(false),
            ..TrainConfig::default()
        },
        _ => TrainConfig::default(),
    };
    if args.len() > 8 {
        config.seed = arg(args, 8, "seed")?;
    }
    let t0 = Instant::now();
    let model = Trainer::new(config)
        .fit(&data, &mut |_| std::ops::ControlFlow::Continue(()))
        .map_err(|e| e.to_string())?;
    let train_seconds = t0.elapsed().as_secs_f64();
    let test = table(test_csv)?;
    let columns = model
        .pipeline
        .features_from_table(&test)
        .map_err(|e| e.to_string())?;
    let p = model.probabilities(&model.predict_columns(&columns));
    let text: String = p.iter().map(|x| format!("{x}\n")).collect();
    std::fs::write(out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    Ok(format!(
        "{{\"rows\":{},\"trees\":{},\"train_seconds\":{train_seconds},\"model_bytes\":{}}}",
        p.len(),
        model.trees().len(),
        model.to_bytes().len()
    ))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("train") if args.len() >= 10 => train(&args),
        Some("score") if args.len() >= 5 => score(&args),
        Some("explain") if args.len() >= 5 => explain(&args),
        Some("fit") if args.len() >= 8 => fit(&args),
        _ => Err("usage: see the top of benches/rust/bench_speed.rs".into()),
    };
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

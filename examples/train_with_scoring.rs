//! Trains a model on a CSV with default settings and stores calibration, tiers and threshold
//! fitted on its held-out rows — what `leadforest train` does — for tests and demos that need a
//! model file without going through the CLI's options.
//!
//! `cargo run --example train_with_scoring -- DATA.csv TARGET MODEL_OUT ["Col A,Col B" to drop]`

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, Table};
use leadforest::model::scoring::{Scoring, ScoringOptions};
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        return Err("usage: train_with_scoring DATA.csv TARGET MODEL_OUT [DROP]".into());
    }
    let table = Table::from_csv(&std::fs::read(&args[1])?, &CsvOptions::default())?;
    let options = DatasetOptions {
        drop: args
            .get(4)
            .map(|d| d.split(',').map(|s| s.trim().to_string()).collect())
            .unwrap_or_default(),
        ..DatasetOptions::target(&args[2])
    };
    let data = Dataset::new(&table, &options)?;
    let fitted = Trainer::new(TrainConfig::default())
        .fit_detailed(&data, &mut |_| ControlFlow::Continue(()))?;
    let mut model = fitted.model;
    Scoring::attach(
        &mut model,
        fitted.holdout.as_ref(),
        &ScoringOptions::default(),
    )?;
    std::fs::write(&args[3], model.to_bytes())?;
    Ok(())
}

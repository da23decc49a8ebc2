//! `leadforest eval`: a model's metrics on labelled data.

use anyhow::{bail, Context, Result};
use leadforest::metrics;
use std::path::{Path, PathBuf};

/// Arguments of `leadforest eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// The model file.
    pub model: PathBuf,
    /// Labelled CSV (with the model's target column).
    pub data: PathBuf,
    /// Print one JSON object (auc, pr_auc, log_loss, brier, rows, …) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Reads a model file, naming it in errors.
pub fn read_model(path: &Path) -> Result<leadforest::model::Model> {
    let bytes = crate::read_file(path)?;
    leadforest::model::Model::from_bytes(&bytes).with_context(|| format!("{}", path.display()))
}

/// Runs `leadforest eval`.
pub fn run(args: EvalArgs) -> Result<()> {
    let model = read_model(&args.model)?;
    let table = crate::train::read_table(&args.data, model.pipeline.missing.clone())?;
    let scores = model
        .score_table(&table)
        .with_context(|| format!("{}", args.data.display()))?;
    let labels = model
        .labels_from_table(&table)
        .with_context(|| format!("{}", args.data.display()))?;
    let k = if model.n_classes() == 2 {
        1
    } else {
        model.n_classes()
    };
    let (mut probs, mut y) = (Vec::new(), Vec::new());
    for (r, l) in labels.iter().enumerate() {
        if let Some(l) = l {
            probs.extend_from_slice(&scores.probabilities[r * k..(r + 1) * k]);
            y.push(*l);
        }
    }
    let skipped = labels.len() - y.len();
    if y.is_empty() {
        bail!(
            "{}: no row has a known value in the target column `{}` (classes: {})",
            args.data.display(),
            model.info.target,
            model.class_names.join(", ")
        );
    }
    for w in &scores.warnings {
        eprintln!("warning: {}: {w}", args.data.display());
    }
    if skipped > 0 {
        eprintln!(
            "note: {skipped} rows left out: their `{}` is missing or not one of {}",
            model.info.target,
            model.class_names.join(", ")
        );
    }
    if args.json {
        let value = if model.n_classes() == 2 {
            let yb: Vec<bool> = y.iter().map(|&l| l == 1).collect();
            let r = metrics::binary_report(&probs, &yb, 0.5)
                .with_context(|| format!("{}", args.data.display()))?;
            let mut v = serde_json::to_value(&r)?;
            v["rows_skipped"] = skipped.into();
            v
        } else {
            let r = metrics::multiclass_report(&probs, model.n_classes(), &y)
                .with_context(|| format!("{}", args.data.display()))?;
            let mut v = serde_json::to_value(&r)?;
            v["auc"] = r.macro_auc.into();
            v["rows_skipped"] = skipped.into();
            v
        };
        outln!("{}", serde_json::to_string(&value)?);
    } else {
        outln!(
            "{} on {} ({} rows):",
            args.model.display(),
            args.data.display(),
            y.len()
        );
        print_summary(&probs, &y, model.n_classes())?;
    }
    Ok(())
}

/// Prints the headline metrics of held-out or evaluation predictions.
pub fn print_summary(probs: &[f64], labels: &[u32], n_classes: usize) -> Result<()> {
    if n_classes == 2 {
        let y: Vec<bool> = labels.iter().map(|&l| l == 1).collect();
        let r = metrics::binary_report(probs, &y, 0.5)?;
        outln!("  ROC AUC   {:.4}", r.auc);
        outln!("  PR AUC    {:.4}", r.pr_auc);
        outln!("  log loss  {:.4}", r.log_loss);
        outln!("  Brier     {:.4}", r.brier);
        let t = &r.at_threshold;
        outln!(
            "  at 0.5    precision {:.3}, recall {:.3}, F1 {:.3}, accuracy {:.3}",
            t.precision,
            t.recall,
            t.f1,
            t.accuracy
        );
        if let Some(top) = r.gains.first() {
            outln!("  top 10%   lift {:.2}", top.lift);
        }
        outln!("  rows      {} ({} positive)", r.rows, r.positives);
    } else {
        let r = metrics::multiclass_report(probs, n_classes, labels)?;
        outln!("  accuracy  {:.4}", r.accuracy);
        outln!("  macro F1  {:.4}", r.macro_f1);
        if let Some(a) = r.macro_auc {
            outln!("  macro AUC {a:.4}");
        }
        outln!("  log loss  {:.4}", r.log_loss);
        outln!("  rows      {}", r.rows);
    }
    Ok(())
}

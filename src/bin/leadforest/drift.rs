//! `leadforest drift MODEL NEW.csv`: how far new leads have moved from the training data (PSI per
//! input and for the score, with plain-words levels).

use anyhow::{Context, Result};
use leadforest::lifecycle::{drift, DriftReport, FeatureDrift};
use std::path::PathBuf;

/// Arguments of `leadforest drift`.
#[derive(clap::Args)]
pub struct DriftArgs {
    /// The model file (trained by this leadforest: it carries the training profile).
    pub model: PathBuf,
    /// A CSV of newer leads (the model's columns; with the target column too, the report also
    /// compares outcome rates).
    pub data: PathBuf,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

fn line(f: &FeatureDrift) -> Result<()> {
    outln!("  {:<32} {:>7.3}  {}", f.name, f.psi, f.words);
    Ok(())
}

/// Prints a drift report as a table (largest PSI first).
pub fn print_report(r: &DriftReport) -> Result<()> {
    outln!(
        "drift of {} new rows against {} training rows (PSI: < 0.1 stable, 0.1–0.25 moderate \
         shift, > 0.25 major shift)",
        r.rows,
        r.reference_rows
    );
    outln!("  {:<32} {:>7}  level", "input", "PSI");
    if let Some(s) = &r.score {
        line(s)?;
    }
    for f in &r.features {
        line(f)?;
    }
    if !r.unused_columns.is_empty() {
        outln!("  not used by the model (one value on every training row):");
        for f in &r.unused_columns {
            line(f)?;
        }
    }
    if let Some(o) = &r.outcome {
        let pct = |x: f64| format!("{:.1} %", 100.0 * x);
        match (o.training_rate, o.actual_rate, o.predicted_rate) {
            (Some(t), Some(a), Some(p)) => outln!(
                "  outcome `{}`: {} positive in {} new rows with an outcome (training {}, the \
                 model expects {}); PSI {:.3}, {}",
                o.target,
                pct(a),
                o.rows,
                pct(t),
                pct(p),
                o.psi,
                o.words
            ),
            _ => outln!(
                "  outcome `{}` ({} new rows with an outcome): {}; PSI {:.3}, {}",
                o.target,
                o.rows,
                o.bins
                    .iter()
                    .map(|b| format!(
                        "{} {} (training {})",
                        b.label,
                        pct(b.actual),
                        pct(b.expected)
                    ))
                    .collect::<Vec<_>>()
                    .join(", "),
                o.psi,
                o.words
            ),
        }
    }
    for w in &r.warnings {
        outln!("warning: {w}");
    }
    outln!("{}", r.summary);
    Ok(())
}

/// Runs `leadforest drift`.
pub fn run(args: DriftArgs) -> Result<()> {
    let model = crate::eval::read_model(&args.model)?;
    let table = crate::train::read_table(&args.data, model.pipeline.missing.clone())?;
    let report = drift(&model, &table)
        .with_context(|| format!("{} against {}", args.model.display(), args.data.display()))?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report)?;
    }
    Ok(())
}

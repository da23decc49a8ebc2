//! `leadforest retrain MODEL NEW.csv`: a challenger trained with the champion's settings on old +
//! new outcomes (or a sliding window), compared with the champion on the newest period.

use anyhow::{Context, Result};
use leadforest::lifecycle::{retrain, ModelResult, RetrainOptions};
use leadforest::limits::thousands;
use std::ops::ControlFlow;
use std::path::PathBuf;

/// Arguments of `leadforest retrain`.
#[derive(clap::Args)]
pub struct RetrainArgs {
    /// The current model (the champion).
    pub model: PathBuf,
    /// A CSV of newer leads with their outcomes.
    pub new: PathBuf,
    /// The older labelled leads to train on as well (e.g. the champion's training CSV).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Train only on leads created within this many days of the newest one (needs a date column).
    #[arg(long)]
    pub window: Option<f64>,
    /// Where to write the challenger (default: next to MODEL, `*.challenger.lf`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of the bootstrap confidence interval.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print one JSON object instead of the summary.
    #[arg(long)]
    pub json: bool,
}

fn row(name: &str, m: &ModelResult) -> Result<()> {
    outln!(
        "  {name:<11} {:>6.3} {:>7.4} {:>6.3} {:>9.2} {:>7} {:>9.1}% {:>5.2}",
        m.auc,
        m.brier,
        m.ece,
        m.threshold,
        m.flagged,
        100.0 * m.precision,
        m.lift
    );
    Ok(())
}

/// Runs `leadforest retrain`.
pub fn run(args: RetrainArgs) -> Result<()> {
    let bytes = crate::read_file(&args.model)?;
    let champion = leadforest::model::Model::from_bytes(&bytes)
        .with_context(|| format!("{}", args.model.display()))?;
    let new = crate::train::read_table(&args.new, champion.pipeline.missing.clone())?;
    let old = match &args.data {
        Some(p) => Some(crate::train::read_table(
            p,
            champion.pipeline.missing.clone(),
        )?),
        None => None,
    };
    let mut created_by = format!(
        "leadforest retrain {} {}",
        args.model.display(),
        args.new.display()
    );
    if let Some(p) = &args.data {
        created_by.push_str(&format!(" --data {}", p.display()));
    }
    if let Some(w) = args.window {
        created_by.push_str(&format!(" --window {w}"));
    }
    let options = RetrainOptions {
        window_days: args.window,
        compare: leadforest::lifecycle::CompareOptions {
            seed: args.seed,
            ..Default::default()
        },
        created_by,
        ..RetrainOptions::default()
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.model.with_extension("challenger.lf"));
    let result = retrain(&champion, &bytes, old.as_ref(), &new, &options, &mut |_| {
        ControlFlow::Continue(())
    })
    .with_context(|| format!("retraining {}", args.model.display()))?;
    let written = result.challenger.to_bytes();
    std::fs::write(&out, &written).with_context(|| format!("cannot write {}", out.display()))?;
    let c = &result.comparison;
    if args.json {
        let lineage = result.challenger.lineage.as_ref();
        let v = serde_json::json!({
            "comparison": c,
            "lineage": lineage.map(|l| serde_json::json!({
                "parent_checksum": l.parent_checksum,
                "first_date": l.first_date,
                "last_date": l.last_date,
                "old_rows": l.old_rows,
                "new_rows": l.new_rows,
                "total_rows": l.total_rows,
                "holdout_rows": l.holdout_rows,
                "created_by": l.created_by,
            })),
            "compared": {
                "first_date": result.compared.first_date,
                "last_date": result.compared.last_date,
                "old_rows": result.compared.old_rows,
                "new_rows": result.compared.new_rows,
                "total_rows": result.compared.total_rows,
            },
            "refit": result.refit.map(|r| serde_json::json!({
                "rows": r.rows,
                "rounds": r.rounds,
            })),
            "notes": result.notes,
            "challenger": out.display().to_string(),
        });
        outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    for n in &result.notes {
        outln!("note: {n}");
    }
    let dated = |l: &leadforest::lifecycle::Lineage| match (&l.first_date, &l.last_date) {
        (Some(a), Some(b)) => format!(", dated {a} to {b}"),
        _ => String::new(),
    };
    let l = &result.compared;
    outln!(
        "challenger compared: trained on {} rows ({} old + {} new){}, the newest period held out",
        thousands(l.total_rows),
        thousands(l.old_rows),
        thousands(l.new_rows),
        dated(l)
    );
    outln!(
        "newest period: {} leads, {} converted ({:.1}%)",
        c.rows,
        c.positives,
        100.0 * c.positives as f64 / c.rows.max(1) as f64
    );
    outln!(
        "  {:<11} {:>6} {:>7} {:>6} {:>9} {:>7} {:>10} {:>5}",
        "model",
        "AUC",
        "Brier",
        "ECE",
        "threshold",
        "flagged",
        "precision",
        "lift"
    );
    row("champion", &c.champion)?;
    row("challenger", &c.challenger)?;
    outln!(
        "AUC difference {:+.4}, {:.0}% bootstrap interval {:+.4} to {:+.4} ({} paired resamples)",
        c.auc_difference,
        100.0 * c.confidence,
        c.ci_low,
        c.ci_high,
        c.resamples
    );
    outln!(
        "Brier difference {:+.4}, interval {:+.4} to {:+.4} (below 0 = challenger's probabilities closer)",
        c.brier_difference,
        c.brier_ci_low,
        c.brier_ci_high
    );
    outln!(
        "recommendation: {}",
        match c.recommendation {
            leadforest::lifecycle::Recommendation::Switch => "switch",
            leadforest::lifecycle::Recommendation::Keep => "keep",
        }
    );
    outln!("{}", c.reason);
    match (&result.refit, &result.challenger.lineage) {
        (Some(r), Some(l)) => outln!(
            "the model written was refit on all {} rows after the comparison ({} old + {} new, \
             the newest period included{}{}) → {}; the figures above are of the challenger \
             trained without the newest period",
            thousands(r.rows),
            thousands(l.old_rows),
            thousands(l.new_rows),
            dated(l),
            r.rounds
                .map(|n| format!("; {n} boosting rounds, as early stopping chose"))
                .unwrap_or_default(),
            out.display()
        ),
        _ => outln!(
            "the model written is the compared challenger (refit is off in the champion's \
             settings) → {}",
            out.display()
        ),
    }
    Ok(())
}

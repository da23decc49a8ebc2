//! `leadforest train`: CSV → model file, with a metrics summary on the held-out rows.

use anyhow::{bail, Context, Result};
use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::train::{AlgoName, Progress, SplitMode, Stage, TrainOptions, Trainer};
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Arguments of `leadforest train`.
#[derive(clap::Args)]
pub struct TrainArgs {
    /// The training CSV.
    pub data: PathBuf,
    /// The column to predict.
    #[arg(long)]
    pub target: String,
    /// Target value that counts as positive (repeat for several); default: automatic.
    #[arg(long)]
    pub positive: Vec<String>,
    /// Columns to leave out, comma-separated (names may contain spaces: "Lead Number,Tags").
    #[arg(long)]
    pub drop: Vec<String>,
    /// Train on a column taken as personal data anyway (repeatable, or comma-separated): it is
    /// used as categories (values on fewer than 10 rows are still never stored) and the model
    /// file records that you allowed it.
    #[arg(long = "allow-personal", value_name = "COLUMN")]
    pub allow_personal: Vec<String>,
    /// Extra missing-value placeholders, comma-separated (e.g. Select).
    #[arg(long)]
    pub missing: Vec<String>,
    /// Learner: gbt (gradient boosting, default) or rf (random forest).
    #[arg(long, default_value = "gbt")]
    pub algo: String,
    /// Random seed (same data + settings + seed ⇒ the same model bytes).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where to write the model.
    #[arg(long)]
    pub out: PathBuf,
    /// Boosting rounds (a maximum when early stopping) or forest trees.
    #[arg(long)]
    pub trees: Option<u32>,
    /// Boosting learning rate, in (0, 1].
    #[arg(long)]
    pub learning_rate: Option<f64>,
    /// Most leaves per tree.
    #[arg(long)]
    pub max_leaves: Option<u32>,
    /// Most value bins per numeric feature (2..=255).
    #[arg(long)]
    pub max_bins: Option<u32>,
    /// Fraction of rows each boosting tree sees, in (0, 1].
    #[arg(long)]
    pub row_subsample: Option<f64>,
    /// Fraction of features each tree may use, in (0, 1].
    #[arg(long)]
    pub col_subsample: Option<f64>,
    /// Fewest training rows per leaf.
    #[arg(long)]
    pub min_samples_leaf: Option<u32>,
    /// Train exactly --trees rounds, no early stopping: on all rows with no held-out rows (with
    /// --validation holdout or time, a model of the training rows is measured on the held-out
    /// rows first, and the file's model is retrained on all rows as with --refit).
    #[arg(long)]
    pub no_early_stopping: bool,
    /// After measuring on the held-out rows, always retrain on all rows (with the round count
    /// early stopping chose). Default (gbt): refit when the file has at most 100,000 rows; above
    /// that the measured model is kept (BENCHMARKS.md: what the refit costs and earns); (rf):
    /// always.
    #[arg(long, conflicts_with = "no_refit")]
    pub refit: bool,
    /// Keep the model measured on the held-out rows (trained on the training rows only): no
    /// second run on all rows.
    #[arg(long)]
    pub no_refit: bool,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// How to validate: auto (time-ordered when the data has a date, else a random holdout),
    /// holdout (stratified random), time (train on the past, test on the future) or kfold.
    #[arg(long, default_value = "auto")]
    pub validation: String,
    /// Folds for --validation kfold (2..=20).
    #[arg(long, default_value_t = 5)]
    pub folds: u32,
    /// Share of rows tested by the holdout and time splits (also the early-stopping rows), in (0, 0.5].
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// The rows are in time order: time-ordered validation follows the file order when there is
    /// no date column.
    #[arg(long)]
    pub rows_in_time_order: bool,
    /// Print one JSON object (model summary, held-out metrics, validation report) instead of text.
    #[arg(long)]
    pub json: bool,
    /// The training date stored in the model (shown by `inspect` and the app's card); default:
    /// today (UTC, YYYY-MM-DD); `none` stores no date (same model bytes as a JS training
    /// without `trainedAt`).
    #[arg(long, value_name = "DATE")]
    pub trained_at: Option<String>,
}

/// Today's date (UTC) as YYYY-MM-DD: the CLI is the writer that knows the clock.
fn today() -> String {
    #[allow(clippy::disallowed_methods)] // the CLI may read the clock (native only)
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = leadforest::demo::civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Splits comma-separated list arguments (each flag may also be repeated).
pub fn split_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads a CSV file into a table, naming the file in errors.
pub fn read_table(path: &Path, missing: Vec<String>) -> Result<Table> {
    let bytes = crate::read_file(path)?;
    Table::from_csv(
        &bytes,
        &CsvOptions {
            missing,
            ..CsvOptions::default()
        },
    )
    .with_context(|| format!("{}", path.display()))
}

/// Sets the rayon pool size when asked.
pub fn set_threads(threads: Option<usize>) -> Result<()> {
    #[cfg(feature = "parallel")]
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot set the thread count")?;
    }
    #[cfg(not(feature = "parallel"))]
    let _ = threads;
    Ok(())
}

/// The flags as the library's [`TrainOptions`] (the one options → settings mapping the JS API
/// shares).
fn train_options(args: &TrainArgs) -> Result<TrainOptions> {
    let algo = match args.algo.to_ascii_lowercase().as_str() {
        "gbt" | "gbdt" | "boosting" => AlgoName::Gbt,
        "rf" | "forest" | "random-forest" => AlgoName::Rf,
        other => {
            bail!("unknown --algo {other:?}: use gbt (gradient boosting) or rf (random forest)")
        }
    };
    Ok(TrainOptions {
        target: args.target.clone(),
        positive: args.positive.clone(),
        drop: split_list(&args.drop),
        missing: split_list(&args.missing),
        algo,
        seed: args.seed,
        trees: args.trees,
        learning_rate: args.learning_rate,
        max_leaves: args.max_leaves,
        max_bins: args.max_bins,
        row_subsample: args.row_subsample,
        col_subsample: args.col_subsample,
        min_samples_leaf: args.min_samples_leaf,
        early_stopping: args.no_early_stopping.then_some(false),
        refit: if args.refit {
            Some(true)
        } else {
            args.no_refit.then_some(false)
        },
        exclude_leaky: false,
        validation: args.validation.clone(),
        folds: args.folds,
        test_fraction: args.test_fraction,
        rows_in_time_order: args.rows_in_time_order,
        trained_at: match args.trained_at.as_deref() {
            None => Some(today()),
            Some(d) if d.trim().eq_ignore_ascii_case("none") || d.trim().is_empty() => None,
            Some(d) => Some(d.trim().to_string()),
        },
        allow_personal: split_list(&args.allow_personal),
    })
}

/// Runs `leadforest train`.
pub fn run(args: TrainArgs) -> Result<()> {
    set_threads(args.threads)?;
    let options = train_options(&args)?;
    let config = options.config().context("--validation")?;
    let trained_at = options.trained_at.clone();
    let table = read_table(&args.data, options.missing.clone())?;
    let options: DatasetOptions = options.dataset();
    let tty = std::io::stderr().is_terminal();
    let mut bar = |p: Progress| {
        if tty {
            draw_progress(&p);
        }
        ControlFlow::Continue(())
    };
    #[allow(clippy::disallowed_methods)] // the CLI may read the clock (native only)
    let started = std::time::Instant::now();
    // The dataset is built here (not by `fit_table`) so that its notes — encoding fallback,
    // excluded columns, rows without a target — reach the user before training starts.
    let data = leadforest::data::Dataset::new(&table, &options)
        .and_then(|d| leadforest::data::check_class_rows(&d, &options.target).map(|()| d))
        .with_context(|| format!("{}", args.data.display()))?;
    for note in &data.notes {
        eprintln!("note: {note}");
    }
    let trainer = Trainer::new(config);
    // How the model will be validated (e.g. a time-ordered split replaced by a holdout because
    // its latest rows hold one outcome), or why it cannot be: said before training starts.
    for note in trainer
        .validation_notes(&data)
        .with_context(|| format!("{}", args.data.display()))?
    {
        eprintln!("note: {note}");
    }
    // The Trainer also fits calibration, tiers and threshold on the held-out predictions.
    let mut fitted = trainer
        .fit_detailed(&data, &mut bar)
        .with_context(|| format!("{}", args.data.display()))?;
    fitted.model.trained_at = trained_at;
    fitted.model.info.target = table
        .column(&options.target)
        .map_or_else(|| options.target.clone(), |c| c.name.clone());
    crate::leaks::print_model_warnings(&fitted.model, &data, fitted.holdout.as_ref())?;
    drop(data);
    if tty {
        eprint!("\r{:70}\r", "");
    }
    let seconds = started.elapsed().as_secs_f64();
    let model = &fitted.model;
    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let algo = match model.kind {
        leadforest::model::ModelKind::GradientBoosting => "gradient boosting",
        leadforest::model::ModelKind::RandomForest => "random forest",
    };
    if args.json {
        let metrics: serde_json::Map<String, serde_json::Value> = model
            .info
            .metrics
            .iter()
            .map(|m| (m.name.clone(), serde_json::json!(m.value)))
            .collect();
        let out = serde_json::json!({
            "model": args.out.display().to_string(),
            "bytes": bytes.len(),
            "algo": algo,
            "rows": model.info.rows,
            "features": model.features.len(),
            "rounds": model.info.rounds,
            "seconds": seconds,
            "metrics": metrics,
            "validation": model.validation,
            "evaluation": model.evaluation,
            "trained_at": model.trained_at,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    outln!(
        "trained {algo} on {} rows × {} features in {seconds:.1} s: {} {} → {} ({} KB)",
        model.info.rows,
        model.features.len(),
        model.info.rounds,
        if model.kind == leadforest::model::ModelKind::RandomForest {
            "trees"
        } else {
            "rounds"
        },
        args.out.display(),
        bytes.len().div_ceil(1024)
    );
    if let Some(h) = &fitted.holdout {
        let what = if h.out_of_bag {
            "out-of-bag rows".to_string()
        } else {
            format!("held-out validation rows ({})", h.rows.len())
        };
        outln!("metrics on {what}:");
        crate::eval::print_summary(&h.probabilities, &h.labels, model.n_classes())?;
    } else {
        outln!("no held-out rows (early stopping off): no validation metrics");
    }
    if let Some(e) = &model.evaluation {
        crate::eval::print_evaluation("evaluation", e)?;
    }
    if let Some(v) = &model.validation {
        outln!("validation: {}", v.summary());
        if v.mode == SplitMode::KFold {
            let per_fold: Vec<String> = v
                .folds
                .iter()
                .map(|f| match (f.auc, f.accuracy) {
                    (Some(a), _) => format!("{a:.3}"),
                    (None, Some(a)) => format!("acc {a:.3}"),
                    _ => "n/a".into(),
                })
                .collect();
            outln!("  per fold: {}", per_fold.join(", "));
            if let (Some(ll), Some(br), Some(sd)) = (v.metrics.log_loss, v.metrics.brier, &v.sd) {
                outln!(
                    "  PR-AUC {:.3} ± {:.3}, log loss {ll:.4} ± {:.4}, Brier {br:.4} ± {:.4}",
                    v.metrics.pr_auc.unwrap_or(f64::NAN),
                    sd.pr_auc.unwrap_or(f64::NAN),
                    sd.log_loss.unwrap_or(f64::NAN),
                    sd.brier.unwrap_or(f64::NAN)
                );
            }
        }
    }
    Ok(())
}

fn draw_progress(p: &Progress) {
    let width = 30;
    let done = (p.round as usize * width / p.total_rounds.max(1) as usize).min(width);
    let stage = match p.stage {
        Stage::Boosting => "boosting".to_string(),
        Stage::Refitting => "refitting".to_string(),
        Stage::Forest => "trees".to_string(),
        Stage::Fold { fold, folds } => format!("fold {fold}/{folds}"),
    };
    let loss = match p.valid_loss {
        Some(v) => format!("valid loss {v:.4}"),
        None if p.train_loss.is_finite() => format!("train loss {:.4}", p.train_loss),
        None => String::new(),
    };
    eprint!(
        "\r[{}{}] {stage} {}/{} {loss}   ",
        "#".repeat(done),
        " ".repeat(width - done),
        p.round,
        p.total_rounds
    );
    let _ = std::io::stderr().flush();
}

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
    /// Print one JSON object (auc, pr_auc, log_loss, brier, rows, …; multi-class models also
    /// per_class, confusion_matrix, baseline_majority, baseline_prior; validated_at_training:
    /// how training validated the model, `null` for files from before) instead of text.
    #[arg(long)]
    pub json: bool,
    /// A deal-value column (amount, deal size): adds the share of the converted leads' total
    /// value captured by the top 5, 10, 20 and 50 % of leads, against random order (`value`).
    #[arg(long, value_name = "COLUMN")]
    pub value: Option<String>,
}

/// Reads a model file, naming it in errors.
pub fn read_model(path: &Path) -> Result<leadforest::model::Model> {
    // The size limit before reading, so a huge non-model file is never loaded.
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    leadforest::limits::check_model_bytes(usize::try_from(len).unwrap_or(usize::MAX))
        .with_context(|| format!("{}", path.display()))?;
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
    let gains = crate::crm::eval_gains(&model, &table, &args)?;
    if args.json {
        let mut value = if model.n_classes() == 2 {
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
            let e = metrics::multiclass_evaluation(&probs, &model.class_names, &y)
                .with_context(|| format!("{}", args.data.display()))?;
            add_multiclass_json(&mut v, &e, &model.class_names);
            v
        };
        let options = leadforest::model::evaluation::EvaluateOptions::default();
        value["evaluation"] = serde_json::to_value(
            model
                .evaluate_table(&table, &options)
                .with_context(|| format!("{}", args.data.display()))?,
        )?;
        value["evaluation_at_training"] = serde_json::to_value(&model.evaluation)?;
        value["validated_at_training"] = match &model.validation {
            Some(t) => {
                let mut j = serde_json::to_value(t)?;
                j["summary"] = t.summary().into();
                j
            }
            None => serde_json::Value::Null,
        };
        if let Some(g) = &gains {
            value["value"] = serde_json::to_value(g)?;
        }
        outln!("{}", serde_json::to_string(&value)?);
    } else {
        outln!(
            "{} on {} ({} rows):",
            args.model.display(),
            args.data.display(),
            y.len()
        );
        outln!(
            "  validated at training: {}",
            crate::inspect::validated_at_training(&model)
        );
        print_summary(&probs, &y, model.n_classes())?;
        if let Some(e) = &model.evaluation {
            print_evaluation("  at training", e)?;
        }
        if model.n_classes() > 2 {
            let e = metrics::multiclass_evaluation(&probs, &model.class_names, &y)?;
            print_classes(&e, &model.class_names)?;
        }
        if let Some(g) = &gains {
            crate::crm::print_gains(g)?;
        }
    }
    Ok(())
}

/// Adds the per-class metrics, confusion matrix and baselines to `eval --json`'s multi-class
/// object (new keys only: the existing ones keep their meaning). Classes are named; lists follow
/// the model's class order, `stage_order` gives the funnel order.
fn add_multiclass_json(
    v: &mut serde_json::Value,
    e: &metrics::MulticlassEvaluation,
    names: &[String],
) {
    use serde_json::json;
    let name = |c: u32| names.get(c as usize).cloned().unwrap_or_default();
    let k = e.confusion.n_classes as usize;
    v["class_names"] = json!(names);
    v["stage_order"] = json!(e.order.iter().map(|&c| name(c)).collect::<Vec<_>>());
    v["per_class"] = e
        .per_class
        .iter()
        .map(|c| {
            json!({
                "class": name(c.class),
                "support": c.support,
                "predicted": c.predicted,
                "precision": c.precision,
                "recall": c.recall,
                "f1": c.f1,
            })
        })
        .collect();
    v["confusion_matrix"] = json!({
        "classes": names,
        "rows_are": "actual",
        "matrix": e.confusion.counts.chunks(k.max(1)).collect::<Vec<_>>(),
    });
    let baseline = |b: &metrics::MulticlassBaseline| {
        let mut o = json!({
            "accuracy": b.accuracy,
            "macro_f1": b.macro_f1,
            "log_loss": b.log_loss,
        });
        if let Some(c) = b.class {
            o["class"] = name(c).into();
        }
        o
    };
    v["baseline_majority"] = baseline(&e.majority);
    v["baseline_prior"] = baseline(&e.prior);
}

/// Prints the baselines, per-class table and confusion matrix of a multi-class evaluation, in
/// funnel order when the classes are funnel stages.
fn print_classes(e: &metrics::MulticlassEvaluation, names: &[String]) -> Result<()> {
    let name = |c: u32| names.get(c as usize).map_or("?", String::as_str);
    if let Some(c) = e.majority.class {
        outln!(
            "  baseline  always `{}`: macro F1 {:.4}, accuracy {:.4}",
            name(c),
            e.majority.macro_f1,
            e.majority.accuracy
        );
    }
    outln!(
        "  baseline  random by class shares: macro F1 {:.4}, accuracy {:.4}",
        e.prior.macro_f1,
        e.prior.accuracy
    );
    let width = e
        .order
        .iter()
        .map(|&c| name(c).chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    outln!("per class (actual rows, predicted rows, precision, recall, F1):");
    for &c in &e.order {
        let m = &e.per_class[c as usize];
        outln!(
            "  {:<width$}  {:>6} {:>6}  {:.3} {:.3} {:.3}",
            name(c),
            m.support,
            m.predicted,
            m.precision,
            m.recall,
            m.f1
        );
    }
    outln!("confusion matrix (rows: actual, columns: predicted):");
    let cell = |c: u32| name(c).chars().count().max(6);
    let head: Vec<String> = e
        .order
        .iter()
        .map(|&c| format!("{:>w$}", name(c), w = cell(c)))
        .collect();
    outln!("  {:<width$}  {}", "", head.join(" "));
    for &a in &e.order {
        let cells: Vec<String> = e
            .order
            .iter()
            .map(|&p| format!("{:>w$}", e.confusion.get(a, p), w = cell(p)))
            .collect();
        outln!("  {:<width$}  {}", name(a), cells.join(" "));
    }
    Ok(())
}

/// Prints an evaluation report's headline: which rows, AUC, the threshold in use and its figures.
pub fn print_evaluation(label: &str, e: &leadforest::model::evaluation::Evaluation) -> Result<()> {
    let m = &e.metrics;
    let mut figs = Vec::new();
    for (name, v, d) in [
        ("AUC", m.auc, 4),
        ("PR AUC", m.pr_auc, 4),
        ("log loss", m.log_loss, 4),
        ("accuracy", m.accuracy, 4),
        ("macro F1", m.macro_f1, 4),
    ] {
        if let Some(v) = v {
            figs.push(format!("{name} {v:.d$}"));
        }
    }
    outln!("{label}: {}: {}", e.rows.description, figs.join(", "));
    if let Some(t) = &e.threshold {
        outln!(
            "  threshold {:.3} ({}): precision {:.3}, recall {:.3}, F1 {:.3}, lift {:.2}",
            t.threshold,
            t.words,
            t.at.precision,
            t.at.recall,
            t.at.f1,
            t.at.lift
        );
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
        let majority = metrics::majority_baseline(labels, n_classes)?;
        let prior = metrics::prior_baseline(labels, n_classes)?;
        outln!(
            "  macro F1 {:.4} vs {:.4} always predicting the most common class ({:.4} guessing by class shares)",
            r.macro_f1,
            majority.macro_f1,
            prior.macro_f1
        );
    }
    Ok(())
}

//! `leadforest inspect`: what is inside a model file, in words (or `--json`): the trees and
//! features, how training validated the model, its lineage and whether it has a training profile.

use anyhow::Result;
use leadforest::data::FeatureKind;
use leadforest::lifecycle::{Lineage, TrainingProfile};
use leadforest::limits::thousands;
use leadforest::model::{Model, ModelKind};
use leadforest::train::{FoldMetrics, SplitMode, ValidationReport};
use std::path::PathBuf;

/// Arguments of `leadforest inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The model file.
    pub model: PathBuf,
    /// Print one JSON object (model, target, classes, rows, trees, metrics, validation, lineage,
    /// training_profile) instead of text.
    #[arg(long)]
    pub json: bool,
    /// List every string the file stores, where and what for (with --json: a JSON array).
    #[arg(long)]
    pub strings: bool,
}

/// One line on how training validated `model`, for `eval` and `report`.
pub fn validated_at_training(model: &Model) -> String {
    match &model.validation {
        Some(v) => v.summary(),
        None => "not recorded (a model file from before validation reports)".into(),
    }
}

/// The figures of `m` (with `± sd` when given) as `AUC 0.812 ± 0.010 · PR AUC …`.
fn figures(m: &FoldMetrics, sd: Option<&FoldMetrics>) -> String {
    let pick = |f: fn(&FoldMetrics) -> Option<f64>| (f(m), sd.and_then(f));
    [
        ("AUC", pick(|m| m.auc), 3),
        ("PR AUC", pick(|m| m.pr_auc), 3),
        ("log loss", pick(|m| m.log_loss), 4),
        ("Brier", pick(|m| m.brier), 4),
        ("accuracy", pick(|m| m.accuracy), 3),
        ("macro F1", pick(|m| m.macro_f1), 3),
    ]
    .into_iter()
    .filter_map(|(name, (v, s), d)| match (v, s) {
        (Some(v), Some(s)) => Some(format!("{name} {v:.d$} ± {s:.d$}")),
        (Some(v), None) => Some(format!("{name} {v:.d$}")),
        _ => None,
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The validation section's lines.
fn validation_lines(v: &ValidationReport) -> Vec<String> {
    let mut out = vec![v.summary()];
    let split = match v.mode {
        SplitMode::KFold => format!("{}-fold", v.folds.len()),
        m => m.name().to_string(),
    };
    let fraction = match v.mode {
        SplitMode::Holdout | SplitMode::Time => format!(" ({:.0} % asked)", v.fraction * 100.0),
        _ => String::new(),
    };
    out.push(format!(
        "mode {split} (asked for {}); trained on {} rows, tested on {}{fraction}",
        v.requested.name(),
        thousands(v.train_rows),
        thousands(v.test_rows),
    ));
    if v.mode == SplitMode::Time {
        out.push(format!(
            "ordered by {}; training up to {}, test {} to {}",
            v.time_column
                .as_deref()
                .map_or("row order".to_string(), |c| format!("`{c}`")),
            v.train_end.as_deref().unwrap_or("?"),
            v.test_start.as_deref().unwrap_or("?"),
            v.test_end.as_deref().unwrap_or("?"),
        ));
    }
    let figs = figures(&v.metrics, v.sd.as_ref());
    if !figs.is_empty() {
        let over = if v.sd.is_some() {
            format!("mean ± sd over {} folds: ", v.folds.len())
        } else {
            String::new()
        };
        out.push(format!("{over}{figs}"));
    }
    for (i, f) in v.folds.iter().enumerate() {
        out.push(format!(
            "fold {}: {} test rows, {}",
            i + 1,
            thousands(f.test_rows),
            figures(f, None)
        ));
    }
    out
}

/// The lineage section's lines.
fn lineage_lines(l: &Lineage) -> Vec<String> {
    let window = match (&l.first_date, &l.last_date) {
        (Some(a), Some(b)) => format!("data {a} to {b}"),
        _ => "data window not dated (no date column)".into(),
    };
    vec![
        format!(
            "parent {}",
            l.parent_checksum
                .as_deref()
                .unwrap_or("none (a first model)")
        ),
        format!(
            "{window}; {} training rows ({} old + {} new), {} new rows held out to compare",
            thousands(l.total_rows),
            thousands(l.old_rows),
            thousands(l.new_rows),
            thousands(l.holdout_rows)
        ),
        format!("made by `{}`", l.created_by),
    ]
}

/// The training profile's line.
fn profile_line(p: &TrainingProfile) -> String {
    let score = match (&p.score, p.score_held_out) {
        (Some(_), true) => "the score (out-of-bag)",
        (Some(_), false) => "the score",
        (None, _) => "no score (multi-class)",
    };
    format!(
        "yes: {} inputs and {score} profiled over {} training rows (for `leadforest drift`)",
        p.features.len(),
        thousands(p.rows)
    )
}

/// Prints a section: the first line after the label, the rest indented under it.
fn section(label: &str, lines: &[String]) -> Result<()> {
    for (i, line) in lines.iter().enumerate() {
        outln!("  {:<11} {line}", if i == 0 { label } else { "" });
    }
    Ok(())
}

/// Runs `leadforest inspect`.
pub fn run(args: InspectArgs) -> Result<()> {
    let model = crate::eval::read_model(&args.model)?;
    if args.strings {
        return crate::strings::run(&model, args.json);
    }
    let i = &model.info;
    let kind = match model.kind {
        ModelKind::GradientBoosting => "gradient-boosted trees",
        ModelKind::RandomForest => "random forest",
    };
    if args.json {
        return print_json(&args, &model, kind);
    }
    let nodes: usize = model.trees().iter().map(|t| t.nodes.len()).sum();
    let leaves: usize = model
        .trees()
        .iter()
        .map(|t| t.nodes.iter().filter(|n| n.is_leaf()).count())
        .sum();
    outln!("{}", args.model.display());
    outln!(
        "  model       {kind}, {} trees ({} rounds), {nodes} nodes, {leaves} leaves",
        model.trees().len(),
        i.rounds
    );
    outln!(
        "  target      `{}`: classes {}",
        i.target,
        model.class_names.join(", ")
    );
    outln!("  base score  {:?}", model.base_score);
    outln!(
        "  trained by  leadforest {} on {} rows, seed {}",
        i.leadforest_version,
        i.rows,
        i.seed
    );
    if !model.pipeline.missing.is_empty() {
        outln!("  missing     also {}", model.pipeline.missing.join(", "));
    }
    for m in &i.metrics {
        outln!("  {:<11} {:.4}", m.name, m.value);
    }
    match &model.validation {
        Some(v) => section("validation", &validation_lines(v))?,
        None => section(
            "validation",
            &["not recorded (a model file from before validation reports)".into()],
        )?,
    }
    match &model.evaluation {
        Some(e) => {
            let mut lines = vec![e.rows.description.clone()];
            let m = &e.metrics;
            let figs: Vec<String> = [
                ("AUC", m.auc),
                ("PR AUC", m.pr_auc),
                ("accuracy", m.accuracy),
                ("macro F1", m.macro_f1),
            ]
            .iter()
            .filter_map(|(n, v)| v.map(|v| format!("{n} {v:.4}")))
            .collect();
            lines.push(figs.join(" · "));
            if let Some(t) = &e.threshold {
                lines.push(format!("threshold {:.3}: {}", t.threshold, t.words));
            }
            section("evaluation", &lines)?
        }
        None => section(
            "evaluation",
            &["not recorded (a model file from before evaluation reports)".into()],
        )?,
    }
    if let Some(d) = &model.trained_at {
        section("trained at", std::slice::from_ref(d))?;
    }
    match &model.lineage {
        Some(l) => section("lineage", &lineage_lines(l))?,
        None => section(
            "lineage",
            &["none recorded (trained from data, not by `leadforest retrain`)".into()],
        )?,
    }
    match &model.training_profile {
        Some(p) => section("profile", &[profile_line(p)])?,
        None => section(
            "profile",
            &["no training profile: `leadforest drift` needs one (retrain or train again)".into()],
        )?,
    }
    outln!("  features ({}):", model.features.len());
    let mut used = vec![0u32; model.features.len()];
    for t in model.trees() {
        for n in &t.nodes {
            if !n.is_leaf() {
                if let Some(u) = used.get_mut(n.feature as usize) {
                    *u += 1;
                }
            }
        }
    }
    for (f, u) in model.features.iter().zip(&used) {
        let kind = match &f.kind {
            FeatureKind::Numeric => "numeric".to_string(),
            FeatureKind::Categorical { categories } => {
                format!("categorical, {} categories", categories.len())
            }
        };
        let from = if f.source != f.name {
            format!(" (from `{}`)", f.source)
        } else {
            String::new()
        };
        outln!("    {:<40} {kind}{from}; {u} splits", f.name);
    }
    outln!("  config      {}", i.config);
    Ok(())
}

/// `inspect --json`: the model's facts and its optional sections (`null` when absent).
fn print_json(args: &InspectArgs, model: &Model, kind: &str) -> Result<()> {
    let i = &model.info;
    let metrics: serde_json::Map<String, serde_json::Value> = i
        .metrics
        .iter()
        .map(|m| (m.name.clone(), serde_json::json!(m.value)))
        .collect();
    let validation = model.validation.as_ref().map(|v| {
        let mut j = serde_json::to_value(v).unwrap_or_default();
        j["summary"] = v.summary().into();
        j
    });
    let profile = model.training_profile.as_ref().map(|p| {
        serde_json::json!({
            "rows": p.rows,
            "inputs": p.features.len(),
            "score": p.score.is_some(),
            "score_held_out": p.score_held_out,
        })
    });
    let out = serde_json::json!({
        "model": args.model.display().to_string(),
        "kind": kind,
        "target": i.target,
        "classes": model.class_names,
        "trees": model.trees().len(),
        "rounds": i.rounds,
        "features": model.features.len(),
        "rows": i.rows,
        "seed": i.seed,
        "leadforest_version": i.leadforest_version,
        "metrics": metrics,
        "validation": validation,
        "lineage": model.lineage,
        "training_profile": profile,
        "evaluation": model.evaluation,
        "trained_at": model.trained_at,
    });
    outln!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

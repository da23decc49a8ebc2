//! `leadforest explain MODEL DATA.csv --row N`: why one lead got its score.

use anyhow::{bail, Context, Result};
use clap::Args;
use leadforest::explain::{self, Explainer, Reason};
use leadforest::model::Model;
use std::path::PathBuf;

/// Arguments of `leadforest explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// The model file (from `leadforest train`).
    pub model: PathBuf,
    /// The leads (CSV).
    pub data: PathBuf,
    /// Which lead: its data row, counting from 1 (header excluded).
    #[arg(long)]
    pub row: usize,
    /// How many reasons to show each way.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `leadforest explain`.
pub fn run(args: ExplainArgs) -> Result<()> {
    let model = &crate::eval::read_model(&args.model)?;
    let bytes = crate::read_file(&args.data)?;
    // Straight through the model's stored pipeline: only its columns, no type inference.
    let input = model
        .read_csv(&bytes)
        .with_context(|| format!("{}", args.data.display()))?;
    for w in &input.features.warnings {
        eprintln!("warning: {}: {w}", args.data.display());
    }
    let n = input.features.n_rows;
    if args.row == 0 || args.row > n {
        bail!(
            "--row {} is outside {}: it has data rows 1 to {n}",
            args.row,
            args.data.display()
        );
    }
    let row: Vec<f64> = input
        .features
        .columns
        .iter()
        .map(|c| c[args.row - 1])
        .collect();
    let scoring = model.scoring.clone().unwrap_or_default();
    let mut ex = Explainer::new(model.trees(), &model.base_score, model.features.len())?;
    if model.n_outputs() != 1 {
        return explain_class(&args, model, &mut ex, &row);
    }
    let c = ex.explain(&row, 0);
    let margin = model.predict_row(&row)[0];
    let uncalibrated = model.probabilities(&[margin])[0];
    let lead = scoring.score(uncalibrated);
    let tier = &scoring.tiers.tiers[lead.tier];
    let reasons = explain::reasons(&c.values, &row, &model.pipeline, args.top);
    if args.json {
        let out = serde_json::json!({
            "row": args.row,
            "probability": lead.probability,
            "score": lead.score,
            "tier": tier.name,
            "action": tier.action,
            "margin": margin,
            "bias": c.bias,
            "contributions": contributions_json(model, &c.values),
            "reasons": reasons,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let units = match model.kind {
        leadforest::model::ModelKind::GradientBoosting => "log-odds",
        leadforest::model::ModelKind::RandomForest => "probability",
    };
    outln!("Lead on row {} of {}", args.row, args.data.display());
    outln!(
        "  probability {:.3} · score {} · tier {} ({})",
        lead.probability,
        lead.score,
        tier.name,
        tier.action
    );
    outln!(
        "  raw score {margin:.4} {units} = average lead {:.4} + the contributions below",
        c.bias
    );
    for (title, list) in [
        ("Raises the score", &reasons.positive),
        ("Lowers the score", &reasons.negative),
    ] {
        print_reasons(title, list)?;
    }
    Ok(())
}

fn contributions_json(model: &Model, values: &[f64]) -> Vec<serde_json::Value> {
    model
        .features
        .iter()
        .zip(values)
        .map(|(f, v)| serde_json::json!({"feature": f.name, "column": f.source, "value": v}))
        .collect()
}

fn print_reasons(title: &str, list: &[Reason]) -> Result<()> {
    outln!("{title}:");
    if list.is_empty() {
        outln!("  (nothing)");
    }
    for r in list {
        outln!("  {:+.3}  {}", r.contribution, r.text);
    }
    Ok(())
}

/// A multi-class lead: its class probabilities and why the model predicts its most likely
/// class (contributions to that class's raw margin, before the softmax).
fn explain_class(args: &ExplainArgs, model: &Model, ex: &mut Explainer, row: &[f64]) -> Result<()> {
    let margins = model.predict_row(row);
    let probabilities = model.probabilities(&margins);
    let best = (0..probabilities.len()).fold(0, |b, c| {
        if probabilities[c] > probabilities[b] {
            c
        } else {
            b
        }
    });
    let class = &model.class_names[best];
    let c = ex.explain(row, best);
    let reasons = explain::reasons(&c.values, row, &model.pipeline, args.top);
    if args.json {
        let out = serde_json::json!({
            "row": args.row,
            "predicted_class": class,
            "probabilities": model.class_names.iter().zip(&probabilities)
                .map(|(name, p)| serde_json::json!({"class": name, "probability": p}))
                .collect::<Vec<_>>(),
            "margin": margins[best],
            "bias": c.bias,
            "contributions": contributions_json(model, &c.values),
            "reasons": reasons,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    outln!("Lead on row {} of {}", args.row, args.data.display());
    outln!(
        "  predicted `{class}` ({:.3}); {}",
        probabilities[best],
        model
            .class_names
            .iter()
            .zip(&probabilities)
            .map(|(n, p)| format!("{n} {p:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    outln!(
        "  raw score of `{class}` {:.4} = average lead {:.4} + the contributions below",
        margins[best],
        c.bias
    );
    print_reasons(&format!("Makes `{class}` more likely"), &reasons.positive)?;
    print_reasons(&format!("Makes `{class}` less likely"), &reasons.negative)?;
    Ok(())
}

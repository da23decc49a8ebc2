//! `leadforest inspect`: what is inside a model file, in words.

use anyhow::Result;
use leadforest::data::FeatureKind;
use leadforest::model::ModelKind;
use std::path::PathBuf;

/// Arguments of `leadforest inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The model file.
    pub model: PathBuf,
}

/// Runs `leadforest inspect`.
pub fn run(args: InspectArgs) -> Result<()> {
    let model = crate::eval::read_model(&args.model)?;
    let i = &model.info;
    let kind = match model.kind {
        ModelKind::GradientBoosting => "gradient-boosted trees",
        ModelKind::RandomForest => "random forest",
    };
    let nodes: usize = model.trees.iter().map(|t| t.nodes.len()).sum();
    let leaves: usize = model
        .trees
        .iter()
        .map(|t| t.nodes.iter().filter(|n| n.is_leaf()).count())
        .sum();
    outln!("{}", args.model.display());
    outln!(
        "  model       {kind}, {} trees ({} rounds), {nodes} nodes, {leaves} leaves",
        model.trees.len(),
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
    outln!("  features ({}):", model.features.len());
    let mut used = vec![0u32; model.features.len()];
    for t in &model.trees {
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

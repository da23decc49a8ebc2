//! Model-level leak warnings after `train`: an implausibly high held-out AUC, or one column that
//! carries most of the model's importance (mean |TreeSHAP| per column over held-out rows).

use anyhow::Result;

use leadforest::data::Dataset;
use leadforest::explain::{self, Explainer};
use leadforest::model::Model;
use leadforest::train::Holdout;

/// Held-out rows explained for the importance (evenly spaced).
const IMPORTANCE_ROWS: usize = 1000;

/// Prints `warning: …` lines (standard error) for a binary model's leak warnings, measured on
/// its held-out rows; nothing for multi-class models or without held-out rows.
pub fn print_model_warnings(
    model: &Model,
    data: &Dataset,
    holdout: Option<&Holdout>,
) -> Result<()> {
    let Some(h) = holdout else { return Ok(()) };
    if model.n_outputs() != 1 || h.rows.is_empty() {
        return Ok(());
    }
    let labels: Vec<bool> = h.labels.iter().map(|&l| l == 1).collect();
    let auc = leadforest::metrics::roc_auc(&h.probabilities, &labels, None)
        .ok()
        .map(|a| (a, h.rows.len()));
    let mut explainer = Explainer::new(model.trees(), &model.base_score, model.features.len())?;
    let step = (h.rows.len() / IMPORTANCE_ROWS).max(1);
    let sample: Vec<usize> = h.rows.iter().step_by(step).map(|&r| r as usize).collect();
    let mut contributions = Vec::with_capacity(sample.len() * data.features.len());
    let mut row = vec![0.0; data.features.len()];
    for &r in &sample {
        for (slot, f) in row.iter_mut().zip(&data.features) {
            *slot = f.values[r];
        }
        contributions.extend(explainer.explain(&row, 0).values);
    }
    let importance = explain::importance(&contributions, &model.pipeline);
    for w in leadforest::data::leak::model_warnings(&importance, sample.len(), auc) {
        eprintln!("warning: {}", w.message);
    }
    Ok(())
}

//! The scoring model: flat trees, preprocessing, calibration, tiers, and its versioned file format.
//!
//! A [`Model`] holds only what scoring needs (no training-only types): the feature schema, the
//! data pipeline, the trees, the base score and training metadata. Raw margins are the base score
//! plus the sum of the trees of each output; [`Model::probabilities`] turns them into probabilities.

pub mod calibration;
pub mod evaluation;
mod file;
mod input;
pub mod leads;
pub(crate) mod math;
mod predict;
pub mod scoring;
mod strings;
pub mod threshold;
pub mod tiers;
pub mod tree;

#[cfg(feature = "score-only")]
pub use file::EvaluationRecord;
pub use file::{FORMAT_VERSION, MAGIC};
pub use input::{record_from_json, Record, TableScores};
pub use strings::{letter_words, readable_runs, StoredString};

use crate::data::{Dataset, FeatureKind, Pipeline};
use crate::{Error, Result};
use predict::FlatForest;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tree::Tree;

/// Which learner built the trees; decides how raw margins become probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelKind {
    /// Gradient-boosted trees: margins are log-odds (binary) or softmax logits (multi-class).
    GradientBoosting,
    /// Random forest: margins are averaged class frequencies (already probabilities).
    RandomForest,
}

/// One model input, as the model expects it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    /// Feature name (a CSV column or a derived name).
    pub name: String,
    /// The CSV column it comes from.
    pub source: String,
    /// Numeric or categorical (with its category labels).
    pub kind: FeatureKind,
}

/// A named number measured during training (e.g. `valid_auc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Metric name, snake_case (`valid_auc`, `valid_log_loss`, `oob_auc`…).
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// How the model was trained (for `inspect` and reports).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// The leadforest version that trained it.
    pub leadforest_version: String,
    /// The target column's name in the training CSV (empty when trained from a bare `Dataset`).
    pub target: String,
    /// Rows the final model was grown on: all rows of the training data, internal validation
    /// rows included, unless boosting kept its early-stopped model (no refit: its training rows).
    pub rows: u64,
    /// The random seed.
    pub seed: u64,
    /// The training configuration, as JSON.
    pub config: String,
    /// Boosting rounds (or forest trees) in the final model.
    pub rounds: u32,
    /// Metrics measured on held-out rows (internal validation split or out-of-bag).
    pub metrics: Vec<Metric>,
}

/// A trained model: everything needed to score new rows. Build it with
/// [`crate::train::Trainer`] or [`Model::from_bytes`].
#[derive(Debug, Clone)]
pub struct Model {
    /// Which learner built it.
    pub kind: ModelKind,
    /// Inputs in model order (`Tree` feature indices point here).
    pub features: Vec<FeatureInfo>,
    /// How raw CSV columns become these features.
    pub pipeline: Pipeline,
    /// Class labels; binary models have `[negative, positive]`.
    pub class_names: Vec<String>,
    /// Starting margin per output (one output for binary, one per class for multi-class).
    pub base_score: Vec<f64>,
    /// Trees, round-major: tree `i` adds to output `i % base_score.len()` ([`Model::trees`];
    /// edited through [`Model::trees_mut`], which drops the flattened copy scoring uses).
    trees: Vec<Tree>,
    /// Training metadata.
    pub info: TrainingInfo,
    /// Calibration, tiers and threshold (binary models; `None` = defaults), stored as the
    /// `scoring` file section. See [`scoring::Scoring`].
    pub scoring: Option<scoring::Scoring>,
    /// The binned training data, for drift (`training-profile` file section; `None` in files
    /// written before it existed and in imported models).
    pub training_profile: Option<crate::lifecycle::TrainingProfile>,
    /// Where the model comes from (`lineage` file section; set by retraining).
    pub lineage: Option<crate::lifecycle::Lineage>,
    /// How training validated the model (split, rows, figures), stored as the optional
    /// `validation` file section; `None` for files written before it existed.
    pub validation: Option<crate::train::ValidationReport>,
    /// The evaluation report measured at training on the rows that validated the model (optional
    /// `evaluation` file section; `None` for files written before it existed).
    pub evaluation: Option<evaluation::Evaluation>,
    /// When the model was trained, as the writer gave it (the engine reads no clock); stored in
    /// the `evaluation` file section.
    pub trained_at: Option<String>,
    // Scoring add-ons (calibration, tiers, thresholds) are stored as named file sections, see
    // `file.rs`, so adding them never changes the layout of format 1.
    /// Flattened trees, built on first use from `trees` and dropped by [`Model::trees_mut`].
    flat: OnceLock<FlatForest>,
}

impl PartialEq for Model {
    fn eq(&self, o: &Self) -> bool {
        self.kind == o.kind
            && self.features == o.features
            && self.pipeline == o.pipeline
            && self.class_names == o.class_names
            && self.base_score == o.base_score
            && self.trees == o.trees
            && self.info == o.info
            && self.scoring == o.scoring
            && self.training_profile == o.training_profile
            && self.lineage == o.lineage
            && self.validation == o.validation
            && self.evaluation == o.evaluation
            && self.trained_at == o.trained_at
    }
}

/// The parts of a [`Model`] (for constructors outside this module).
#[derive(Debug, Clone)]
pub struct ModelParts {
    /// See [`Model::kind`].
    pub kind: ModelKind,
    /// See [`Model::features`].
    pub features: Vec<FeatureInfo>,
    /// See [`Model::pipeline`].
    pub pipeline: Pipeline,
    /// See [`Model::class_names`].
    pub class_names: Vec<String>,
    /// See [`Model::base_score`].
    pub base_score: Vec<f64>,
    /// See [`Model::trees`].
    pub trees: Vec<Tree>,
    /// See [`Model::info`].
    pub info: TrainingInfo,
}

impl Model {
    /// Assembles a model from its parts.
    pub fn new(p: ModelParts) -> Model {
        Model {
            kind: p.kind,
            features: p.features,
            pipeline: p.pipeline,
            class_names: p.class_names,
            base_score: p.base_score,
            trees: p.trees,
            info: p.info,
            scoring: None,
            training_profile: None,
            lineage: None,
            validation: None,
            evaluation: None,
            trained_at: None,
            flat: OnceLock::new(),
        }
    }

    /// Number of raw outputs per row: 1 for binary models, the class count for multi-class.
    pub fn n_outputs(&self) -> usize {
        self.base_score.len()
    }

    /// Number of classes (2 for binary models).
    pub fn n_classes(&self) -> usize {
        self.class_names.len()
    }

    /// The trees, round-major: tree `i` adds to output `i % n_outputs()`.
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    /// The trees, to edit: scoring afterwards uses the edited trees (the flattened copy that
    /// scoring built from the old ones is dropped here; a clone of a model that has scored copies
    /// it, so editing a clone's trees directly would score with its original's).
    pub fn trees_mut(&mut self) -> &mut Vec<Tree> {
        self.flat = OnceLock::new();
        &mut self.trees
    }

    fn flat(&self) -> &FlatForest {
        self.flat
            .get_or_init(|| FlatForest::new(&self.trees, self.n_outputs()))
    }

    /// Raw margins for rows given as feature columns in model order (`columns[f][row]`, NaN =
    /// missing): `n_rows * n_outputs()` values, row-major. Missing columns count as all-missing.
    pub fn predict_columns<C: AsRef<[f64]>>(&self, columns: &[C]) -> Vec<f64> {
        let cols: Vec<&[f64]> = columns.iter().map(|c| c.as_ref()).collect();
        let n_rows = cols.iter().map(|c| c.len()).max().unwrap_or(0);
        let mut out = vec![0.0; n_rows * self.n_outputs()];
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.base_score[i % self.n_outputs()];
        }
        self.flat()
            .add_columns(&self.trees, &cols, self.features.len(), n_rows, &mut out);
        out
    }

    /// Raw margins for one row of feature values in model order.
    pub fn predict_row(&self, row: &[f64]) -> Vec<f64> {
        let mut out = self.base_score.clone();
        self.flat().add_row(row, &mut out);
        out
    }

    /// Turns raw margins (as from [`Model::predict_columns`]) into probabilities: one value per
    /// row (the positive class) for binary models, `n_classes` per row for multi-class.
    pub fn probabilities(&self, raw: &[f64]) -> Vec<f64> {
        let k = self.n_outputs();
        match (self.kind, k) {
            (ModelKind::GradientBoosting, 1) => raw.iter().map(|&m| sigmoid(m)).collect(),
            (ModelKind::RandomForest, 1) => raw.iter().map(|&m| m.clamp(0.0, 1.0)).collect(),
            (ModelKind::GradientBoosting, _) => {
                let mut out = raw.to_vec();
                for row in out.chunks_mut(k) {
                    softmax(row);
                }
                out
            }
            (ModelKind::RandomForest, _) => {
                let mut out = raw.to_vec();
                for row in out.chunks_mut(k) {
                    let s: f64 = row.iter().map(|x| x.max(0.0)).sum();
                    for x in row.iter_mut() {
                        *x = if s > 0.0 {
                            x.max(0.0) / s
                        } else {
                            1.0 / k as f64
                        };
                    }
                }
                out
            }
        }
    }

    /// Probabilities for the rows of a dataset whose features match this model's by name.
    ///
    /// # Errors
    /// `Error::Data` when a model feature is absent from the dataset.
    pub fn predict_dataset(&self, data: &Dataset) -> Result<Vec<f64>> {
        let mut cols: Vec<&[f64]> = Vec::with_capacity(self.features.len());
        for f in &self.features {
            let col = data
                .features
                .iter()
                .find(|g| g.name == f.name)
                .ok_or_else(|| {
                    Error::Data(format!(
                        "the data has no feature `{}` that the model needs (from column `{}`)",
                        f.name, f.source
                    ))
                })?;
            cols.push(&col.values);
        }
        let raw = self.predict_columns(&cols);
        Ok(self.probabilities(&raw))
    }
}

/// The logistic function, 1 / (1 + e^-x) (bit-identical on every target).
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + math::exp(-x))
}

/// In-place softmax of one row of logits (bit-identical on every target).
pub fn softmax(row: &mut [f64]) {
    let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for x in row.iter_mut() {
        *x = math::exp(*x - max);
        s += *x;
    }
    for x in row.iter_mut() {
        *x /= s;
    }
}

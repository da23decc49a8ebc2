//! Training: binning, histograms, split finding, tree growth, boosting and bagging.
//!
//! Everything here is training-only: binned matrices, histograms and growing trees never appear
//! in the [`Model`], which receives plain [`crate::model::tree::Tree`]s.
//!
//! ```
//! use leadforest::train::{Trainer, TrainConfig};
//! use std::ops::ControlFlow;
//! # let data = leadforest::train::toy_dataset(300, 1);
//! let config = TrainConfig { n_trees: 20, ..TrainConfig::default() };
//! let model = Trainer::new(config).fit(&data, &mut |_| ControlFlow::Continue(())).unwrap();
//! let p = model.predict_dataset(&data).unwrap();
//! assert_eq!(p.len(), data.n_rows());
//! ```

mod binning;
mod boosting;
mod config;
mod forest;
mod grow;
mod histogram;
mod objective;
mod split;

pub use config::{Algorithm, TrainConfig};

use crate::data::{Dataset, DatasetOptions, Feature, FeatureKind, Pipeline, Table};
use crate::model::scoring::{Scoring, ScoringOptions};
use crate::model::{FeatureInfo, Metric, Model, ModelKind, ModelParts, TrainingInfo};
use crate::rng::Rng;
use crate::{Error, Result};
use binning::{BinnedData, BinningOptions};
use grow::GrowParams;
use objective::Objective;
use split::SplitParams;
use std::ops::ControlFlow;

/// Which part of training a [`Progress`] report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Boosting with early stopping on the held-out rows.
    Boosting,
    /// Retraining on all rows with the best round count.
    Refitting,
    /// Growing random-forest trees.
    Forest,
}

/// A progress report, sent after every boosting round (or batch of forest trees).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// What is being trained.
    pub stage: Stage,
    /// Rounds (or trees) done, from 1.
    pub round: u32,
    /// Most rounds (or trees) this stage will run.
    pub total_rounds: u32,
    /// Mean training loss (log loss), NaN for forests.
    pub train_loss: f64,
    /// Mean validation loss, when there are held-out rows.
    pub valid_loss: Option<f64>,
}

/// The progress callback: return `ControlFlow::Break(())` to cancel (`Error::Cancelled`).
pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress) -> ControlFlow<()>;

/// Held-out predictions made while training (before any refit on all rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Holdout {
    /// Row indices (into the training dataset) that were held out.
    pub rows: Vec<u32>,
    /// Their labels (class indices).
    pub labels: Vec<u32>,
    /// Probabilities: one per row (positive class) for binary models, `n_classes` per row else.
    pub probabilities: Vec<f64>,
    /// `true` for out-of-bag estimates (forests), `false` for an internal validation split.
    pub out_of_bag: bool,
}

/// A trained model and its held-out predictions (for calibration and reports).
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The model.
    pub model: Model,
    /// Held-out predictions, when there were held-out rows.
    pub holdout: Option<Holdout>,
}

/// Trains models from a [`TrainConfig`].
#[derive(Debug, Clone)]
pub struct Trainer {
    config: TrainConfig,
}

impl Trainer {
    /// A trainer with these settings.
    pub fn new(config: TrainConfig) -> Self {
        Trainer { config }
    }

    /// The settings.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Trains a model on `data`, reporting progress.
    ///
    /// # Errors
    /// `Error::Config` for settings out of range, `Error::Data` for unusable data (no rows, one
    /// class, ragged columns), `Error::Cancelled` when `progress` breaks.
    pub fn fit(&self, data: &Dataset, progress: ProgressFn) -> Result<Model> {
        Ok(self.fit_detailed(data, progress)?.model)
    }

    /// Builds the dataset from a table (see [`DatasetOptions`]) and trains on it; the model
    /// remembers the target column's name for evaluation.
    ///
    /// # Errors
    /// As [`Dataset::new`] and [`Trainer::fit`].
    pub fn fit_table(
        &self,
        table: &Table,
        options: &DatasetOptions,
        progress: ProgressFn,
    ) -> Result<Fitted> {
        let data = Dataset::new(table, options)?;
        crate::data::check_class_rows(&data, &options.target)?;
        let mut fitted = self.fit_detailed(&data, progress)?;
        fitted.model.info.target = table
            .column(&options.target)
            .map_or_else(|| options.target.clone(), |c| c.name.clone());
        Ok(fitted)
    }

    /// Like [`Trainer::fit`], also returning the held-out predictions.
    ///
    /// # Errors
    /// As [`Trainer::fit`].
    pub fn fit_detailed(&self, data: &Dataset, progress: ProgressFn) -> Result<Fitted> {
        let c = &self.config;
        c.validate()?;
        check_data(data, c)?;
        let n_classes = data.class_names.len();
        let n = data.n_rows();
        let weights: Vec<f64> = match &c.class_weights {
            Some(w) => data.labels.iter().map(|&y| w[y as usize]).collect(),
            None => vec![1.0; n],
        };
        let binned = BinnedData::new(
            data,
            &BinningOptions {
                max_bins: c.max_bins as usize,
                rare_category_rows: c.rare_category_rows as u64,
            },
            c.seed,
        );
        let all_rows: Vec<u32> = (0..n as u32).collect();
        let split = SplitParams {
            l2: c.l2,
            min_samples_leaf: c.min_samples_leaf as f64,
            min_hessian_leaf: c.min_hessian_leaf,
            cat_smooth: c.cat_smooth,
            cat_l2: c.cat_l2,
            max_cat_threshold: c.max_cat_threshold as usize,
            min_data_per_group: c.min_data_per_group as f64,
            max_cat_to_onehot: c.max_cat_to_onehot as usize,
            min_gain: 1e-12,
        };
        let nf = data.features.len();
        let features_per_node = if c.features_per_split == 0.0 {
            ((nf as f64).sqrt().ceil() as usize).max(1)
        } else if c.features_per_split >= 1.0 {
            0
        } else {
            ((c.features_per_split * nf as f64).ceil() as usize).max(1)
        };
        let grow = GrowParams {
            split,
            max_leaves: c.max_leaves as usize,
            max_depth: c.max_depth as usize,
            learning_rate: if c.algorithm == Algorithm::Gbt {
                c.learning_rate
            } else {
                1.0
            },
            features_per_node,
        };
        let (kind, train_trees, base_score, rounds, holdout) = match c.algorithm {
            Algorithm::Gbt => {
                let objective = if n_classes == 2 {
                    Objective::Binary
                } else {
                    Objective::Softmax(n_classes)
                };
                let (train_rows, valid_rows) = if c.early_stopping {
                    validation_split(data, c.validation_fraction, c.seed)
                } else {
                    (all_rows.clone(), Vec::new())
                };
                let mut job = boosting::BoostJob {
                    data: &binned,
                    labels: &data.labels,
                    weights: &weights,
                    objective,
                    train_rows: &train_rows,
                    valid_rows: &valid_rows,
                    rounds: c.n_trees,
                    patience: c.patience,
                    row_subsample: c.row_subsample,
                    col_subsample: c.col_subsample,
                    grow: grow.clone(),
                    seed: c.seed,
                    stage: Stage::Boosting,
                };
                let first = boosting::boost(&job, progress)?;
                let holdout = (!valid_rows.is_empty()).then(|| {
                    let k = objective.n_outputs();
                    let probabilities =
                        probabilities(ModelKind::GradientBoosting, k, &first.valid_raw);
                    Holdout {
                        labels: valid_rows
                            .iter()
                            .map(|&r| data.labels[r as usize])
                            .collect(),
                        rows: valid_rows.clone(),
                        probabilities,
                        out_of_bag: false,
                    }
                });
                let fitted = if c.refit && !valid_rows.is_empty() {
                    job.train_rows = &all_rows;
                    job.valid_rows = &[];
                    job.rounds = first.rounds;
                    job.stage = Stage::Refitting;
                    boosting::boost(&job, progress)?
                } else {
                    first
                };
                (
                    ModelKind::GradientBoosting,
                    fitted.trees,
                    fitted.base_score,
                    fitted.rounds,
                    holdout,
                )
            }
            Algorithm::RandomForest => {
                let f = forest::forest(
                    &forest::ForestJob {
                        data: &binned,
                        labels: &data.labels,
                        weights: &weights,
                        n_classes,
                        rows: &all_rows,
                        n_trees: c.n_trees,
                        grow: grow.clone(),
                        seed: c.seed,
                    },
                    progress,
                )?;
                let k = if n_classes == 2 { 1 } else { n_classes };
                let mut rows = Vec::new();
                let mut raw = Vec::new();
                for (i, &r) in all_rows.iter().enumerate() {
                    let v = &f.oob_raw[i * k..(i + 1) * k];
                    if !v[0].is_nan() {
                        rows.push(r);
                        raw.extend_from_slice(v);
                    }
                }
                let holdout = (!rows.is_empty()).then(|| Holdout {
                    labels: rows.iter().map(|&r| data.labels[r as usize]).collect(),
                    probabilities: probabilities(ModelKind::RandomForest, k, &raw),
                    rows,
                    out_of_bag: true,
                });
                (
                    ModelKind::RandomForest,
                    f.trees,
                    vec![0.0; k],
                    c.n_trees,
                    holdout,
                )
            }
        };
        let trees = train_trees.iter().map(|t| t.to_tree(&binned)).collect();
        let metrics = holdout
            .as_ref()
            .map_or_else(Vec::new, |h| holdout_metrics(h, n_classes));
        let model = Model::new(ModelParts {
            kind,
            features: data
                .features
                .iter()
                .map(|f| FeatureInfo {
                    name: f.name.clone(),
                    source: f.source.clone(),
                    kind: f.kind.clone(),
                })
                .collect(),
            pipeline: data.pipeline.clone(),
            class_names: data.class_names.clone(),
            base_score,
            trees,
            info: TrainingInfo {
                leadforest_version: crate::VERSION.into(),
                target: String::new(),
                rows: n as u64,
                seed: c.seed,
                config: serde_json::to_string(c).expect("configs serialize"),
                rounds,
                metrics,
            },
        });
        let mut model = model;
        // Calibration, tiers and threshold from the held-out predictions (see model::scoring):
        // fitted here only, so the CLI and the JS API store the same scoring section.
        Scoring::attach(&mut model, holdout.as_ref(), &ScoringOptions::default())?;
        model.training_profile = Some(crate::lifecycle::TrainingProfile::from_training(
            data,
            &model,
            holdout.as_ref(),
        ));
        Ok(Fitted { model, holdout })
    }
}

fn probabilities(kind: ModelKind, k: usize, raw: &[f64]) -> Vec<f64> {
    let probe = Model::new(ModelParts {
        kind,
        features: Vec::new(),
        pipeline: Pipeline::default(),
        class_names: Vec::new(),
        base_score: vec![0.0; k],
        trees: Vec::new(),
        info: TrainingInfo::default(),
    });
    probe.probabilities(raw)
}

/// Log loss, AUC and accuracy of held-out predictions.
fn holdout_metrics(h: &Holdout, n_classes: usize) -> Vec<Metric> {
    let prefix = if h.out_of_bag { "oob" } else { "valid" };
    let mut out = Vec::new();
    let m = |name: &str, value: f64| Metric {
        name: format!("{prefix}_{name}"),
        value,
    };
    if n_classes == 2 {
        let y: Vec<bool> = h.labels.iter().map(|&l| l == 1).collect();
        if let Ok(auc) = crate::metrics::roc_auc(&h.probabilities, &y, None) {
            out.push(m("auc", auc));
        }
        if let Ok(pr) = crate::metrics::pr_auc(&h.probabilities, &y, None) {
            out.push(m("pr_auc", pr));
        }
        // Log loss with the crate's own `ln`, so the stored figure is the same on every target.
        let ll = h
            .probabilities
            .iter()
            .zip(&y)
            .map(|(&p, &t)| {
                let p = p.clamp(1e-15, 1.0 - 1e-15);
                -crate::model::math::ln(if t { p } else { 1.0 - p })
            })
            .sum::<f64>()
            / y.len().max(1) as f64;
        out.push(m("log_loss", ll));
    } else {
        if let Ok(acc) = crate::metrics::multiclass_accuracy(&h.probabilities, n_classes, &h.labels)
        {
            out.push(m("accuracy", acc));
        }
        if let Ok(f1) = crate::metrics::macro_f1(&h.probabilities, n_classes, &h.labels) {
            out.push(m("macro_f1", f1));
        }
        // The bar to clear: always predicting the most common class of these rows.
        if let Ok(b) = crate::metrics::majority_baseline(&h.labels, n_classes) {
            out.push(m("majority_macro_f1", b.macro_f1));
            out.push(m("majority_accuracy", b.accuracy));
        }
    }
    out.push(m("rows", h.labels.len() as f64));
    out
}

fn check_data(data: &Dataset, c: &TrainConfig) -> Result<()> {
    let n = data.n_rows();
    if n < 2 {
        return Err(Error::Data(format!(
            "only {n} labelled rows: training needs at least 2"
        )));
    }
    if n > u32::MAX as usize / 2 {
        return Err(Error::Limit(format!(
            "{n} rows: at most 2,147,483,647 rows can be trained on"
        )));
    }
    if data.features.is_empty() {
        return Err(Error::Data("no feature columns to learn from".into()));
    }
    let k = data.class_names.len();
    if k < 2 {
        return Err(Error::Data(format!(
            "the target has {k} class(es): it needs at least two different values"
        )));
    }
    if let Some(bad) = data.labels.iter().find(|&&y| y as usize >= k) {
        return Err(Error::Data(format!(
            "label {bad} is out of range for {k} classes"
        )));
    }
    let mut seen = vec![false; k];
    for &y in &data.labels {
        seen[y as usize] = true;
    }
    if seen.iter().filter(|&&s| s).count() < 2 {
        return Err(Error::Data(
            "every row has the same target value: the model needs examples of both outcomes".into(),
        ));
    }
    for f in &data.features {
        if f.values.len() != n {
            return Err(Error::Data(format!(
                "feature `{}` has {} values for {n} rows",
                f.name,
                f.values.len()
            )));
        }
    }
    if let Some(w) = &c.class_weights {
        if w.len() != k {
            return Err(Error::Config {
                field: "class_weights",
                expected: format!("one weight per class ({k})"),
                given: format!("{} weights", w.len()),
            });
        }
    }
    Ok(())
}

/// Held-out rows for early stopping: the latest `fraction` by `time_key` when there is one
/// (ties by row order), else a stratified random sample. Both lists come back sorted.
fn validation_split(data: &Dataset, fraction: f64, seed: u64) -> (Vec<u32>, Vec<u32>) {
    let n = data.n_rows();
    let mut valid: Vec<u32> = Vec::new();
    match &data.time_key {
        Some(t) if t.len() == n => {
            let mut order: Vec<u32> = (0..n as u32).collect();
            // Unknown times sort first (kept for training).
            let key = |r: u32| {
                let x = t[r as usize];
                if x.is_nan() {
                    f64::NEG_INFINITY
                } else {
                    x
                }
            };
            order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
            let m = ((n as f64 * fraction).round() as usize).clamp(1, n - 1);
            valid.extend_from_slice(&order[n - m..]);
        }
        _ => {
            let mut rng = Rng::new(seed).fork(0x5A11D);
            for class in 0..data.class_names.len() as u32 {
                let mut rows: Vec<u32> = (0..n as u32)
                    .filter(|&r| data.labels[r as usize] == class)
                    .collect();
                let m = (rows.len() as f64 * fraction).round() as usize;
                for i in 0..m.min(rows.len()) {
                    let j = i + rng.below((rows.len() - i) as u64) as usize;
                    rows.swap(i, j);
                }
                valid.extend_from_slice(&rows[..m.min(rows.len())]);
            }
        }
    }
    valid.sort_unstable();
    let mut is_valid = vec![false; n];
    for &r in &valid {
        is_valid[r as usize] = true;
    }
    let train: Vec<u32> = (0..n as u32).filter(|&r| !is_valid[r as usize]).collect();
    if train.is_empty() || valid.is_empty() {
        return ((0..n as u32).collect(), Vec::new());
    }
    (train, valid)
}

/// A small synthetic binary dataset (one numeric signal, one categorical signal, noise, missing
/// values) for examples and tests; `n_rows` rows from `seed`.
#[doc(hidden)]
pub fn toy_dataset(n_rows: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let mut x = Vec::with_capacity(n_rows);
    let mut cat = Vec::with_capacity(n_rows);
    let mut noise = Vec::with_capacity(n_rows);
    let mut labels = Vec::with_capacity(n_rows);
    // Sums of uniforms rather than `Rng::normal` (which calls the platform's `ln`/`cos`), so the
    // data are bit-identical on every target.
    let bell = |rng: &mut Rng| (0..4).map(|_| rng.next_f64()).sum::<f64>() * 1.7 - 3.4;
    for _ in 0..n_rows {
        let xi = bell(&mut rng);
        let ci = rng.below(8);
        let logit = 1.5 * xi + [1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.0, 0.0][ci as usize];
        let y = rng.next_f64() < crate::model::sigmoid(logit);
        x.push(if rng.below(10) == 0 { f64::NAN } else { xi });
        cat.push(if rng.below(20) == 0 {
            f64::NAN
        } else {
            ci as f64
        });
        noise.push(bell(&mut rng));
        labels.push(y as u32);
    }
    let feature = |name: &str, kind: FeatureKind, values: Vec<f64>| Feature {
        name: name.into(),
        source: name.into(),
        kind,
        values,
    };
    Dataset {
        features: vec![
            feature("signal", FeatureKind::Numeric, x),
            feature(
                "segment",
                FeatureKind::Categorical {
                    categories: (0..8).map(|i| format!("s{i}")).collect(),
                },
                cat,
            ),
            feature("noise", FeatureKind::Numeric, noise),
        ],
        labels,
        class_names: vec!["no".into(), "yes".into()],
        time_key: None,
        pipeline: Pipeline::default(),
        notes: Vec::new(),
    }
}

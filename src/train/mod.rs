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
mod par;
mod split;
mod validate;

pub use config::{AlgoName, Algorithm, TrainConfig, TrainOptions, REFIT_MAX_ROWS};
pub use validate::{FoldMetrics, SplitMode, Validation, ValidationReport};

use crate::data::{Dataset, DatasetOptions, Feature, FeatureKind, Pipeline, Table};
use crate::limits::thousands;
use crate::model::scoring::{Scoring, ScoringOptions};
use crate::model::{FeatureInfo, Metric, Model, ModelKind, ModelParts, TrainingInfo};
use crate::rng::Rng;
use crate::{Error, Result};
use binning::{BinnedData, BinningOptions};
use grow::{GrowParams, TrainTree};
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
    /// Training the model of one cross-validation fold (`fold` from 1 of `folds`).
    Fold {
        /// This fold, from 1.
        fold: u32,
        /// All folds.
        folds: u32,
    },
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
    /// Boosting: exactly this many rounds instead of early stopping's choice (see
    /// [`Trainer::with_rounds`]).
    rounds: Option<u32>,
}

impl Trainer {
    /// A trainer with these settings.
    pub fn new(config: TrainConfig) -> Self {
        Trainer {
            config,
            rounds: None,
        }
    }

    /// Boosting: train exactly `rounds` rounds (≥ 1) rather than letting early stopping choose —
    /// e.g. to refit a model on more rows with the round count its early stopping chose, as the
    /// trainer's own refit does. The validation split is still made and measured (a model of
    /// the training rows with `rounds` rounds), so calibration, tiers and the report are fitted
    /// as usual, and the file's model is then trained on all rows when `config` refits (see
    /// [`TrainConfig::refits`]); the stored settings stay `config`'s. Forests: no effect.
    pub fn with_rounds(mut self, rounds: u32) -> Self {
        self.rounds = Some(rounds.max(1));
        self
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

    /// Notes about how training will validate `data` with these settings, before training: e.g.
    /// that a time-ordered split whose latest rows hold one outcome was replaced by a random
    /// holdout. [`Trainer::fit_detailed`] makes the same checks.
    ///
    /// # Errors
    /// `Error::Config` for settings out of range; `Error::Data` when the split asked for cannot
    /// measure a model (see [`Validation::Time`]).
    pub fn validation_notes(&self, data: &Dataset) -> Result<Vec<String>> {
        let c = &self.config;
        c.validate()?;
        check_data(data, c)?;
        let time = validate::time_order(data, c.rows_in_time_order);
        Ok(validate::plan(data, c, time.as_ref())?.1)
    }

    /// Like [`Trainer::fit`], also returning the held-out predictions.
    ///
    /// # Errors
    /// As [`Trainer::fit`].
    pub fn fit_detailed(&self, data: &Dataset, progress: ProgressFn) -> Result<Fitted> {
        self.config.validate()?;
        check_data(data, &self.config)?;
        let n_classes = data.class_names.len();
        let n = data.n_rows();
        // The refit decided once for these rows (k-fold's models follow the final model's
        // choice), and stored as decided in the model's settings.
        let resolved = TrainConfig {
            refit: Some(self.config.refits(n)),
            ..self.config.clone()
        };
        let c = &resolved;
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
        let k = if n_classes == 2 { 1 } else { n_classes };
        let time = validate::time_order(data, c.rows_in_time_order);
        // The split that measures the final model (and stops boosting early).
        let (plan, _notes) = validate::plan(data, c, time.as_ref())?;
        let job = Job {
            binned: &binned,
            labels: &data.labels,
            weights: &weights,
            grow: &grow,
            config: c,
            n_classes,
        };
        let mut train_scores: Option<Vec<f64>> = None;
        // The rows the final model's trees were grown on (all rows unless boosting kept its
        // early-stopped model).
        let mut final_rows = n;
        let (kind, train_trees, base_score, rounds, holdout) = match c.algorithm {
            Algorithm::Gbt => {
                let n_rounds = self.rounds.unwrap_or(c.n_trees);
                let stops = c.early_stopping && self.rounds.is_none();
                // A model of the split's training rows, measured on its held-out rows, and the
                // round count a refit on all rows would use.
                let measured = if stops && !plan.test.is_empty() {
                    let first = job.boost(
                        &plan.train,
                        &plan.test,
                        c.n_trees,
                        Stage::Boosting,
                        progress,
                    )?;
                    let holdout = job.holdout(&plan.test, first.valid_raw.clone(), false);
                    let rounds = first.rounds;
                    Some((first, rounds, holdout))
                } else if !plan.test.is_empty() {
                    // A split asked for without early stopping (or with the rounds given).
                    let eval = job.boost(&plan.train, &[], n_rounds, Stage::Boosting, progress)?;
                    let raw = job.predict(&eval.trees, &eval.base_score, &plan.test);
                    Some((eval, n_rounds, job.holdout(&plan.test, raw, false)))
                } else {
                    None
                };
                let (fitted, holdout) = match measured {
                    Some((kept, rounds, holdout)) => {
                        let fitted = if c.refits(n) {
                            job.boost(&all_rows, &[], rounds, Stage::Refitting, progress)?
                        } else {
                            final_rows = plan.train.len();
                            kept
                        };
                        (fitted, Some(holdout))
                    }
                    None => (
                        job.boost(&all_rows, &[], n_rounds, Stage::Boosting, progress)?,
                        None,
                    ),
                };
                // The final model's probabilities of every row, from the margins boosting kept
                // (the training profile's score bins need them; no row is scored again).
                if k == 1 && fitted.covered == n {
                    train_scores = Some(probabilities(ModelKind::GradientBoosting, 1, &fitted.raw));
                }
                (
                    ModelKind::GradientBoosting,
                    fitted.trees,
                    fitted.base_score,
                    fitted.rounds,
                    holdout,
                )
            }
            Algorithm::RandomForest => {
                let (f, holdout) = if plan.test.is_empty() {
                    let f = job.forest(&all_rows, Stage::Forest, progress)?;
                    let mut rows = Vec::new();
                    let mut raw = Vec::new();
                    for (i, &r) in all_rows.iter().enumerate() {
                        let v = &f.oob_raw[i * k..(i + 1) * k];
                        if !v[0].is_nan() {
                            rows.push(r);
                            raw.extend_from_slice(v);
                        }
                    }
                    let holdout = (!rows.is_empty()).then(|| job.holdout(&rows, raw, true));
                    (f, holdout)
                } else {
                    let eval = job.forest(&plan.train, Stage::Forest, progress)?;
                    let raw = job.predict(&eval.trees, &vec![0.0; k], &plan.test);
                    let holdout = job.holdout(&plan.test, raw, false);
                    // The forest measured on the held-out rows is the file's unless the settings
                    // refit (the forest default: always), as for boosting.
                    let fitted = if c.refits(n) {
                        job.forest(&all_rows, Stage::Forest, progress)?
                    } else {
                        final_rows = plan.train.len();
                        eval
                    };
                    (fitted, Some(holdout))
                };
                (
                    ModelKind::RandomForest,
                    f.trees,
                    vec![0.0; k],
                    c.n_trees,
                    holdout,
                )
            }
        };
        let mut out_of_fold: Option<Holdout> = None;
        let report = if c.validation == Validation::KFold {
            let (report, oof) = job.cross_validate(data, &plan, time.as_ref(), progress)?;
            out_of_fold = Some(oof);
            report
        } else {
            let mode = match (&holdout, plan.mode) {
                (None, _) => SplitMode::None,
                (Some(h), _) if h.out_of_bag => SplitMode::OutOfBag,
                (Some(_), m) => m,
            };
            let (train_rows, metrics) = match &holdout {
                Some(h) => {
                    let train_rows = if h.out_of_bag { n } else { plan.train.len() } as u64;
                    let m = validate::measure(&h.probabilities, &h.labels, n_classes, train_rows);
                    (train_rows, m)
                }
                None => (
                    n as u64,
                    FoldMetrics {
                        train_rows: n as u64,
                        ..FoldMetrics::default()
                    },
                ),
            };
            let [train_end, test_start, test_end] = plan.bounds.clone();
            ValidationReport {
                requested: c.validation,
                mode,
                fraction: c.validation_fraction,
                time_column: plan.time_column.clone(),
                train_end,
                test_start,
                test_end,
                train_rows,
                test_rows: metrics.test_rows,
                metrics,
                sd: None,
                folds: Vec::new(),
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
                rows: final_rows as u64,
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
        model.training_profile = Some(crate::lifecycle::TrainingProfile::from_training_scored(
            data,
            &model,
            holdout.as_ref(),
            train_scores.as_deref(),
        ));
        // The evaluation report on the rows that measured the model: out-of-fold predictions
        // for k-fold, else the held-out (or out-of-bag) rows.
        let measured = out_of_fold.as_ref().or(holdout.as_ref());
        model.evaluation = match measured {
            Some(h) => Some(evaluate_holdout(data, &model, h, &report)?),
            None => None,
        };
        model.validation = Some(report);
        Ok(Fitted { model, holdout })
    }
}

/// The evaluation report of `model` on held-out (out-of-fold, out-of-bag) predictions `h`.
fn evaluate_holdout(
    data: &Dataset,
    model: &Model,
    h: &Holdout,
    report: &ValidationReport,
) -> Result<crate::model::evaluation::Evaluation> {
    use crate::model::evaluation::{self, Evaluation, EvaluationInput, RowsKind, RuleName};
    let n = h.rows.len() as u64;
    let rows = thousands(n);
    let pct = format!("{:.0} %", 100.0 * report.fraction);
    let (kind, description) = match report.mode {
        SplitMode::KFold => (
            RowsKind::OutOfFold,
            format!(
                "{rows} rows, each scored by the one of {} fold models that did not learn from it",
                report.folds.len()
            ),
        ),
        _ if h.out_of_bag => (
            RowsKind::OutOfBag,
            format!("{rows} rows, each scored by the trees that did not see it (out-of-bag)"),
        ),
        SplitMode::Time => (
            RowsKind::Latest,
            match &report.time_column {
                Some(c) => format!(
                    "{rows} held-out rows: the latest {pct} by \"{c}\" ({} to {})",
                    report.test_start.as_deref().unwrap_or("?"),
                    report.test_end.as_deref().unwrap_or("?")
                ),
                None => format!("{rows} held-out rows: the last {pct} of the file"),
            },
        ),
        _ => (
            RowsKind::HeldOut,
            format!("{rows} held-out rows (a random {pct}, not used for training)"),
        ),
    };
    let train_rows = match kind {
        RowsKind::Latest | RowsKind::HeldOut => report.train_rows,
        _ => data.n_rows() as u64,
    };
    let leads_per_day = if kind == RowsKind::Latest && report.time_column.is_some() {
        evaluation::leads_per_day(n, report.test_start.as_deref(), report.test_end.as_deref())
    } else {
        None
    };
    let columns: Vec<Vec<f64>> = data
        .features
        .iter()
        .map(|f| h.rows.iter().map(|&r| f.values[r as usize]).collect())
        .collect();
    let binary = data.class_names.len() == 2;
    let y: Vec<bool> = h.labels.iter().map(|&l| l == 1).collect();
    let points = if binary {
        let categorical: Vec<bool> = data
            .features
            .iter()
            .map(|f| matches!(f.kind, FeatureKind::Categorical { .. }))
            .collect();
        evaluation::points(&columns, &categorical, &y)
    } else {
        None
    };
    let importance = evaluation::importance(model, &columns, h.rows.len())?;
    Evaluation::build(&EvaluationInput {
        kind,
        description,
        train_rows: Some(train_rows),
        leads_per_day,
        class_names: &data.class_names,
        probabilities: &h.probabilities,
        labels: &h.labels,
        scoring: model.scoring.as_ref(),
        rule: match ScoringOptions::default().threshold {
            crate::model::threshold::ThresholdRule::Fixed(_) => RuleName::Fixed,
            crate::model::threshold::ThresholdRule::MaxF1 => RuleName::MaxF1,
            crate::model::threshold::ThresholdRule::PrecisionFirst(_) => RuleName::PrecisionFirst,
        },
        importance,
        points: points.as_deref(),
        segments: None,
    })
}

/// What the training runs of one `fit` share (boosting and forests on row subsets).
struct Job<'a> {
    binned: &'a BinnedData,
    labels: &'a [u32],
    weights: &'a [f64],
    grow: &'a GrowParams,
    config: &'a TrainConfig,
    n_classes: usize,
}

impl Job<'_> {
    fn objective(&self) -> Objective {
        if self.n_classes == 2 {
            Objective::Binary
        } else {
            Objective::Softmax(self.n_classes)
        }
    }

    fn n_outputs(&self) -> usize {
        if self.n_classes == 2 {
            1
        } else {
            self.n_classes
        }
    }

    fn kind(&self) -> ModelKind {
        match self.config.algorithm {
            Algorithm::Gbt => ModelKind::GradientBoosting,
            Algorithm::RandomForest => ModelKind::RandomForest,
        }
    }

    /// Boosts `rounds` rounds on `train` (early stopping on `valid` when not empty).
    fn boost(
        &self,
        train: &[u32],
        valid: &[u32],
        rounds: u32,
        stage: Stage,
        progress: ProgressFn,
    ) -> Result<boosting::Boosted> {
        let c = self.config;
        boosting::boost(
            &boosting::BoostJob {
                data: self.binned,
                labels: self.labels,
                weights: self.weights,
                objective: self.objective(),
                train_rows: train,
                valid_rows: valid,
                rounds,
                patience: c.patience,
                row_subsample: c.row_subsample,
                col_subsample: c.col_subsample,
                grow: self.grow.clone(),
                seed: c.seed,
                stage,
            },
            progress,
        )
    }

    /// A forest of `n_trees` trees on `rows`.
    fn forest(&self, rows: &[u32], stage: Stage, progress: ProgressFn) -> Result<forest::Forest> {
        forest::forest(
            &forest::ForestJob {
                data: self.binned,
                labels: self.labels,
                weights: self.weights,
                n_classes: self.n_classes,
                rows,
                n_trees: self.config.n_trees,
                grow: self.grow.clone(),
                seed: self.config.seed,
                stage,
            },
            progress,
        )
    }

    /// Raw margins of `rows` (`rows.len() · n_outputs`) from round-major training trees.
    fn predict(&self, trees: &[TrainTree], base: &[f64], rows: &[u32]) -> Vec<f64> {
        let k = base.len();
        // Rows are independent: chunks on as many threads as there are, concatenated in order.
        par::map_chunks(rows, |chunk| {
            let mut raw = Vec::with_capacity(chunk.len() * k);
            for &r in chunk {
                for (c, &b) in base.iter().enumerate() {
                    let sum = trees
                        .iter()
                        .skip(c)
                        .step_by(k)
                        .map(|t| t.predict_binned(self.binned, r as usize))
                        .sum::<f64>();
                    raw.push(b + sum);
                }
            }
            raw
        })
        .concat()
    }

    /// Held-out predictions from raw margins of `rows`.
    fn holdout(&self, rows: &[u32], raw: Vec<f64>, out_of_bag: bool) -> Holdout {
        Holdout {
            labels: rows.iter().map(|&r| self.labels[r as usize]).collect(),
            rows: rows.to_vec(),
            probabilities: probabilities(self.kind(), self.n_outputs(), &raw),
            out_of_bag,
        }
    }

    /// K-fold cross validation: a model per fold, trained on the other folds exactly as the final
    /// model is trained on all rows, and measured on its own fold. Boosting with early stopping:
    /// each fold's model stops on its own held-out rows — the same kind of split as the final
    /// model's (`final_plan.mode`: the latest or a stratified random `validation_fraction` of the
    /// fold's training rows) — then, with `refit`, is retrained on all of the fold's training
    /// rows with the round count it chose. Without early stopping: `n_trees` rounds. Forests:
    /// `n_trees` trees.
    fn cross_validate(
        &self,
        data: &Dataset,
        final_plan: &validate::Plan,
        time: Option<&validate::TimeOrder>,
        progress: ProgressFn,
    ) -> Result<(ValidationReport, Holdout)> {
        let c = self.config;
        let folds = validate::kfold(data, c.folds, c.seed)?;
        let mut oof = Holdout {
            rows: Vec::with_capacity(data.n_rows()),
            labels: Vec::with_capacity(data.n_rows()),
            probabilities: Vec::with_capacity(data.n_rows() * self.n_outputs()),
            out_of_bag: false,
        };
        let n = data.n_rows();
        let k = self.n_outputs();
        let mut in_fold = vec![0u32; n];
        for (f, rows) in folds.iter().enumerate() {
            for &r in rows {
                in_fold[r as usize] = f as u32;
            }
        }
        let mut figures = Vec::with_capacity(folds.len());
        for (f, test) in folds.iter().enumerate() {
            let train: Vec<u32> = (0..n as u32)
                .filter(|&r| in_fold[r as usize] != f as u32)
                .collect();
            let stage = Stage::Fold {
                fold: f as u32 + 1,
                folds: c.folds,
            };
            let raw = match c.algorithm {
                Algorithm::Gbt => {
                    let stops = c.early_stopping
                        && matches!(final_plan.mode, SplitMode::Holdout | SplitMode::Time);
                    let inner = stops.then(|| {
                        validate::split_rows(
                            data,
                            &train,
                            final_plan.mode,
                            time,
                            c.validation_fraction,
                            Rng::new(c.seed).fork(0x5A11D).fork(f as u64 + 1),
                        )
                    });
                    let b = match inner {
                        Some(inner) if !inner.test.is_empty() => {
                            let first =
                                self.boost(&inner.train, &inner.test, c.n_trees, stage, progress)?;
                            if c.refits(n) {
                                self.boost(&train, &[], first.rounds, stage, progress)?
                            } else {
                                first
                            }
                        }
                        _ => self.boost(&train, &[], c.n_trees, stage, progress)?,
                    };
                    self.predict(&b.trees, &b.base_score, test)
                }
                Algorithm::RandomForest => {
                    let t = self.forest(&train, stage, progress)?;
                    self.predict(&t.trees, &vec![0.0; k], test)
                }
            };
            let h = self.holdout(test, raw, false);
            figures.push(validate::measure(
                &h.probabilities,
                &h.labels,
                self.n_classes,
                train.len() as u64,
            ));
            oof.rows.extend_from_slice(&h.rows);
            oof.labels.extend_from_slice(&h.labels);
            oof.probabilities.extend_from_slice(&h.probabilities);
        }
        let (metrics, sd) = validate::mean_sd(&figures);
        let report = ValidationReport {
            requested: Validation::KFold,
            mode: SplitMode::KFold,
            fraction: c.validation_fraction,
            time_column: None,
            train_end: None,
            test_start: None,
            test_end: None,
            train_rows: n as u64,
            test_rows: n as u64,
            metrics,
            sd: Some(sd),
            folds: figures,
        };
        Ok((report, oof))
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
        constant_columns: Vec::new(),
        privacy: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The training profile's score bins come from the margins boosting kept: the same profile
    /// as scoring every row again with the final model, with and without refit and early stopping.
    #[test]
    fn profile_from_boosting_margins_equals_rescoring() {
        let data = toy_dataset(3000, 7);
        let configs = [
            TrainConfig {
                n_trees: 40,
                ..TrainConfig::default()
            },
            TrainConfig {
                n_trees: 40,
                refit: Some(false),
                ..TrainConfig::default()
            },
            TrainConfig {
                n_trees: 15,
                early_stopping: false,
                ..TrainConfig::default()
            },
            // Patience 1 and no refit: the kept round is an early one, rows past it are dropped.
            TrainConfig {
                n_trees: 30,
                patience: 1,
                refit: Some(false),
                learning_rate: 1.0,
                ..TrainConfig::default()
            },
        ];
        for c in configs {
            let fitted = Trainer::new(c.clone())
                .fit_detailed(&data, &mut |_| ControlFlow::Continue(()))
                .unwrap();
            let stored = fitted.model.training_profile.clone().unwrap();
            let rescored = crate::lifecycle::TrainingProfile::from_training(
                &data,
                &fitted.model,
                fitted.holdout.as_ref(),
            );
            assert_eq!(stored, rescored, "{c:?}");
            assert_eq!(stored.score.as_ref().unwrap().total(), 3000);
        }
    }

    /// The default refits at most `REFIT_MAX_ROWS` rows and keeps the early-stopped model above;
    /// either way the model stores the choice made, and `--refit` / `--no-refit` still force it.
    #[test]
    fn the_default_refit_follows_the_row_count() {
        let fit = |data: &Dataset, refit: Option<bool>| {
            Trainer::new(TrainConfig {
                n_trees: 6,
                refit,
                ..TrainConfig::default()
            })
            .fit(data, &mut |_| ControlFlow::Continue(()))
            .unwrap()
        };
        let stored = |m: &Model| {
            serde_json::from_str::<TrainConfig>(&m.info.config)
                .unwrap()
                .refit
        };
        for (rows, refits) in [(3000, true), (REFIT_MAX_ROWS + 1, false)] {
            let data = toy_dataset(rows, 5);
            // Without early stopping but with a holdout asked for, the measured model is kept
            // or retrained by the same rule.
            let fixed = Trainer::new(TrainConfig {
                n_trees: 4,
                early_stopping: false,
                validation: Validation::Holdout,
                ..TrainConfig::default()
            })
            .fit(&data, &mut |_| ControlFlow::Continue(()))
            .unwrap();
            assert_eq!(fixed.info.rows == rows as u64, refits, "{rows} rows");
            assert_eq!(fixed.trees().len(), 4);
            let auto = fit(&data, None);
            assert_eq!(stored(&auto), Some(refits), "{rows} rows");
            // Without the refit the file's model was grown on the training rows only.
            assert_eq!(auto.info.rows == rows as u64, refits, "{rows} rows");
            let same = fit(&data, Some(refits));
            assert_eq!(auto.to_bytes(), same.to_bytes(), "{rows} rows");
            let other = fit(&data, Some(!refits));
            assert_eq!(stored(&other), Some(!refits));
            assert_ne!(auto.to_bytes(), other.to_bytes(), "{rows} rows");
        }
    }

    /// The margins boosting keeps are bit for bit the final model's raw predictions of every
    /// training and validation row (at the kept round when early stopping).
    #[test]
    fn boosting_margins_are_the_models_predictions() {
        let data = toy_dataset(4000, 11);
        let c = TrainConfig::default();
        // A model to carry the trees (features, pipeline, classes).
        let fitted = Trainer::new(TrainConfig {
            n_trees: 2,
            ..c.clone()
        })
        .fit_detailed(&data, &mut |_| ControlFlow::Continue(()))
        .unwrap();
        let binned = BinnedData::new(
            &data,
            &BinningOptions {
                max_bins: 255,
                rare_category_rows: 10,
            },
            c.seed,
        );
        let grow = GrowParams {
            split: SplitParams {
                l2: c.l2,
                min_samples_leaf: 20.0,
                min_hessian_leaf: c.min_hessian_leaf,
                cat_smooth: c.cat_smooth,
                cat_l2: c.cat_l2,
                max_cat_threshold: 32,
                min_data_per_group: 50.0,
                max_cat_to_onehot: 4,
                min_gain: 1e-12,
            },
            max_leaves: 31,
            max_depth: 0,
            learning_rate: 0.3,
            features_per_node: 0,
        };
        let weights = vec![1.0; data.n_rows()];
        let job = Job {
            binned: &binned,
            labels: &data.labels,
            weights: &weights,
            grow: &grow,
            config: &c,
            n_classes: 2,
        };
        let train: Vec<u32> = (0..4000).filter(|r| r % 5 != 0).collect();
        let valid: Vec<u32> = (0..4000).filter(|r| r % 5 == 0).collect();
        let all: Vec<u32> = (0..4000).collect();
        for (rows, valid) in [(&train, &valid), (&all, &Vec::new())] {
            let b = job
                .boost(rows, valid, 200, Stage::Boosting, &mut |_| {
                    ControlFlow::Continue(())
                })
                .unwrap();
            assert_eq!(b.covered, rows.len() + valid.len());
            assert!(!valid.is_empty() || b.rounds == 200);
            assert!(
                valid.is_empty() || b.rounds < 150,
                "stopped early: {}",
                b.rounds
            );
            let mut model = fitted.model.clone();
            *model.trees_mut() = b.trees.iter().map(|t| t.to_tree(&binned)).collect();
            model.base_score = b.base_score.clone();
            let cols: Vec<&[f64]> = data.features.iter().map(|f| &f.values[..]).collect();
            let want = model.predict_columns(&cols);
            for (i, (a, w)) in b.raw.iter().zip(&want).enumerate() {
                assert_eq!(a.to_bits(), w.to_bits(), "row {i}: {a} vs {w}");
            }
        }
    }
}

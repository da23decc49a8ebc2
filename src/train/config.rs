//! Training settings: one plain struct with documented fields and defaults that need no tuning.

use super::validate::Validation;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Which learner to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// Gradient-boosted trees (the default).
    Gbt,
    /// Random forest: bootstrap samples, feature subsampling per split, averaged trees.
    RandomForest,
}

/// Training settings. [`TrainConfig::default`] is gradient boosting;
/// [`TrainConfig::random_forest`] the forest defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// The learner.
    pub algorithm: Algorithm,
    /// Boosting rounds (an upper bound when early stopping) or forest trees, ≥ 1.
    pub n_trees: u32,
    /// Shrinkage on each boosting tree's output, in (0, 1] (forests: ignored).
    pub learning_rate: f64,
    /// Most leaves per tree, ≥ 2 (0 = no limit; grows depth-first).
    pub max_leaves: u32,
    /// Deepest level of a tree (0 = no limit).
    pub max_depth: u32,
    /// Fewest training rows in a leaf, ≥ 1.
    pub min_samples_leaf: u32,
    /// Smallest hessian sum in a leaf, ≥ 0.
    pub min_hessian_leaf: f64,
    /// L2 penalty on leaf values, ≥ 0.
    pub l2: f64,
    /// Fraction of rows each boosting tree sees, in (0, 1].
    pub row_subsample: f64,
    /// Fraction of features each tree may split on, in (0, 1].
    pub col_subsample: f64,
    /// Features tried at each split, as a fraction of all features in (0, 1]; 0 = √features
    /// (forests; boosting uses all).
    pub features_per_split: f64,
    /// Most value bins per numeric feature, in 2..=255 (plus one bin for missing values).
    pub max_bins: u32,
    /// Categories seen in fewer training rows share one bin.
    pub rare_category_rows: u32,
    /// Smoothing added to a category's hessian when ordering categories for a split, ≥ 0.
    pub cat_smooth: f64,
    /// Extra L2 penalty for splits over many categories, ≥ 0.
    pub cat_l2: f64,
    /// Most categories on the chosen side of a categorical split, ≥ 1.
    pub max_cat_threshold: u32,
    /// Fewest rows for a category to be ordered into a categorical split, ≥ 1.
    pub min_data_per_group: u32,
    /// Up to this many categories, categorical splits are one-vs-rest.
    pub max_cat_to_onehot: u32,
    /// Hold out rows to stop boosting when the validation loss stops improving.
    pub early_stopping: bool,
    /// Fraction of rows held out for early stopping and the reported metrics (the test fraction
    /// of the holdout and time splits), in (0, 0.5].
    pub validation_fraction: f64,
    /// How the model is validated: `Auto` (time-ordered when the data has a date, else a
    /// stratified random holdout; forests: out-of-bag), `Holdout`, `Time` or `KFold`.
    #[serde(default)]
    pub validation: Validation,
    /// Folds of k-fold cross validation, in 2..=20 (other modes: ignored).
    #[serde(default = "default_folds")]
    pub folds: u32,
    /// The rows are in time order (file order = time): time-ordered validation uses the row
    /// order when the data has no date column.
    #[serde(default)]
    pub rows_in_time_order: bool,
    /// Rounds without improvement of the validation loss before stopping, ≥ 1.
    pub patience: u32,
    /// After measuring a model on the held-out rows (early-stopped: with the round count it chose;
    /// else `n_trees` rounds or trees), train the final one on all rows: `Some(true)` always (the
    /// forest default), `Some(false)` never, `None` (the GBT default) when the data has at most
    /// [`REFIT_MAX_ROWS`] rows ([`TrainConfig::refits`]). A trained model's stored settings hold
    /// the resolved choice.
    pub refit: Option<bool>,
    /// Weight per class index (e.g. `[1.0, 5.0]` to weigh positives ×5); `None` = all 1.
    pub class_weights: Option<Vec<f64>>,
    /// The random seed: same data + config + seed ⇒ the same model bytes.
    pub seed: u64,
}

/// Rows above which the default GBT keeps its early-stopped model instead of boosting again on
/// all rows. The refit gives the final model the held-out 20 % too: on the accuracy suite (≤ 51k
/// training rows) that earned +0.0066 mean held-out AUC for 1.43× the training time, and on a
/// learning curve of the suite's files (4k–51k rows) its gain shrinks as rows grow, while its cost
/// grows with them (a 1M-row export: +0.0008 AUC for 3.8× the time). BENCHMARKS.md, "The refit's
/// row-count rule".
pub const REFIT_MAX_ROWS: usize = 100_000;

fn default_folds() -> u32 {
    5
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            algorithm: Algorithm::Gbt,
            n_trees: 1000,
            learning_rate: 0.05,
            max_leaves: 31,
            max_depth: 0,
            min_samples_leaf: 20,
            min_hessian_leaf: 1e-3,
            l2: 1.0,
            // Bagging rows and features per tree: less variance, more robust under drift.
            row_subsample: 0.8,
            col_subsample: 0.5,
            features_per_split: 1.0,
            max_bins: 255,
            rare_category_rows: 10,
            cat_smooth: 10.0,
            cat_l2: 10.0,
            max_cat_threshold: 32,
            min_data_per_group: 50,
            max_cat_to_onehot: 4,
            early_stopping: true,
            validation_fraction: 0.2,
            validation: Validation::Auto,
            folds: 5,
            rows_in_time_order: false,
            patience: 50,
            refit: None,
            class_weights: None,
            seed: 42,
        }
    }
}

impl TrainConfig {
    /// Random-forest defaults: 100 trees of at most 255 leaves on bootstrap samples, √features
    /// per split.
    ///
    /// The leaf cap: unlimited trees grow with the rows (~2,100 leaves each at 45k rows, ~40k at
    /// 1M), and so do the model file, training and every lead's exact reasons (TreeSHAP visits
    /// every node). On the accuracy suite (6 datasets, held-out AUC, 2026-12-06) 255 leaves
    /// matched or beat unlimited trees on 5 and lost 0.0009 on one (mean +0.007), with files
    /// ~1.4 MB instead of up to 9.2 MB, training up to 7× and reasons ~9× faster at 45k rows.
    /// `max_leaves: 0` still grows unlimited trees.
    pub fn random_forest() -> Self {
        TrainConfig {
            algorithm: Algorithm::RandomForest,
            n_trees: 100,
            learning_rate: 1.0,
            max_leaves: 255,
            min_samples_leaf: 5,
            min_hessian_leaf: 0.0,
            l2: 0.0,
            features_per_split: 0.0,
            cat_l2: 0.0,
            cat_smooth: 1.0,
            min_data_per_group: 5,
            row_subsample: 1.0,
            col_subsample: 1.0,
            early_stopping: false,
            // A forest measured on held-out rows is grown again on all rows (`--no-refit`
            // keeps the measured one); out-of-bag validation holds no rows out.
            refit: Some(true),
            ..TrainConfig::default()
        }
    }

    /// Whether boosting with early stopping refits on all `rows` rows afterwards (see `refit`).
    pub fn refits(&self, rows: usize) -> bool {
        self.refit.unwrap_or(rows <= REFIT_MAX_ROWS)
    }

    /// Checks every field's range.
    ///
    /// # Errors
    /// `Error::Config` naming the first field out of range.
    pub fn validate(&self) -> Result<()> {
        fn bad(field: &'static str, expected: &str, given: impl ToString) -> Result<()> {
            Err(Error::Config {
                field,
                expected: expected.into(),
                given: given.to_string(),
            })
        }
        let unit = |x: f64| x > 0.0 && x <= 1.0;
        let nonneg = |x: f64| x >= 0.0 && x.is_finite();
        if self.n_trees == 0 || self.n_trees > crate::limits::MAX_TREES {
            return bad("n_trees", "1..=100000", self.n_trees);
        }
        if !unit(self.learning_rate) {
            return bad("learning_rate", "a number in (0, 1]", self.learning_rate);
        }
        if self.max_leaves == 1 || self.max_leaves as usize > crate::limits::MAX_TREE_LEAVES {
            return bad("max_leaves", "0 (no limit) or 2..=131072", self.max_leaves);
        }
        if self.max_depth as usize > crate::limits::MAX_TREE_DEPTH {
            return bad("max_depth", "0 (no limit) or 1..=256", self.max_depth);
        }
        if self.min_samples_leaf == 0 {
            return bad("min_samples_leaf", "≥ 1", self.min_samples_leaf);
        }
        if !nonneg(self.min_hessian_leaf) {
            return bad("min_hessian_leaf", "≥ 0", self.min_hessian_leaf);
        }
        if !nonneg(self.l2) {
            return bad("l2", "≥ 0", self.l2);
        }
        if !unit(self.row_subsample) {
            return bad("row_subsample", "a fraction in (0, 1]", self.row_subsample);
        }
        if !unit(self.col_subsample) {
            return bad("col_subsample", "a fraction in (0, 1]", self.col_subsample);
        }
        if !(self.features_per_split == 0.0 || unit(self.features_per_split)) {
            return bad(
                "features_per_split",
                "0 (√features) or a fraction in (0, 1]",
                self.features_per_split,
            );
        }
        if !(2..=255).contains(&self.max_bins) {
            return bad("max_bins", "2..=255", self.max_bins);
        }
        if !nonneg(self.cat_smooth) {
            return bad("cat_smooth", "≥ 0", self.cat_smooth);
        }
        if !nonneg(self.cat_l2) {
            return bad("cat_l2", "≥ 0", self.cat_l2);
        }
        if self.max_cat_threshold == 0 {
            return bad("max_cat_threshold", "≥ 1", self.max_cat_threshold);
        }
        if self.min_data_per_group == 0 {
            return bad("min_data_per_group", "≥ 1", self.min_data_per_group);
        }
        if !(self.validation_fraction > 0.0 && self.validation_fraction <= 0.5) {
            return bad(
                "validation_fraction",
                "a fraction in (0, 0.5]",
                self.validation_fraction,
            );
        }
        if self.validation == Validation::KFold {
            super::validate::check_folds(self.folds)?;
        }
        if self.patience == 0 {
            return bad("patience", "≥ 1", self.patience);
        }
        if let Some(w) = &self.class_weights {
            if w.iter().any(|&x| !(x > 0.0 && x.is_finite())) {
                return bad("class_weights", "positive finite weights", format!("{w:?}"));
            }
        }
        Ok(())
    }
}

/// The learner as the front-ends name it (`gbt`, `rf`; the CLI's aliases accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlgoName {
    /// Gradient boosting (the default).
    #[default]
    #[serde(alias = "gbdt", alias = "boosting")]
    Gbt,
    /// Random forest.
    #[serde(alias = "forest", alias = "random-forest")]
    Rf,
}

/// The training options both front-ends read — the CLI's `train` flags and the JS API's
/// `train(bytes, options)` — and map to a [`TrainConfig`] through [`TrainOptions::config`], so the
/// same options give the same model in both. Serialized in camelCase (the JS names); unknown
/// fields are refused. [`TrainOptions::default`] holds the CLI's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TrainOptions {
    /// The column to predict (required).
    pub target: String,
    /// Target values counted as positive (default: automatic).
    pub positive: Vec<String>,
    /// Columns to leave out.
    pub drop: Vec<String>,
    /// Extra missing-value placeholders.
    pub missing: Vec<String>,
    /// The learner.
    pub algo: AlgoName,
    /// The random seed.
    pub seed: u64,
    /// Boosting rounds (a maximum with early stopping) or forest trees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trees: Option<u32>,
    /// Boosting learning rate, in (0, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_rate: Option<f64>,
    /// Most leaves per tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_leaves: Option<u32>,
    /// Most value bins per numeric feature (2..=255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_bins: Option<u32>,
    /// Fraction of rows each boosting tree sees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row_subsample: Option<f64>,
    /// Fraction of features each tree may use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col_subsample: Option<f64>,
    /// Fewest training rows per leaf.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_samples_leaf: Option<u32>,
    /// `false` = run every round on all rows (CLI `--no-early-stopping`); default: the learner's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_stopping: Option<bool>,
    /// After measuring on held-out rows, retrain on all rows (boosting: with the round count
    /// early stopping chose; CLI `--refit` / `--no-refit`); default: the learner's (GBT: when the
    /// data has at most [`REFIT_MAX_ROWS`] rows; forests: always).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refit: Option<bool>,
    /// Leave out the columns the leak scan flags.
    pub exclude_leaky: bool,
    /// `auto`, `holdout`, `time` or `kfold`.
    pub validation: String,
    /// K-fold folds, 2..=20.
    pub folds: u32,
    /// Test share of the holdout and time splits, in (0, 0.5].
    pub test_fraction: f64,
    /// The rows are in time order.
    pub rows_in_time_order: bool,
    /// When the model is trained, as the writer knows it (stored in the model as given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trained_at: Option<String>,
    /// Personal-data columns to train on anyway (CLI `--allow-personal`); recorded in the model
    /// file's `privacy` section.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow_personal: Vec<String>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        let c = TrainConfig::default();
        TrainOptions {
            target: String::new(),
            positive: Vec::new(),
            drop: Vec::new(),
            missing: Vec::new(),
            algo: AlgoName::Gbt,
            seed: c.seed,
            trees: None,
            learning_rate: None,
            max_leaves: None,
            max_bins: None,
            row_subsample: None,
            col_subsample: None,
            min_samples_leaf: None,
            early_stopping: None,
            refit: None,
            exclude_leaky: false,
            validation: c.validation.name().into(),
            folds: c.folds,
            test_fraction: c.validation_fraction,
            rows_in_time_order: false,
            trained_at: None,
            allow_personal: Vec::new(),
        }
    }
}

impl TrainOptions {
    /// The training settings these options ask for.
    ///
    /// # Errors
    /// `Error::Config` for an unknown validation mode (ranges are checked by the trainer).
    pub fn config(&self) -> Result<TrainConfig> {
        let mut c = match self.algo {
            AlgoName::Gbt => TrainConfig::default(),
            AlgoName::Rf => TrainConfig::random_forest(),
        };
        c.seed = self.seed;
        let set = |slot: &mut u32, v: Option<u32>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut c.n_trees, self.trees);
        set(&mut c.max_leaves, self.max_leaves);
        set(&mut c.max_bins, self.max_bins);
        set(&mut c.min_samples_leaf, self.min_samples_leaf);
        for (slot, v) in [
            (&mut c.learning_rate, self.learning_rate),
            (&mut c.row_subsample, self.row_subsample),
            (&mut c.col_subsample, self.col_subsample),
        ] {
            if let Some(v) = v {
                *slot = v;
            }
        }
        if let Some(es) = self.early_stopping {
            c.early_stopping = es;
        }
        if let Some(refit) = self.refit {
            c.refit = Some(refit);
        }
        c.validation = Validation::parse(&self.validation)?;
        c.folds = self.folds;
        c.validation_fraction = self.test_fraction;
        c.rows_in_time_order = self.rows_in_time_order;
        Ok(c)
    }

    /// How the CSV is read (the extra missing-value placeholders).
    pub fn csv(&self) -> crate::data::CsvOptions {
        crate::data::CsvOptions {
            missing: self.missing.clone(),
            ..crate::data::CsvOptions::default()
        }
    }

    /// Which column is the target and which columns are left out.
    pub fn dataset(&self) -> crate::data::DatasetOptions {
        crate::data::DatasetOptions {
            target: self.target.clone(),
            positive: self.positive.clone(),
            drop: self.drop.clone(),
            exclude_leaky: self.exclude_leaky,
            allow_personal: self.allow_personal.clone(),
            ..crate::data::DatasetOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_fields_are_named() {
        TrainConfig::default().validate().unwrap();
        TrainConfig::random_forest().validate().unwrap();
        let c = TrainConfig {
            learning_rate: 0.0,
            ..TrainConfig::default()
        };
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("learning_rate") && e.contains("(0, 1]"), "{e}");
        let c = TrainConfig {
            max_bins: 300,
            ..TrainConfig::default()
        };
        assert!(c.validate().unwrap_err().to_string().contains("max_bins"));
    }

    #[test]
    fn default_options_map_to_the_default_config() {
        assert_eq!(
            TrainOptions::default().config().unwrap(),
            TrainConfig::default()
        );
        let rf: TrainOptions = serde_json::from_str(r#"{"target":"y","algo":"forest"}"#).unwrap();
        assert_eq!(rf.config().unwrap(), TrainConfig::random_forest());
        let o: TrainOptions =
            serde_json::from_str(r#"{"target":"y","trees":7,"validation":"kfold","folds":3}"#)
                .unwrap();
        let c = o.config().unwrap();
        assert_eq!(
            (c.n_trees, c.validation, c.folds),
            (7, Validation::KFold, 3)
        );
        assert!(serde_json::from_str::<TrainOptions>(r#"{"targt":"y"}"#).is_err());
        for refit in [true, false] {
            let o: TrainOptions =
                serde_json::from_str(&format!(r#"{{"target":"y","refit":{refit}}}"#)).unwrap();
            assert_eq!(o.config().unwrap().refit, Some(refit));
        }
        // The defaults serialize to what they read back.
        let json = serde_json::to_string(&TrainOptions::default()).unwrap();
        assert_eq!(
            serde_json::from_str::<TrainOptions>(&json).unwrap(),
            TrainOptions::default()
        );
    }
}

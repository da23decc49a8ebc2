//! The binned profile of a model's training data, stored in the model file's optional
//! `training-profile` section so that drift can be measured later without the training data.
//!
//! Only distributions are kept, never rows: per model input, the row count in each bin.
//! - Numeric inputs: up to [`NUMERIC_BINS`] bins whose edges are the training data's deciles
//!   (nearest rank; repeated edges merged; an input with at most [`NUMERIC_BINS`] distinct values
//!   gets one bin per value), a bin below the smallest and one above the largest training value
//!   (always 0 in training: new values outside the range the model saw are a shift, like unseen
//!   categories), plus a missing bin. Profiles written before the range bins existed have none
//!   and are read as they are.
//! - Categorical inputs: one bin per category of the model, an "other / unseen" bin (text the
//!   model does not know, always 0 in training) and a missing bin.
//! - The score: the positive-class probability (before calibration, which is monotone) of binary
//!   models, in decile bins. Gradient boosting: the final model's scores on all training rows
//!   (early stopping keeps them close to its scores on new leads of the same kind, while the
//!   validation rows of a time-ordered split are only the latest leads, which would make every
//!   full-period batch look shifted). Random forests: out-of-bag predictions, since a forest's
//!   scores on its own training rows are over-confident.
//!
//! - Columns left out of the model for having one value on every training row
//!   ([`ConstantColumn`]): that value, so drift can say when they start to vary.
//! - The training rows per class, so drift can compare outcome rates when new data has outcomes.
//!
//! - What was done to keep personal data out (the rare-value threshold, the personal columns the
//!   user allowed), in the optional `privacy` section.
//!
//! The constant columns and class counts are stored in their own optional file section (`training-context`, see
//! `model::file`), so profiles written before them still read.
//!
//! Counts are `u64` and edges are values taken from the data (or the next float below the
//! smallest), so the same training data gives the same bytes on every target.

pub use crate::data::ConstantColumn;
use crate::data::{Dataset, FeatureKind};
use crate::model::Model;
use crate::train::Holdout;
use serde::{Deserialize, Serialize};

/// Most bins per numeric input and for the score (deciles).
pub const NUMERIC_BINS: u64 = 10;

/// Row counts per bin of one input (or of the score).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Bins {
    /// Bins `(-inf, e0], (e0, e1], …, (e_last, +inf)` and missing.
    Numeric {
        /// Increasing bin edges (`counts.len() - 1` of them); a value equal to an edge goes to
        /// the bin below it.
        edges: Vec<f64>,
        /// Rows per bin.
        counts: Vec<u64>,
        /// Rows with no value.
        missing: u64,
    },
    /// One bin per category code, then "other / unseen" and missing.
    Categorical {
        /// Rows per category code of the model's input.
        counts: Vec<u64>,
        /// Rows with a value the model does not know.
        other: u64,
        /// Rows with no value.
        missing: u64,
    },
}

/// Decile edges of `values` (NaN ignored): at most `bins - 1` increasing edges, none equal to the
/// largest value; with at most `bins` distinct values, every distinct value but the largest.
pub fn quantile_edges(values: &[f64], bins: u64) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    let Some(&max) = sorted.last() else {
        return Vec::new();
    };
    let mut distinct = sorted.clone();
    distinct.dedup();
    if distinct.len() as u64 <= bins {
        distinct.pop();
        return distinct;
    }
    let m = sorted.len() as u64;
    let mut edges: Vec<f64> = Vec::new();
    for i in 1..bins {
        // Nearest-rank quantile i / bins: the ⌈i·m / bins⌉-th smallest value.
        let rank = (i * m).div_ceil(bins).max(1);
        let e = sorted[(rank - 1) as usize];
        if e < max && edges.last().is_none_or(|&l| e > l) {
            edges.push(e);
        }
    }
    edges
}

/// The next float below finite `x` (`f64::next_down`, which is newer than this crate's MSRV).
pub fn float_below(x: f64) -> f64 {
    if x == 0.0 {
        -f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() - 1)
    } else {
        f64::from_bits(x.to_bits() + 1)
    }
}

/// The next float above finite `x` (`f64::next_up`).
pub fn float_above(x: f64) -> f64 {
    -float_below(-x)
}

/// The edges of a numeric input's profile: [`quantile_edges`] framed by the next float below the
/// smallest value and by the largest value, so that values outside the training range get bins of
/// their own (`(-inf, below-min]` and `(max, +inf)`, both empty in training). No values: no edges.
pub fn range_edges(values: &[f64], bins: u64) -> Vec<f64> {
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values.iter().filter(|v| !v.is_nan()) {
        min = min.min(v);
        max = max.max(v);
    }
    if min > max {
        return Vec::new();
    }
    let mut edges = vec![float_below(min)];
    edges.extend(quantile_edges(values, bins));
    edges.push(max);
    edges
}

impl Bins {
    /// Counts numeric values into bins with these edges (NaN = missing).
    pub fn numeric(edges: &[f64], values: &[f64]) -> Bins {
        let mut counts = vec![0u64; edges.len() + 1];
        let mut missing = 0;
        for &v in values {
            if v.is_nan() {
                missing += 1;
            } else {
                counts[edges.partition_point(|&e| e < v)] += 1;
            }
        }
        Bins::Numeric {
            edges: edges.to_vec(),
            counts,
            missing,
        }
    }

    /// Counts category codes `0..n_categories` (NaN = missing unless `present[row]` says the
    /// cell had text, which then counts as "other / unseen"; codes out of range count as other).
    pub fn categorical(n_categories: usize, codes: &[f64], present: Option<&[bool]>) -> Bins {
        let mut counts = vec![0u64; n_categories];
        let (mut other, mut missing) = (0, 0);
        for (r, &c) in codes.iter().enumerate() {
            if c.is_nan() {
                if present.is_some_and(|p| p.get(r).copied().unwrap_or(false)) {
                    other += 1;
                } else {
                    missing += 1;
                }
            } else if c >= 0.0 && (c as usize) < n_categories {
                counts[c as usize] += 1;
            } else {
                other += 1;
            }
        }
        Bins::Categorical {
            counts,
            other,
            missing,
        }
    }

    /// Every bin's count in a fixed order: the value bins, then (categorical) other, then
    /// missing.
    pub fn all_counts(&self) -> Vec<u64> {
        match self {
            Bins::Numeric {
                counts, missing, ..
            } => counts.iter().copied().chain([*missing]).collect(),
            Bins::Categorical {
                counts,
                other,
                missing,
            } => counts.iter().copied().chain([*other, *missing]).collect(),
        }
    }

    /// Rows counted.
    pub fn total(&self) -> u64 {
        self.all_counts().iter().sum()
    }

    /// The same kind of bins (same edges or categories) for new values, so the two can be
    /// compared bin by bin.
    pub fn recount(&self, values: &[f64], present: Option<&[bool]>) -> Bins {
        match self {
            Bins::Numeric { edges, .. } => Bins::numeric(edges, values),
            Bins::Categorical { counts, .. } => Bins::categorical(counts.len(), values, present),
        }
    }
}

/// The binned training data of a model: one [`Bins`] per model input (model order) and the
/// score's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingProfile {
    /// Training rows profiled.
    pub rows: u64,
    /// One entry per model input, in model order.
    pub features: Vec<Bins>,
    /// The positive-class probability before calibration (binary models only).
    pub score: Option<Bins>,
    /// Whether the score bins come from out-of-bag predictions (forests), else from the final
    /// model on the training rows.
    pub score_held_out: bool,
    /// Columns left out for having one value on every training row (file section
    /// `training-context`, hence not serialized with the rest).
    #[serde(skip)]
    pub constant_columns: Vec<ConstantColumn>,
    /// Training rows per class, in the model's class order (empty when unknown; file section
    /// `training-context`).
    #[serde(skip)]
    pub class_counts: Vec<u64>,
    /// The rare-value threshold used and the personal columns the user allowed (file section
    /// `privacy`; `None` in files written before it existed).
    #[serde(skip)]
    pub privacy: Option<crate::data::PrivacyRecord>,
}

impl TrainingProfile {
    /// Profiles the data a model was just trained on; `holdout` are the predictions training
    /// made on rows it did not fit (only out-of-bag ones are used, see the module docs).
    pub fn from_training(data: &Dataset, model: &Model, holdout: Option<&Holdout>) -> Self {
        Self::from_training_scored(data, model, holdout, None)
    }

    /// [`TrainingProfile::from_training`] with `scores`, when the trainer already has them: the
    /// model's probability of every row of `data` (the values `Model::predict_dataset` gives),
    /// so that no row is scored again.
    pub fn from_training_scored(
        data: &Dataset,
        model: &Model,
        holdout: Option<&Holdout>,
        scores: Option<&[f64]>,
    ) -> Self {
        let features = data
            .features
            .iter()
            .map(|f| match &f.kind {
                FeatureKind::Numeric => {
                    Bins::numeric(&range_edges(&f.values, NUMERIC_BINS), &f.values)
                }
                FeatureKind::Categorical { categories } => {
                    Bins::categorical(categories.len(), &f.values, None)
                }
            })
            .collect();
        let (score, score_held_out) = match holdout {
            _ if model.n_outputs() != 1 => (None, false),
            Some(h) if h.out_of_bag && !h.probabilities.is_empty() => {
                (Some(score_bins(&h.probabilities)), true)
            }
            _ => match scores {
                Some(p) if p.len() == data.n_rows() => (Some(score_bins(p)), false),
                _ => {
                    let p = model.predict_dataset(data).unwrap_or_default();
                    (Some(score_bins(&p)), false)
                }
            },
        };
        let mut class_counts = vec![0u64; data.class_names.len()];
        for &l in &data.labels {
            if let Some(c) = class_counts.get_mut(l as usize) {
                *c += 1;
            }
        }
        TrainingProfile {
            rows: data.n_rows() as u64,
            features,
            score,
            score_held_out,
            constant_columns: data.constant_columns.clone(),
            class_counts,
            privacy: Some(data.privacy.clone()),
        }
    }
}

/// Decile bins of scores, with the below-min and above-max bins of [`range_edges`].
pub fn score_bins(p: &[f64]) -> Bins {
    Bins::numeric(&range_edges(p, NUMERIC_BINS), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decile_edges_of_one_to_hundred() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let e = quantile_edges(&v, 10);
        assert_eq!(
            e,
            vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
        );
        let b = Bins::numeric(&e, &v);
        assert_eq!(
            b.all_counts(),
            vec![10; 10].into_iter().chain([0]).collect::<Vec<_>>()
        );
    }

    #[test]
    fn few_distinct_values_get_one_bin_each() {
        // 95 % ones: deciles alone would put everything in one bin.
        let v: Vec<f64> = (0..100).map(|i| if i < 5 { 0.0 } else { 1.0 }).collect();
        let e = quantile_edges(&v, 10);
        assert_eq!(e, vec![0.0]);
        assert_eq!(Bins::numeric(&e, &v).all_counts(), vec![5, 95, 0]);
    }

    #[test]
    fn skewed_values_merge_repeated_edges_and_count_missing() {
        let mut v: Vec<f64> = vec![-1.0; 80];
        v.extend((1..=20).map(f64::from));
        v.push(f64::NAN);
        let e = quantile_edges(&v, 10);
        // 80 % at -1, then the 90th percentile (rank 90 of 100) is 10.
        assert_eq!(e, vec![-1.0, 10.0]);
        assert_eq!(Bins::numeric(&e, &v).all_counts(), vec![80, 10, 10, 1]);
    }

    #[test]
    fn range_edges_give_values_outside_the_training_range_their_own_bins() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let e = range_edges(&v, 10);
        assert_eq!(e.first(), Some(&float_below(1.0)));
        assert_eq!(&e[1..e.len() - 1], &quantile_edges(&v, 10)[..]);
        assert_eq!(e.last(), Some(&100.0));
        let train = Bins::numeric(&e, &v);
        let counts = train.all_counts();
        assert_eq!((counts[0], counts[counts.len() - 2]), (0, 0), "{counts:?}");
        assert_eq!(train.total(), 100);
        // New values below 1 and above 100 land in the outer bins, not in the first/last decile.
        let new = train.recount(&[0.5, -3.0, 100.0, 250.0, f64::NAN], None);
        let c = new.all_counts();
        assert_eq!(c[0], 2, "{c:?}");
        assert_eq!(c[c.len() - 2], 1, "{c:?}");
        assert_eq!(c[c.len() - 3], 1, "{c:?}");
        assert_eq!(c[c.len() - 1], 1, "{c:?}");
    }

    #[test]
    fn neighbouring_floats() {
        for x in [1.0, -1.0, 0.0, -0.0, 1e-300, -3.5e12, f64::MIN_POSITIVE] {
            assert!(float_below(x) < x && float_above(x) > x, "{x}");
            assert_eq!(float_above(float_below(x)), if x == 0.0 { 0.0 } else { x });
        }
        assert_eq!(float_below(1.0), 1.0 - f64::EPSILON / 2.0);
    }

    #[test]
    fn a_constant_input_still_notices_new_values() {
        // One value (plus blanks) in training: below, equal, above and missing bins.
        let v = [-1.0, -1.0, f64::NAN, -1.0];
        let e = range_edges(&v, 10);
        assert_eq!(e, vec![float_below(-1.0), -1.0]);
        let train = Bins::numeric(&e, &v);
        assert_eq!(train.all_counts(), vec![0, 3, 0, 1]);
        let new = train.recount(&[-1.0, 5.0, 180.0, -1.0], None);
        assert_eq!(new.all_counts(), vec![0, 2, 2, 0]);
        assert!(range_edges(&[f64::NAN], 10).is_empty());
    }

    #[test]
    fn categories_other_and_missing() {
        let codes = [0.0, 1.0, 1.0, f64::NAN, f64::NAN, 7.0];
        let present = [true, true, true, true, false, true];
        let b = Bins::categorical(3, &codes, Some(&present));
        assert_eq!(b.all_counts(), vec![1, 2, 0, 2, 1]);
        assert_eq!(b.total(), 6);
    }

    #[test]
    fn profile_covers_every_input_and_the_score() {
        let data = crate::train::toy_dataset(400, 3);
        let fitted = crate::train::Trainer::new(crate::train::TrainConfig {
            n_trees: 10,
            ..Default::default()
        })
        .fit_detailed(&data, &mut |_| std::ops::ControlFlow::Continue(()))
        .unwrap();
        let p = TrainingProfile::from_training(&data, &fitted.model, fitted.holdout.as_ref());
        assert_eq!(p.features.len(), 3);
        assert!(p.features.iter().all(|b| b.total() == 400));
        assert!(matches!(&p.features[1], Bins::Categorical { counts, .. } if counts.len() == 8));
        // Boosting: the final model's scores on every training row.
        assert!(!p.score_held_out);
        assert_eq!(p.score.as_ref().unwrap().total(), 400);
        let forest = crate::train::Trainer::new(crate::train::TrainConfig {
            n_trees: 10,
            ..crate::train::TrainConfig::random_forest()
        })
        .fit_detailed(&data, &mut |_| std::ops::ControlFlow::Continue(()))
        .unwrap();
        let p = TrainingProfile::from_training(&data, &forest.model, forest.holdout.as_ref());
        // Forests: out-of-bag predictions (rows in at least one tree's bag only).
        assert!(p.score_held_out);
        let oob = forest.holdout.as_ref().unwrap().rows.len() as u64;
        assert_eq!(p.score.as_ref().unwrap().total(), oob);
        let positives = data.labels.iter().filter(|&&l| l == 1).count() as u64;
        assert_eq!(p.class_counts, vec![400 - positives, positives]);
    }
}

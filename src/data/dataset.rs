//! The contract between the data layer and the engine: model-ready feature columns plus labels.
//!
//! Every feature is a column of `f64` with NaN for missing: numeric features hold their values,
//! categorical features hold category codes `0..categories.len()` as exact integers. The same
//! encoding is used for training and for scoring, so `model::tree::Tree` needs nothing else.

use serde::{Deserialize, Serialize};

pub use super::pipeline::Pipeline;

/// What a feature's numbers mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FeatureKind {
    /// A number (NaN = missing).
    Numeric,
    /// A category code; `categories[code]` is its label (NaN = missing or unseen).
    Categorical {
        /// Category labels, indexed by code.
        categories: Vec<String>,
    },
}

/// One model input: a column of values with its name and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// The feature's name (a CSV column name, or a derived name such as `Created Date: month`).
    pub name: String,
    /// The CSV column it was derived from (equal to `name` for plain columns).
    pub source: String,
    /// Numeric or categorical.
    pub kind: FeatureKind,
    /// One value per row; NaN = missing.
    pub values: Vec<f64>,
}

/// A column left out of the model because it had one value on every row (or was empty on every
/// row). Kept so that drift can tell when it starts to vary: the model cannot use what it never
/// saw change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstantColumn {
    /// The CSV column's name.
    pub name: String,
    /// Its one value as written in the file, or `None` when every cell was missing.
    pub value: Option<String>,
}

/// A personal-data column trained on because the user allowed it explicitly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllowedPersonal {
    /// The CSV column's name.
    pub column: String,
    /// What it holds, in words (`people's names`, `staff names (owners, reps, assignees)`…).
    pub holds: String,
}

/// What was done to keep personal data out of a model; stored in the model file's `privacy`
/// section so that anyone holding the file can see it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PrivacyRecord {
    /// A category value or e-mail domain was stored only when at least this many training rows
    /// had it (the others are `(other)`, and their texts are not kept).
    pub min_category_rows: u64,
    /// Personal-data columns used anyway because the user allowed them.
    pub allowed_personal: Vec<AllowedPersonal>,
}

/// A model-ready table: features, labels and the pipeline that made them.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The features, in model order.
    pub features: Vec<Feature>,
    /// Class index per row (`0..class_names.len()`); for binary targets 1 = positive.
    pub labels: Vec<u32>,
    /// Class labels; binary targets have exactly two, `[negative, positive]`.
    pub class_names: Vec<String>,
    /// A sortable time per row (days since 1970-01-01) when the data has a creation date: used
    /// by time-ordered validation. `None` when there is no usable date column.
    pub time_key: Option<Vec<f64>>,
    /// Raw columns → features, for scoring new data with the same encoding.
    pub pipeline: Pipeline,
    /// Plain-words notes gathered while building (rows left out, columns excluded and why…).
    pub notes: Vec<String>,
    /// Columns excluded for having one value on every row (personal data never listed).
    pub constant_columns: Vec<ConstantColumn>,
    /// The rare-value threshold used and the personal columns the user allowed.
    pub privacy: PrivacyRecord,
}

impl Dataset {
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.labels.len()
    }
}

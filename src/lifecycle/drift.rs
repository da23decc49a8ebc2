//! Drift: how far new leads have moved from the model's training data, as the population
//! stability index (PSI) per model input and for the score.
//!
//! `PSI = Σ_bins (a − e) · ln(a / e)`, with `e` the training share and `a` the new share of a bin
//! (bins as in [`super::profile`]). A bin empty on one side would make the logarithm infinite, so
//! shares of 0 are replaced by [`EPSILON`] (the usual 0.0001): an empty training bin that now holds
//! 10 % of the leads adds about 0.69. Levels, as commonly used in credit scoring:
//! below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 major shift.
//!
//! Beyond the model's inputs and score, the report covers what the inputs cannot show:
//! - columns left out of training for having one value on every row (`unused_columns`): a
//!   column that starts to vary is invisible to the model, and often the very thing that
//!   changed (a new channel, a new campaign field);
//! - the outcome, when the new data has the target column (`outcome`): the share of each class
//!   against training and, for binary models, against the model's own average probability on
//!   those rows — the only direct sign that the model's probabilities went stale.

use super::profile::{float_above, Bins, ConstantColumn};
use crate::data::{parse, FeatureKind, Table};
use crate::model::Model;
use crate::{Error, Result};
use serde::Serialize;

/// The share used in place of 0 for an empty bin.
pub const EPSILON: f64 = 1e-4;
/// PSI from which a shift is called moderate.
pub const MODERATE: f64 = 0.1;
/// PSI above which a shift is called major.
pub const MAJOR: f64 = 0.25;
/// Fewer new rows than this get a warning: with 10 bins, PSI from `n` rows of unchanged data
/// is about 9 / n by chance alone (0.018 at 500 rows, 0.09 at 100).
pub const FEW_ROWS: u64 = 500;

/// The PSI between bin counts of the training data (`expected`) and of new data (`actual`),
/// ≥ 0; bins empty on both sides add nothing. 0 when either side has no rows.
pub fn psi(expected: &[u64], actual: &[u64]) -> f64 {
    let (te, ta) = (
        expected.iter().sum::<u64>() as f64,
        actual.iter().sum::<u64>() as f64,
    );
    if te == 0.0 || ta == 0.0 {
        return 0.0;
    }
    let share = |c: u64, t: f64| if c == 0 { EPSILON } else { c as f64 / t };
    expected
        .iter()
        .zip(actual)
        .filter(|(&e, &a)| e > 0 || a > 0)
        .map(|(&e, &a)| {
            let (e, a) = (share(e, te), share(a, ta));
            (a - e) * crate::model::math::ln(a / e)
        })
        .sum()
}

/// How large a shift is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftLevel {
    /// PSI below 0.1.
    Stable,
    /// PSI from 0.1 to 0.25.
    Moderate,
    /// PSI above 0.25.
    Major,
}

impl DriftLevel {
    /// The level of a PSI value.
    pub fn of(psi: f64) -> DriftLevel {
        if psi > MAJOR {
            DriftLevel::Major
        } else if psi >= MODERATE {
            DriftLevel::Moderate
        } else {
            DriftLevel::Stable
        }
    }

    /// The level in plain words.
    pub fn words(self) -> &'static str {
        match self {
            DriftLevel::Stable => "stable",
            DriftLevel::Moderate => "moderate shift",
            DriftLevel::Major => "major shift",
        }
    }
}

/// One bin's share before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BinShare {
    /// The bin in words (`≤ 30`, `30 – 45`, `> 45`, a category, `other / unseen`, `missing`).
    pub label: String,
    /// Share of the training rows, in [0, 1].
    pub expected: f64,
    /// Share of the new rows, in [0, 1].
    pub actual: f64,
}

/// The drift of one model input (or of the score).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureDrift {
    /// The input's name (`score` for the score).
    pub name: String,
    /// The CSV column it comes from.
    pub source: String,
    /// Population stability index, ≥ 0.
    pub psi: f64,
    /// Its level.
    pub level: DriftLevel,
    /// The level in plain words.
    pub words: String,
    /// The bins, in order.
    pub bins: Vec<BinShare>,
    /// Whether the model uses the column: `false` for the report's unused columns (one value on
    /// every training row, so the model never learned from them). One word, like the other
    /// fields, so the JS API can pass the struct through as it is.
    pub used: bool,
}

/// How the outcome moved, when the new data has the model's target column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeDrift {
    /// The target column.
    pub target: String,
    /// New rows with a known outcome (one of the model's classes).
    pub rows: u64,
    /// PSI of the class shares (training vs new).
    pub psi: f64,
    /// Its level.
    pub level: DriftLevel,
    /// The level in plain words.
    pub words: String,
    /// One bin per class: training and new shares.
    pub bins: Vec<BinShare>,
    /// Binary models: the positive class's share in training, among the new rows, and the
    /// model's average calibrated probability on those rows (what it expects).
    pub training_rate: Option<f64>,
    /// See `training_rate`.
    pub actual_rate: Option<f64>,
    /// See `training_rate`.
    pub predicted_rate: Option<f64>,
}

/// Drift of new data against a model's training profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// Rows of the new data.
    pub rows: u64,
    /// Training rows the profile was made from.
    pub reference_rows: u64,
    /// One entry per model input, largest PSI first (ties in model order).
    pub features: Vec<FeatureDrift>,
    /// The score's drift (binary models).
    pub score: Option<FeatureDrift>,
    /// Columns the model does not use because they had one value on every training row, when
    /// the new data has them, largest PSI first.
    pub unused_columns: Vec<FeatureDrift>,
    /// The outcome's drift, when the new data has the target column with known outcomes.
    pub outcome: Option<OutcomeDrift>,
    /// A one-sentence summary in plain words.
    pub summary: String,
    /// Plain-words warnings (e.g. a column the new data lacks).
    pub warnings: Vec<String>,
}

fn fmt_edge(x: f64) -> String {
    let s = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn labels(bins: &Bins, kind: Option<&FeatureKind>) -> Vec<String> {
    match bins {
        Bins::Numeric { edges, .. } => {
            let mut out = Vec::with_capacity(edges.len() + 2);
            if edges.is_empty() {
                out.push("all values".to_string());
            }
            // Profiles with range bins start with the float just below the smallest training
            // value (see `profile::range_edges`); its shortest decimal form is longer than that
            // value's. Their first bin is "below the training range".
            let framed = edges.len() >= 2
                && format!("{}", float_above(edges[0])).len() < format!("{}", edges[0]).len();
            for (i, &e) in edges.iter().enumerate() {
                out.push(match i {
                    0 if framed => format!("< {}", fmt_edge(float_above(e))),
                    0 => format!("≤ {}", fmt_edge(e)),
                    1 if framed && float_above(edges[0]) == e => format!("= {}", fmt_edge(e)),
                    1 if framed => format!("{} – {}", fmt_edge(float_above(edges[0])), fmt_edge(e)),
                    _ => format!("{} – {}", fmt_edge(edges[i - 1]), fmt_edge(e)),
                });
            }
            if let Some(&last) = edges.last() {
                out.push(format!("> {}", fmt_edge(last)));
            }
            out.push("missing".into());
            out
        }
        Bins::Categorical { counts, .. } => {
            let names = match kind {
                Some(FeatureKind::Categorical { categories }) => categories.clone(),
                _ => Vec::new(),
            };
            (0..counts.len())
                .map(|i| names.get(i).cloned().unwrap_or_else(|| format!("#{i}")))
                .chain(["other / unseen".to_string(), "missing".to_string()])
                .collect()
        }
    }
}

/// Labelled bins with the training (`expected`) and new (`actual`) share of each.
fn shares(labels: Vec<String>, expected: &[u64], actual: &[u64]) -> Vec<BinShare> {
    let te = expected.iter().sum::<u64>().max(1) as f64;
    let ta = actual.iter().sum::<u64>().max(1) as f64;
    labels
        .into_iter()
        .zip(expected.iter().zip(actual))
        .map(|(label, (&e, &a))| BinShare {
            label,
            expected: e as f64 / te,
            actual: a as f64 / ta,
        })
        .collect()
}

fn compare_bins(
    name: &str,
    source: &str,
    kind: Option<&FeatureKind>,
    before: &Bins,
    after: &Bins,
) -> FeatureDrift {
    let (e, a) = (before.all_counts(), after.all_counts());
    let psi = psi(&e, &a);
    let level = DriftLevel::of(psi);
    FeatureDrift {
        name: name.to_string(),
        source: source.to_string(),
        psi,
        level,
        words: level.words().to_string(),
        bins: shares(labels(before, kind), &e, &a),
        used: true,
    }
}

/// A cell equal to a constant column's training value: same text ignoring case and surrounding
/// spaces, or the same number (`-1` and `-1.0`).
fn same_value(cell: &str, value: &str) -> bool {
    let (a, b) = (cell.trim(), value.trim());
    a.eq_ignore_ascii_case(b)
        || matches!(
            (parse::parse_number(a, false), parse::parse_number(b, false)),
            (Some(x), Some(y)) if x == y
        )
}

/// The drift of a column left out of training for having one value on every row: bins "the
/// training value", "other values", "missing" (or "a value", "missing" when it was empty).
fn constant_drift(
    c: &ConstantColumn,
    training_rows: u64,
    table: &Table,
    missing: &[String],
) -> Option<FeatureDrift> {
    let col = table.column(&c.name)?;
    let (mut same, mut other, mut absent) = (0u64, 0u64, 0u64);
    for r in 0..table.n_rows {
        let cell = if col.is_dense() {
            let v = col.value(r);
            (!v.is_nan()).then(|| v.to_string())
        } else {
            col.text(r)
                .filter(|s| !parse::is_missing(s, missing))
                .map(str::to_string)
        };
        match (cell, &c.value) {
            (None, _) => absent += 1,
            (Some(x), Some(v)) if same_value(&x, v) => same += 1,
            (Some(_), _) => other += 1,
        }
    }
    let (labels, before, after) = match &c.value {
        Some(v) => (
            vec![
                format!("= {v} (every training row)"),
                "other values".to_string(),
                "missing".to_string(),
            ],
            vec![training_rows, 0, 0],
            vec![same, other, absent],
        ),
        None => (
            vec![
                "a value".to_string(),
                "missing (every training row)".to_string(),
            ],
            vec![0, training_rows],
            vec![other, absent],
        ),
    };
    let psi = psi(&before, &after);
    let level = DriftLevel::of(psi);
    Some(FeatureDrift {
        name: c.name.clone(),
        source: c.name.clone(),
        psi,
        level,
        words: level.words().to_string(),
        bins: shares(labels, &before, &after),
        used: false,
    })
}

/// The outcome's drift when `table` has the model's target column (see the module docs).
fn outcome_drift(model: &Model, class_counts: &[u64], table: &Table) -> Option<OutcomeDrift> {
    if class_counts.len() != model.class_names.len() || class_counts.iter().sum::<u64>() == 0 {
        return None;
    }
    let labels = model.labels_from_table(table).ok()?;
    let known: Vec<usize> = (0..labels.len()).filter(|&r| labels[r].is_some()).collect();
    if known.is_empty() {
        return None;
    }
    let mut now = vec![0u64; class_counts.len()];
    for &r in &known {
        if let Some(c) = labels[r].and_then(|l| now.get_mut(l as usize)) {
            *c += 1;
        }
    }
    let psi = psi(class_counts, &now);
    let level = DriftLevel::of(psi);
    let bins = shares(model.class_names.clone(), class_counts, &now);
    let (training_rate, actual_rate, predicted_rate) = if model.n_outputs() == 1 {
        let encoded = model.pipeline.encode_table(table).ok()?;
        let p = model.probabilities(&model.predict_columns(&encoded.columns));
        let calibrated = |q: f64| model.scoring.as_ref().map_or(q, |s| s.score(q).probability);
        let mean = known.iter().map(|&r| calibrated(p[r])).sum::<f64>() / known.len() as f64;
        (Some(bins[1].expected), Some(bins[1].actual), Some(mean))
    } else {
        (None, None, None)
    };
    Some(OutcomeDrift {
        target: model.info.target.clone(),
        rows: known.len() as u64,
        psi,
        level,
        words: level.words().to_string(),
        bins,
        training_rate,
        actual_rate,
        predicted_rate,
    })
}

fn pct(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

/// Measures drift of `table` (new leads, with the columns the model uses; outcomes not needed)
/// against the model's training profile.
///
/// # Errors
/// `Error::Model` when the model has no training profile (trained by an older leadforest or
/// imported: retrain it), `Error::Data` when the table has no rows or none of the model's columns.
pub fn drift(model: &Model, table: &Table) -> Result<DriftReport> {
    let profile = model.training_profile.as_ref().ok_or_else(|| {
        Error::Model(
            "this model has no training profile (it was trained by an older leadforest or \
             imported from another library), so drift cannot be measured: retrain it with \
             `leadforest train` (or `leadforest retrain`) and measure drift with the new model"
                .into(),
        )
    })?;
    if profile.features.len() != model.features.len() {
        return Err(Error::Model(format!(
            "the model's training profile has {} inputs but the model has {}: the file is \
             inconsistent; retrain it",
            profile.features.len(),
            model.features.len()
        )));
    }
    if table.n_rows == 0 {
        return Err(Error::Data(
            "the new data has no rows: drift needs at least one lead".into(),
        ));
    }
    if !model.features.is_empty()
        && model
            .features
            .iter()
            .all(|f| table.column(&f.source).is_none())
    {
        return Err(Error::Data(format!(
            "the new data has none of the columns the model uses ({}): is it the right file?",
            model
                .features
                .iter()
                .map(|f| format!("`{}`", f.source))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let encoded = model.pipeline.encode_table(table)?;
    if encoded.columns.len() != model.features.len() {
        return Err(Error::Model(
            "this model has no data pipeline (it was trained from a Dataset, not a CSV), so \
             new CSV rows cannot be compared with its training data"
                .into(),
        ));
    }
    let mut features: Vec<FeatureDrift> = Vec::with_capacity(model.features.len());
    for (f, info) in model.features.iter().enumerate() {
        let before = &profile.features[f];
        let values = &encoded.columns[f];
        // Categorical: a cell with text the model does not know is "other / unseen", not missing.
        let present: Option<Vec<bool>> = match (before, table.column(&info.source)) {
            (Bins::Categorical { .. }, Some(col)) => Some(
                (0..table.n_rows)
                    .map(|r| {
                        if col.is_dense() {
                            !col.value(r).is_nan()
                        } else {
                            col.text(r)
                                .is_some_and(|s| !parse::is_missing(s, &model.pipeline.missing))
                        }
                    })
                    .collect(),
            ),
            _ => None,
        };
        let after = before.recount(values, present.as_deref());
        features.push(compare_bins(
            &info.name,
            &info.source,
            Some(&info.kind),
            before,
            &after,
        ));
    }
    let score = match &profile.score {
        Some(before) if model.n_outputs() == 1 => {
            let p = model.probabilities(&model.predict_columns(&encoded.columns));
            Some(compare_bins(
                "score",
                "",
                None,
                before,
                &before.recount(&p, None),
            ))
        }
        _ => None,
    };
    features.sort_by(|a, b| b.psi.total_cmp(&a.psi));
    let mut unused_columns: Vec<FeatureDrift> = profile
        .constant_columns
        .iter()
        .filter_map(|c| constant_drift(c, profile.rows, table, &model.pipeline.missing))
        .collect();
    unused_columns.sort_by(|a, b| b.psi.total_cmp(&a.psi));
    let outcome = outcome_drift(model, &profile.class_counts, table);
    let mut warnings = encoded.warnings;
    if (table.n_rows as u64) < FEW_ROWS {
        warnings.push(format!(
            "only {} new rows: PSI from so few rows is noisy (unchanged data scores about {:.2} \
             by chance with 10 bins); read the levels as rough and measure again with at least \
             {FEW_ROWS} rows",
            table.n_rows,
            9.0 / table.n_rows as f64
        ));
    }
    let major: Vec<&str> = features
        .iter()
        .filter(|f| f.level == DriftLevel::Major)
        .map(|f| f.name.as_str())
        .collect();
    let moderate = features
        .iter()
        .filter(|f| f.level == DriftLevel::Moderate)
        .count();
    let mut summary = match major.len() {
        0 if moderate == 0 => {
            "The new leads look like the training data: every input is stable.".to_string()
        }
        0 => format!("{moderate} input(s) shifted moderately; none shifted a lot."),
        _ => format!(
            "{} input(s) shifted a lot ({}){}.",
            major.len(),
            major
                .iter()
                .take(5)
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            if major.len() > 5 { ", …" } else { "" }
        ),
    };
    if let Some(s) = &score {
        summary.push_str(&format!(
            " The score's distribution is {} (PSI {:.3}){}",
            s.words,
            s.psi,
            if s.level == DriftLevel::Major {
                ": consider retraining (`leadforest retrain`)."
            } else {
                "."
            }
        ));
    }
    let unused_major: Vec<String> = unused_columns
        .iter()
        .filter(|f| f.level == DriftLevel::Major)
        .map(|f| format!("`{}`", f.name))
        .collect();
    if !unused_major.is_empty() {
        summary.push_str(&format!(
            " {} had one value on every training row but vary{} now: the model cannot use {} — \
             retrain so it can.",
            unused_major.join(", "),
            if unused_major.len() == 1 { "s" } else { "" },
            if unused_major.len() == 1 {
                "it"
            } else {
                "them"
            },
        ));
    }
    if let Some(o) = &outcome {
        match (o.training_rate, o.actual_rate, o.predicted_rate) {
            (Some(t), Some(a), Some(p)) => summary.push_str(&format!(
                " Outcomes: {} of the {} new leads with a known `{}` are positive, against {} in \
                 training ({}, PSI {:.3}); the model expects {}{}",
                pct(a),
                o.rows,
                o.target,
                pct(t),
                o.words,
                o.psi,
                pct(p),
                if (a - p).abs() > 0.5 * a.max(p) && o.rows >= 30 {
                    ": its probabilities no longer fit these leads — retrain."
                } else {
                    "."
                }
            )),
            _ => summary.push_str(&format!(
                " Outcomes: the shares of `{}` classes are {} (PSI {:.3}).",
                o.target, o.words, o.psi
            )),
        }
    }
    Ok(DriftReport {
        rows: table.n_rows as u64,
        reference_rows: profile.rows,
        features,
        score,
        unused_columns,
        outcome,
        summary,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psi_of_identical_distributions_is_zero() {
        assert_eq!(psi(&[10, 20, 30], &[1, 2, 3]), 0.0);
    }

    #[test]
    fn psi_matches_a_hand_computation() {
        // e = (0.5, 0.5), a = (0.8, 0.2):
        // (0.8 − 0.5)·ln(1.6) + (0.2 − 0.5)·ln(0.4) = 0.3·0.470004 + 0.3·0.916291 = 0.415888.
        let v = psi(&[50, 50], &[80, 20]);
        assert!((v - 0.415_888_5).abs() < 1e-6, "{v}");
        assert_eq!(DriftLevel::of(v), DriftLevel::Major);
        // e = (0.5, 0.5), a = (0.6, 0.4): 0.1·ln 1.2 + 0.1·ln 1.25 = 0.040546.
        let small = psi(&[50, 50], &[60, 40]);
        assert!((small - 0.040_546_5).abs() < 1e-6, "{small}");
        assert_eq!(DriftLevel::of(small), DriftLevel::Stable);
    }

    #[test]
    fn empty_bins_use_epsilon() {
        // e = (1, 0) → (1, 1e-4); a = (0.9, 0.1):
        // (0.9 − 1)·ln 0.9 + (0.1 − 1e-4)·ln(0.1 / 1e-4) = 0.0105361 + 0.0999·6.9077553 = 0.700620.
        let v = psi(&[100, 0], &[90, 10]);
        assert!((v - 0.700_620).abs() < 1e-5, "{v}");
        // Bins empty on both sides add nothing.
        assert_eq!(psi(&[100, 0, 0], &[90, 10, 0]), v);
    }

    #[test]
    fn levels_in_words() {
        assert_eq!(DriftLevel::of(0.0999).words(), "stable");
        assert_eq!(DriftLevel::of(0.1).words(), "moderate shift");
        assert_eq!(DriftLevel::of(0.25).words(), "moderate shift");
        assert_eq!(DriftLevel::of(0.2501).words(), "major shift");
    }

    #[test]
    fn bin_labels() {
        let b = Bins::numeric(&[10.0, 20.5], &[]);
        assert_eq!(
            labels(&b, None),
            vec!["≤ 10", "10 – 20.50", "> 20.50", "missing"]
        );
        // Range bins: below the smallest training value, then from it.
        let v = [1.0, 2.0, 3.0, 40.0];
        let b = Bins::numeric(&super::super::profile::range_edges(&v, 10), &v);
        assert_eq!(
            labels(&b, None),
            vec!["< 1", "= 1", "1 – 2", "2 – 3", "3 – 40", "> 40", "missing"]
        );
        let v = [-1.0, -1.0];
        let b = Bins::numeric(&super::super::profile::range_edges(&v, 10), &v);
        assert_eq!(labels(&b, None), vec!["< -1", "= -1", "> -1", "missing"]);
    }

    fn table(csv: &str) -> Table {
        Table::from_csv(csv.as_bytes(), &crate::data::CsvOptions::default()).unwrap()
    }

    #[test]
    fn a_constant_column_that_starts_to_vary_is_a_major_shift() {
        let c = ConstantColumn {
            name: "pdays".into(),
            value: Some("-1".into()),
        };
        let mut csv = String::from("pdays,x\n");
        for i in 0..100 {
            csv.push_str(&format!("{},1\n", if i < 70 { "-1.0" } else { "180" }));
        }
        let d = constant_drift(&c, 1000, &table(&csv), &[]).unwrap();
        assert!(!d.used);
        assert_eq!(d.level, DriftLevel::Major, "{d:?}");
        assert_eq!(d.bins[0].label, "= -1 (every training row)");
        assert!((d.bins[0].actual - 0.7).abs() < 1e-12 && (d.bins[1].actual - 0.3).abs() < 1e-12);
        // Still one value: stable. Absent from the new data: not reported.
        let same = table(&format!("pdays\n{}", "-1\n".repeat(50)));
        assert_eq!(constant_drift(&c, 1000, &same, &[]).unwrap().psi, 0.0);
        assert!(constant_drift(&c, 1000, &table("x\n1\n"), &[]).is_none());
        // Empty in training, filled in now.
        let empty = ConstantColumn {
            name: "x".into(),
            value: None,
        };
        let d = constant_drift(&empty, 10, &table("x\n1\n2\n\n"), &[]).unwrap();
        assert_eq!(d.bins.len(), 2);
        assert_eq!(d.level, DriftLevel::Major);
    }
}

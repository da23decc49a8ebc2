//! Drift: how far new leads have moved from the model's training data, as the population
//! stability index (PSI) per model input and for the score.
//!
//! `PSI = Σ_bins (a − e) · ln(a / e)`, with `e` the training share and `a` the new share of a bin
//! (bins as in [`super::profile`]). A bin empty on one side would make the logarithm infinite, so
//! shares of 0 are replaced by [`EPSILON`] (the usual 0.0001): an empty training bin that now holds
//! 10 % of the leads adds about 0.69. Levels, as commonly used in credit scoring:
//! below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 major shift.

use super::profile::Bins;
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
            for (i, &e) in edges.iter().enumerate() {
                out.push(match i {
                    0 => format!("≤ {}", fmt_edge(e)),
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

fn compare_bins(
    name: &str,
    source: &str,
    kind: Option<&FeatureKind>,
    before: &Bins,
    after: &Bins,
) -> FeatureDrift {
    let (e, a) = (before.all_counts(), after.all_counts());
    let psi = psi(&e, &a);
    let (te, ta) = (before.total().max(1) as f64, after.total().max(1) as f64);
    let level = DriftLevel::of(psi);
    FeatureDrift {
        name: name.to_string(),
        source: source.to_string(),
        psi,
        level,
        words: level.words().to_string(),
        bins: labels(before, kind)
            .into_iter()
            .zip(e.iter().zip(&a))
            .map(|(label, (&e, &a))| BinShare {
                label,
                expected: e as f64 / te,
                actual: a as f64 / ta,
            })
            .collect(),
    }
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
    Ok(DriftReport {
        rows: table.n_rows as u64,
        reference_rows: profile.rows,
        features,
        score,
        summary,
        warnings: encoded.warnings,
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
    }
}

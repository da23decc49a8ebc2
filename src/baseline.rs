//! Baselines every evaluation shows, so users see the model's lift over what they have today:
//!
//! - **random**: leads in random order — AUC 0.5, PR AUC = the base rate, lift 1 (exact
//!   expectations, not a sampled run).
//! - **points**: a rule-based points score like manual scoring in Mautic or HubSpot. Each field
//!   value earns points learned from training frequencies: categories by their own conversion
//!   rate, numbers by quartile (plus a "missing" bucket). Points are
//!   `round(10·log2(rate / base rate))`, clamped to ±20, with the rate smoothed towards the base
//!   rate by [`SMOOTHING_ROWS`] pseudo-rows so rare values earn few points. A lead's score is the
//!   sum of its points.

use crate::metrics;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Pseudo-rows at the base rate added to every bucket when learning points.
pub const SMOOTHING_ROWS: f64 = 20.0;
/// Largest number of points one field value can add or take away.
pub const MAX_POINTS: i32 = 20;

/// The points rule of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldPoints {
    /// Feature index (model order).
    pub feature: u32,
    /// Quartile edges for a numeric field (bucket = number of edges ≤ value); empty for a
    /// categorical field (bucket = category code).
    pub edges: Vec<f64>,
    /// Points per bucket; buckets not listed earn 0.
    pub points: BTreeMap<u32, i32>,
    /// Points for a missing value.
    pub missing: i32,
}

impl FieldPoints {
    fn bucket(&self, x: f64, categorical: bool) -> Option<u32> {
        if x.is_nan() {
            None
        } else if categorical {
            Some(x.max(0.0) as u32)
        } else {
            Some(self.edges.iter().filter(|&&e| e <= x).count() as u32)
        }
    }
}

/// A rule-based points score learned from training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsScore {
    /// One rule per feature.
    pub fields: Vec<FieldPoints>,
    /// Whether each feature is categorical.
    pub categorical: Vec<bool>,
}

fn points_for(pos: f64, rows: f64, base: f64) -> i32 {
    let rate = (pos + SMOOTHING_ROWS * base) / (rows + SMOOTHING_ROWS);
    ((10.0 * (rate / base).log2()).round() as i32).clamp(-MAX_POINTS, MAX_POINTS)
}

impl PointsScore {
    /// Learns points from feature columns (`columns[f][row]`, NaN = missing; categorical
    /// features hold category codes) and outcomes.
    ///
    /// # Errors
    /// `Error::Data` when a column's length differs from the outcomes', `categorical` does not
    /// have one entry per column, or the outcomes do not hold both classes.
    pub fn fit<C: AsRef<[f64]>>(
        columns: &[C],
        categorical: &[bool],
        labels: &[bool],
    ) -> Result<PointsScore> {
        if categorical.len() != columns.len() {
            return Err(Error::Data(format!(
                "points baseline: {} columns but {} kinds",
                columns.len(),
                categorical.len()
            )));
        }
        let n = labels.len();
        let pos = labels.iter().filter(|&&y| y).count();
        if pos == 0 || pos == n {
            return Err(Error::Data(
                "points baseline needs rows of both classes".into(),
            ));
        }
        let base = pos as f64 / n as f64;
        let mut fields = Vec::with_capacity(columns.len());
        for (f, col) in columns.iter().enumerate() {
            let col = col.as_ref();
            if col.len() != n {
                return Err(Error::Data(format!(
                    "points baseline: feature {f} has {} values for {n} rows",
                    col.len()
                )));
            }
            let edges = if categorical[f] {
                Vec::new()
            } else {
                quartile_edges(col)
            };
            let mut field = FieldPoints {
                feature: f as u32,
                edges,
                points: BTreeMap::new(),
                missing: 0,
            };
            let mut counts: BTreeMap<Option<u32>, (f64, f64)> = BTreeMap::new();
            for (&x, &y) in col.iter().zip(labels) {
                let c = counts.entry(field.bucket(x, categorical[f])).or_default();
                c.0 += y as u8 as f64;
                c.1 += 1.0;
            }
            for (bucket, (p, rows)) in counts {
                let pts = points_for(p, rows, base);
                match bucket {
                    Some(b) => {
                        field.points.insert(b, pts);
                    }
                    None => field.missing = pts,
                }
            }
            fields.push(field);
        }
        Ok(PointsScore {
            fields,
            categorical: categorical.to_vec(),
        })
    }

    /// The points of one row (features in model order, NaN = missing).
    pub fn score_row(&self, row: &[f64]) -> i32 {
        self.fields
            .iter()
            .map(|field| {
                let f = field.feature as usize;
                let x = row.get(f).copied().unwrap_or(f64::NAN);
                match field.bucket(x, self.categorical[f]) {
                    None => field.missing,
                    Some(b) => field.points.get(&b).copied().unwrap_or(0),
                }
            })
            .sum()
    }

    /// The points of every row of feature columns (`columns[f][row]`).
    pub fn score_columns<C: AsRef<[f64]>>(&self, columns: &[C]) -> Vec<f64> {
        let n = columns.first().map_or(0, |c| c.as_ref().len());
        let mut row = vec![f64::NAN; columns.len()];
        (0..n)
            .map(|i| {
                for (slot, col) in row.iter_mut().zip(columns) {
                    *slot = col.as_ref().get(i).copied().unwrap_or(f64::NAN);
                }
                self.score_row(&row) as f64
            })
            .collect()
    }
}

/// Quartile edges of the non-missing values (distinct, increasing; fewer for few values).
fn quartile_edges(col: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = col.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let mut edges: Vec<f64> = [1, 2, 3]
        .iter()
        .map(|q| v[(q * v.len() / 4).min(v.len() - 1)])
        .collect();
    edges.dedup();
    edges
}

/// The points score with two-fold cross-fitting: each row is scored by rules learned on the other
/// half (even/odd rows), so the baseline is never judged on the rows it learned from. `columns`
/// are feature columns in model order; `None` when the rules cannot be learned (one class in a
/// half).
pub fn points_cross_fitted(
    columns: &[Vec<f64>],
    categorical: &[bool],
    labels: &[bool],
) -> Option<Vec<f64>> {
    let n = labels.len();
    let mut out = vec![0.0; n];
    for fold in 0..2 {
        let train: Vec<usize> = (0..n).filter(|i| i % 2 != fold).collect();
        let cols: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| train.iter().map(|&i| c[i]).collect())
            .collect();
        let y: Vec<bool> = train.iter().map(|&i| labels[i]).collect();
        let rules = PointsScore::fit(&cols, categorical, &y).ok()?;
        let mut row = vec![0.0; columns.len()];
        for i in (0..n).filter(|i| i % 2 == fold) {
            for (slot, c) in row.iter_mut().zip(columns) {
                *slot = c[i];
            }
            out[i] = rules.score_row(&row) as f64;
        }
    }
    Some(out)
}

/// One line of the model-versus-baselines table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineRow {
    /// `model`, `points` or `random`.
    pub name: String,
    /// ROC AUC, in [0, 1].
    pub auc: f64,
    /// PR AUC (average precision), in [0, 1].
    pub pr_auc: f64,
    /// Positive rate in the top 10% of leads over the overall rate (1 = random).
    pub top_decile_lift: f64,
}

/// The model next to the points score and random ordering on the same rows.
///
/// # Errors
/// `Error::Data` when lengths differ or the outcomes hold one class.
pub fn compare(model: &[f64], points: &[f64], labels: &[bool]) -> Result<Vec<BaselineRow>> {
    let row = |name: &str, s: &[f64]| -> Result<BaselineRow> {
        Ok(BaselineRow {
            name: name.into(),
            auc: metrics::roc_auc(s, labels, None)?,
            pr_auc: metrics::pr_auc(s, labels, None)?,
            top_decile_lift: metrics::gains(s, labels, 10)
                .first()
                .map_or(0.0, |g| g.lift),
        })
    };
    let base = labels.iter().filter(|&&y| y).count() as f64 / labels.len().max(1) as f64;
    Ok(vec![
        row("model", model)?,
        row("points", points)?,
        BaselineRow {
            name: "random".into(),
            auc: 0.5,
            pr_auc: base,
            top_decile_lift: 1.0,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_by_hand() {
        // Categorical field, 40 rows: code 0 → 20 rows, 15 positive; code 1 → 20 rows, 5
        // positive. Base rate ½. Smoothed rate of code 0: (15 + 20·½)/(20 + 20) = .625
        // → 10·log2(1.25) = 3.2 → 3 points; code 1: (5 + 10)/40 = .375 → 10·log2(.75) = −4.15
        // → −4 points.
        let col: Vec<f64> = (0..40).map(|i| if i < 20 { 0.0 } else { 1.0 }).collect();
        let y: Vec<bool> = (0..40)
            .map(|i| if i < 20 { i < 15 } else { i < 25 })
            .collect();
        let s = PointsScore::fit(std::slice::from_ref(&col), &[true], &y).unwrap();
        assert_eq!(s.fields[0].points.get(&0), Some(&3));
        assert_eq!(s.fields[0].points.get(&1), Some(&-4));
        assert_eq!(s.score_row(&[0.0]), 3);
        assert_eq!(s.score_row(&[7.0]), 0); // unseen category
        assert_eq!(s.score_row(&[f64::NAN]), 0); // no missing rows in training
        let scores = s.score_columns(&[col]);
        assert_eq!(scores[0], 3.0);
        assert_eq!(scores[39], -4.0);
    }

    #[test]
    fn numeric_fields_use_quartiles_and_beat_random() {
        // Conversion rises with the value: the points score ranks well.
        let x: Vec<f64> = (0..400).map(|i| i as f64).collect();
        let y: Vec<bool> = (0..400).map(|i| (i * 37 % 100) < i / 4).collect();
        let s = PointsScore::fit(std::slice::from_ref(&x), &[false], &y).unwrap();
        assert_eq!(s.fields[0].edges, vec![100.0, 200.0, 300.0]);
        let p = s.score_columns(std::slice::from_ref(&x));
        let rows = compare(&p, &p, &y).unwrap();
        assert_eq!(rows[2].name, "random");
        assert!(rows[1].auc > 0.7, "points AUC {}", rows[1].auc);
        assert!(rows[1].top_decile_lift > 1.5);
        assert!(PointsScore::fit(&[x], &[false], &[true; 400]).is_err());
    }
}

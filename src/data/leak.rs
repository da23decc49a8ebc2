//! Leak scan: columns that predict the target too well to be known before the outcome.
//!
//! Two checks per column, both on the rows that have a target:
//! - **single-column AUC ≥ 0.95**: each value group (a category, a numeric quantile bin, or
//!   "missing") scores the rows with its smoothed positive rate; the AUC of that score (one class
//!   against the rest for multi-class targets, the best class counts) says how well the column
//!   alone separates the outcomes;
//! - **filled in for one class only**: at least 99% of the rows where the column is filled in
//!   belong to one class, while that class is under 90% of all rows;
//! - **a value that settles the outcome** (categorical and yes/no columns): a value on at least
//!   2% of the rows where one class, expected at least 20 times at its overall rate, occurs at
//!   most a tenth as often as expected (e.g. a status `Closed by Horizzon` that is 99% converted).
//!   Outcome codes written back into lead fields look like this; a genuine signal rarely does.

use serde::Serialize;

use super::table::{Column, ColumnKind};

/// Single-column AUC at or above this flags a column.
pub const LEAK_AUC: f64 = 0.95;
/// Numeric columns are cut into at most this many quantile bins for the scan.
const BINS: usize = 64;
/// Smoothing (pseudo-rows at the overall rate) of each group's positive rate.
const PRIOR_ROWS: f64 = 10.0;

/// A column flagged by the leak scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeakFlag {
    /// The column's name.
    pub column: String,
    /// Its single-column AUC on the target, in [0.5, 1].
    pub auc: f64,
    /// When the column is filled in only for one class: that class's name.
    pub only_filled_for: Option<String>,
    /// A value that (almost) settles the outcome, if any.
    pub deciding_value: Option<String>,
    /// The finding in plain words, with what to check.
    pub message: String,
}

/// Group index per row for a column (`u32::MAX` = leave the row out); the missing group is last.
fn groups(col: &Column, rows: &[usize]) -> (Vec<u32>, usize) {
    match col.kind {
        ColumnKind::Numeric | ColumnKind::Date => {
            let mut vals: Vec<f64> = rows
                .iter()
                .map(|&r| col.value(r))
                .filter(|v| !v.is_nan())
                .collect();
            vals.sort_by(f64::total_cmp);
            vals.dedup();
            // Bin edges at quantiles of the distinct values.
            let n_bins = vals.len().min(BINS);
            let edges: Vec<f64> = (1..n_bins).map(|i| vals[i * vals.len() / n_bins]).collect();
            let g = rows
                .iter()
                .map(|&r| {
                    let v = col.value(r);
                    if v.is_nan() {
                        n_bins as u32
                    } else {
                        edges.partition_point(|&e| e <= v) as u32
                    }
                })
                .collect();
            (g, n_bins + 1)
        }
        ColumnKind::Boolean | ColumnKind::Categorical => {
            let n = col.categories.len().max(2);
            let g = rows
                .iter()
                .map(|&r| {
                    let v = col.value(r);
                    if v.is_nan() {
                        n as u32
                    } else {
                        v as u32
                    }
                })
                .collect();
            (g, n + 1)
        }
        _ => (Vec::new(), 0),
    }
}

/// AUC of scoring each row by its group's smoothed rate of `class`.
fn group_auc(g: &[u32], n_groups: usize, labels: &[u32], class: u32) -> f64 {
    let mut pos = vec![0f64; n_groups];
    let mut all = vec![0f64; n_groups];
    for (&gi, &l) in g.iter().zip(labels) {
        all[gi as usize] += 1.0;
        if l == class {
            pos[gi as usize] += 1.0;
        }
    }
    let p_total: f64 = pos.iter().sum();
    let n_total: f64 = all.iter().sum::<f64>() - p_total;
    if p_total == 0.0 || n_total == 0.0 {
        return 0.5;
    }
    let base = p_total / (p_total + n_total);
    let mut order: Vec<(f64, f64, f64)> = (0..n_groups)
        .filter(|&i| all[i] > 0.0)
        .map(|i| {
            (
                (pos[i] + PRIOR_ROWS * base) / (all[i] + PRIOR_ROWS),
                pos[i],
                all[i] - pos[i],
            )
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Walk groups from the lowest score: each positive beats the negatives seen before it.
    let mut neg_below = 0.0;
    let mut wins = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        let (mut p, mut n) = (0.0, 0.0);
        while j < order.len() && order[j].0 == order[i].0 {
            p += order[j].1;
            n += order[j].2;
            j += 1;
        }
        wins += p * neg_below + 0.5 * p * n;
        neg_below += n;
        i = j;
    }
    let auc = wins / (p_total * n_total);
    auc.max(1.0 - auc)
}

/// The largest value group of a categorical or yes/no column in which some class occurs at most
/// a tenth as often as its overall rate predicts (expected ≥ 20 rows, group ≥ 2% of rows).
/// Returns (category index, the dominant class, rows, the dominant class's share in the group).
fn deciding_value(
    col: &Column,
    g: &[u32],
    labels: &[u32],
    class_rows: &[u64],
) -> Option<(usize, usize, u64, f64)> {
    if !matches!(col.kind, ColumnKind::Categorical | ColumnKind::Boolean) {
        return None;
    }
    let n_groups = col.categories.len().max(2);
    let k = class_rows.len();
    let mut counts = vec![0u64; n_groups * k];
    for (&gi, &l) in g.iter().zip(labels) {
        if (gi as usize) < n_groups {
            counts[gi as usize * k + l as usize] += 1;
        }
    }
    let total = labels.len() as f64;
    let mut best: Option<(usize, usize, u64, f64)> = None;
    for grp in 0..n_groups {
        let row = &counts[grp * k..(grp + 1) * k];
        let rows: u64 = row.iter().sum();
        if (rows as f64) < 0.02 * total {
            continue;
        }
        let settles = (0..k).any(|c| {
            let expected = rows as f64 * class_rows[c] as f64 / total;
            expected >= 20.0 && (row[c] as f64) <= 0.1 * expected
        });
        if settles && best.is_none_or(|b| rows > b.2) {
            let dominant = (0..k).max_by_key(|&c| row[c]).unwrap_or(0);
            best = Some((grp, dominant, rows, row[dominant] as f64 / rows as f64));
        }
    }
    best
}

/// Scans the feature-kind columns of a table against per-row classes (`None` = no target).
/// `skip` names columns to leave out (the target itself).
pub fn scan(
    columns: &[Column],
    classes: &[Option<u32>],
    class_names: &[String],
    skip: &str,
) -> Vec<LeakFlag> {
    let rows: Vec<usize> = (0..classes.len())
        .filter(|&r| classes[r].is_some())
        .collect();
    let labels: Vec<u32> = rows.iter().map(|&r| classes[r].unwrap_or(0)).collect();
    let n_classes = class_names.len() as u32;
    let mut class_rows = vec![0u64; n_classes as usize];
    for &l in &labels {
        class_rows[l as usize] += 1;
    }
    let binary = n_classes == 2;
    let mut flags = Vec::new();
    for col in columns {
        if col.name == skip || !col.kind.is_feature() || rows.is_empty() {
            continue;
        }
        let (g, n_groups) = groups(col, &rows);
        if n_groups == 0 {
            continue;
        }
        let classes_to_check: Vec<u32> = if binary {
            vec![1]
        } else {
            (0..n_classes).collect()
        };
        let auc = classes_to_check
            .iter()
            .map(|&c| group_auc(&g, n_groups, &labels, c))
            .fold(0.5, f64::max);
        // Filled in for one class only.
        let missing_group = (n_groups - 1) as u32;
        let mut filled = vec![0u64; n_classes as usize];
        for (&gi, &l) in g.iter().zip(&labels) {
            if gi != missing_group {
                filled[l as usize] += 1;
            }
        }
        let total_filled: u64 = filled.iter().sum();
        let only = (0..n_classes as usize).find(|&c| {
            total_filled >= 10
                && total_filled < rows.len() as u64
                && filled[c] as f64 >= 0.99 * total_filled as f64
                && (class_rows[c] as f64) < 0.9 * rows.len() as f64
        });
        let deciding = deciding_value(col, &g, &labels, &class_rows);
        if auc < LEAK_AUC && only.is_none() && deciding.is_none() {
            continue;
        }
        let name = &col.name;
        let message = match (only, &deciding) {
            (None, Some((group, c, rows, share))) if auc < LEAK_AUC => format!(
                "`{name}` = `{}` almost settles the outcome ({rows} rows, {:.0}% `{}`): was `{name}` filled in after \
                 the sales contact? Drop it unless it is known before",
                col.categories.get(*group).map_or("?", |c| c.label.as_str()),
                share * 100.0,
                class_names[*c]
            ),
            (Some(c), _) => format!(
                "`{name}` is filled in almost only for `{}` rows ({} of {total_filled}; single-column AUC {auc:.2}): \
                 it was probably recorded after the outcome — drop it unless it is known before",
                class_names[c], filled[c]
            ),
            _ => format!(
                "`{name}` predicts the outcome almost perfectly (single-column AUC {auc:.2}): \
                 was it filled in after the sales contact? Drop it unless it is known before"
            ),
        };
        flags.push(LeakFlag {
            column: name.clone(),
            auc,
            only_filled_for: only.map(|c| class_names[c].clone()),
            deciding_value: deciding.and_then(|d| col.categories.get(d.0).map(|c| c.label.clone())),
            message,
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_groups() {
        // Perfect separation.
        let g = [0, 0, 1, 1];
        assert_eq!(group_auc(&g, 2, &[0, 0, 1, 1], 1), 1.0);
        // No information.
        assert_eq!(group_auc(&[0, 0, 0, 0], 1, &[0, 1, 0, 1], 1), 0.5);
    }
}

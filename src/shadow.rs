//! Shadow mode: a new model scored beside the previous one on the same leads — how similarly
//! they rank the leads (Spearman's rank correlation, ties averaged) and which leads changed
//! tier, counted per from → to pair.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// 1-based ranks of `values`, tied values sharing the average of their ranks
/// (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
///
/// # Errors
/// `Error::Data` when a value is NaN (it has no rank).
pub fn average_ranks(values: &[f64]) -> Result<Vec<f64>> {
    if let Some(i) = values.iter().position(|v| v.is_nan()) {
        return Err(Error::Data(format!(
            "value {} (row {}) is not a number and cannot be ranked",
            values[i],
            i + 1
        )));
    }
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share ranks start+1..=end: their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    Ok(ranks)
}

/// Spearman's rank correlation of paired values, in [−1, 1]: the Pearson correlation of their
/// average ranks (so ties are handled exactly). `None` when there are fewer than two pairs or
/// one side is constant (the correlation is undefined).
///
/// # Errors
/// `Error::Data` when the lengths differ or a value is NaN.
pub fn spearman(a: &[f64], b: &[f64]) -> Result<Option<f64>> {
    if a.len() != b.len() {
        return Err(Error::Data(format!(
            "rank correlation needs paired values: {} against {}",
            a.len(),
            b.len()
        )));
    }
    let (ra, rb) = (average_ranks(a)?, average_ranks(b)?);
    let n = a.len();
    if n < 2 {
        return Ok(None);
    }
    // Both rank vectors have mean (n + 1) / 2.
    let mean = (n + 1) as f64 / 2.0;
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        let (dx, dy) = (x - mean, y - mean);
        cov += dx * dy;
        va += dx * dx;
        vb += dy * dy;
    }
    if va == 0.0 || vb == 0.0 {
        return Ok(None);
    }
    Ok(Some((cov / (va * vb).sqrt()).clamp(-1.0, 1.0)))
}

/// Leads that moved between two tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierMove {
    /// Tier under the previous model.
    pub from: String,
    /// Tier under the new model.
    pub to: String,
    /// Number of leads (≥ 1).
    pub leads: u64,
}

/// What changed between the previous and the new model's tiers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TierChanges {
    /// Leads compared.
    pub leads: u64,
    /// Leads whose tier name differs.
    pub changed: u64,
    /// Each from → to pair with at least one lead, most leads first (ties by tier names).
    pub moves: Vec<TierMove>,
}

impl TierChanges {
    /// Counts tier changes between paired tier names (`old[i]` and `new[i]` belong to one lead).
    ///
    /// # Errors
    /// `Error::Data` when the lengths differ.
    pub fn count(old: &[&str], new: &[&str]) -> Result<TierChanges> {
        if old.len() != new.len() {
            return Err(Error::Data(format!(
                "tier changes need paired tiers: {} against {}",
                old.len(),
                new.len()
            )));
        }
        let mut moves: Vec<TierMove> = Vec::new();
        for (from, to) in old.iter().zip(new).filter(|(a, b)| a != b) {
            match moves.iter_mut().find(|m| m.from == *from && m.to == *to) {
                Some(m) => m.leads += 1,
                None => moves.push(TierMove {
                    from: from.to_string(),
                    to: to.to_string(),
                    leads: 1,
                }),
            }
        }
        moves.sort_by(|a, b| {
            b.leads
                .cmp(&a.leads)
                .then_with(|| a.from.cmp(&b.from))
                .then_with(|| a.to.cmp(&b.to))
        });
        Ok(TierChanges {
            leads: old.len() as u64,
            changed: moves.iter().map(|m| m.leads).sum(),
            moves,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(
            average_ranks(&[30.0, 10.0, 20.0, 20.0]).unwrap(),
            vec![4.0, 1.0, 2.5, 2.5]
        );
        assert_eq!(average_ranks(&[5.0; 3]).unwrap(), vec![2.0; 3]);
        assert!(average_ranks(&[1.0, f64::NAN]).is_err());
    }

    #[test]
    fn spearman_matches_hand_computed_values() {
        // No ties: d = (−1, 1, −1, 1, 0), Σd² = 4, ρ = 1 − 6·4 / (5·24) = 0.8.
        let r = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]).unwrap();
        close(r.unwrap(), 0.8);
        // Any increasing transform ranks the same; a decreasing one reverses.
        let a = [0.1, 0.7, 0.3, 0.9];
        close(
            spearman(&a, &a.map(|x| x * x * 100.0)).unwrap().unwrap(),
            1.0,
        );
        close(spearman(&a, &a.map(|x| -x)).unwrap().unwrap(), -1.0);
        // Ties: ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): cov 4.5, variances 4.5 and 5, so
        // ρ = 4.5 / √22.5 = √0.9 (the no-ties formula would give 0.95).
        let r = spearman(&[1.0, 2.0, 2.0, 3.0], &[1.0, 2.0, 3.0, 4.0]).unwrap();
        close(r.unwrap(), 0.9f64.sqrt());
    }

    #[test]
    fn spearman_is_undefined_for_constant_or_tiny_inputs_and_refuses_unpaired_ones() {
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).unwrap(), None);
        assert_eq!(spearman(&[1.0], &[2.0]).unwrap(), None);
        assert_eq!(spearman(&[], &[]).unwrap(), None);
        assert!(spearman(&[1.0, 2.0], &[1.0]).is_err());
        assert!(spearman(&[1.0, f64::NAN], &[1.0, 2.0]).is_err());
    }

    #[test]
    fn tier_changes_count_each_from_to_pair() {
        let old = ["A", "A", "B", "C", "D", "C", "A"];
        let new = ["A", "B", "B", "B", "D", "B", "B"];
        let t = TierChanges::count(&old, &new).unwrap();
        assert_eq!(t.leads, 7);
        assert_eq!(t.changed, 4);
        let moves: Vec<(&str, &str, u64)> = t
            .moves
            .iter()
            .map(|m| (m.from.as_str(), m.to.as_str(), m.leads))
            .collect();
        assert_eq!(moves, vec![("A", "B", 2), ("C", "B", 2)]);
        let same = TierChanges::count(&old, &old).unwrap();
        assert_eq!((same.changed, same.moves.len()), (0, 0));
        assert!(TierChanges::count(&old, &new[..3]).is_err());
    }
}

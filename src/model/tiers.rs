//! Tiers: named groups of leads with an action each (by default A → route to sales,
//! B → sales-assist, C → nurture by email, D → delay or drop), assigned by calibrated
//! probability. Stored in the model file as plain probability cut-offs.
//!
//! The cut-offs can be set three ways ([`TierRule`]):
//! - **Thresholds**: given probabilities, e.g. `[0.6, 0.3, 0.1]` (A from 0.6, B from 0.3…).
//! - **Quantiles**: given shares of leads from the top, e.g. `[0.25, 0.25, 0.25]` (HubSpot-style
//!   priority quartiles); the last tier takes the rest.
//! - **Capacity**: "each of `reps` reps can call `per_rep_per_day` leads a day and
//!   `daily_volume` leads come in a day": tier A is the top `reps × per_rep_per_day` of a day's
//!   volume, the following tiers share the rest equally.
//!
//! Quantile and capacity cut-offs are fitted on reference probabilities (held-out or recent
//! leads). A cut-off never splits tied probabilities: tied leads at a boundary go to the lower
//! tier, so a tier never holds more than its share on the reference data.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// One tier: a name, what to do with its leads, and the lowest probability it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tier {
    /// Short name shown in the `tier` column (e.g. `A`).
    pub name: String,
    /// What to do with these leads (e.g. `route to sales`).
    pub action: String,
    /// Leads with probability ≥ this (and below the previous tier's) belong here; in [0, 1].
    pub min_probability: f64,
}

/// Tier names and actions, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierNames(pub Vec<(String, String)>);

impl Default for TierNames {
    fn default() -> Self {
        TierNames(
            [
                ("A", "route to sales"),
                ("B", "sales-assist"),
                ("C", "nurture by email"),
                ("D", "delay or drop"),
            ]
            .iter()
            .map(|(n, a)| (n.to_string(), a.to_string()))
            .collect(),
        )
    }
}

/// How to place the cut-offs between tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TierRule {
    /// Lowest probability of each tier but the last, best first, decreasing, in [0, 1].
    Thresholds(Vec<f64>),
    /// Share of leads in each tier but the last, best first, each in (0, 1], summing to ≤ 1.
    Quantiles(Vec<f64>),
    /// Tier A holds the leads at or above the decision threshold (the ones sent to sales); the
    /// other tiers share the leads below it equally (see [`Tiers::around`]). The default.
    FollowThreshold,
    /// Tier A holds what the sales team can call in a day; the other tiers share the rest.
    Capacity {
        /// Sales reps working the leads (≥ 1).
        reps: u32,
        /// Leads one rep works per day (≥ 1).
        per_rep_per_day: u32,
        /// Leads arriving per day (≥ 1).
        daily_volume: u32,
    },
}

impl Default for TierRule {
    /// Tier A = the leads at or above the threshold; B, C and D share the rest equally.
    fn default() -> Self {
        TierRule::FollowThreshold
    }
}

/// Fitted tiers, best first; the last tier takes every remaining lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tiers {
    /// The tiers, best first, with non-increasing `min_probability`; the last has 0.
    pub tiers: Vec<Tier>,
}

impl Tiers {
    /// Builds tiers with `names` by `rule`; `reference` holds the probabilities that quantile
    /// and capacity rules are fitted on (ignored for thresholds).
    ///
    /// # Errors
    /// `Error::Config` when the rule's numbers are out of range or do not match the number of
    /// names (one cut-off fewer than names); `Error::Data` when a quantile or capacity rule gets
    /// no reference probabilities.
    pub fn fit(names: &TierNames, rule: &TierRule, reference: &[f64]) -> Result<Tiers> {
        let k = names.0.len();
        if k == 0 {
            return Err(Error::Config {
                field: "tier_names",
                expected: "at least one tier".into(),
                given: "none".into(),
            });
        }
        let cutoffs = match rule {
            TierRule::Thresholds(t) => {
                check_count(t.len(), k, "thresholds")?;
                let ok =
                    t.iter().all(|x| (0.0..=1.0).contains(x)) && t.windows(2).all(|w| w[0] >= w[1]);
                if !ok {
                    return Err(Error::Config {
                        field: "thresholds",
                        expected: "probabilities in [0, 1], best tier first, non-increasing".into(),
                        given: format!("{t:?}"),
                    });
                }
                t.clone()
            }
            TierRule::Quantiles(q) => {
                check_count(q.len(), k, "quantiles")?;
                let sum: f64 = q.iter().sum();
                if q.iter().any(|x| !(*x > 0.0 && *x <= 1.0)) || sum > 1.0 + 1e-9 {
                    return Err(Error::Config {
                        field: "quantiles",
                        expected: "shares in (0, 1] summing to at most 1".into(),
                        given: format!("{q:?}"),
                    });
                }
                quantile_cutoffs(q, reference)?
            }
            TierRule::FollowThreshold => {
                return Err(Error::Config {
                    field: "tier_rule",
                    expected: "a rule with its own cut-offs (tiers that follow a threshold are \
                               made by Tiers::around)"
                        .into(),
                    given: "FollowThreshold".into(),
                })
            }
            TierRule::Capacity {
                reps,
                per_rep_per_day,
                daily_volume,
            } => {
                for (field, v) in [
                    ("reps", reps),
                    ("per_rep_per_day", per_rep_per_day),
                    ("daily_volume", daily_volume),
                ] {
                    if *v == 0 {
                        return Err(Error::Config {
                            field,
                            expected: "a whole number ≥ 1".into(),
                            given: "0".into(),
                        });
                    }
                }
                let top = (*reps as f64 * *per_rep_per_day as f64 / *daily_volume as f64).min(1.0);
                let rest = if k > 1 {
                    (1.0 - top) / (k - 1) as f64
                } else {
                    0.0
                };
                let mut q = vec![top];
                q.extend(std::iter::repeat_n(rest, k.saturating_sub(2)));
                q.truncate(k - 1);
                quantile_cutoffs(&q, reference)?
            }
        };
        let tiers = names
            .0
            .iter()
            .enumerate()
            .map(|(i, (name, action))| Tier {
                name: name.clone(),
                action: action.clone(),
                min_probability: cutoffs.get(i).copied().unwrap_or(0.0),
            })
            .collect();
        Ok(Tiers { tiers })
    }

    /// Tiers that follow a decision threshold: the first tier (A) takes every lead at or above
    /// `threshold`, the other tiers share the `reference` leads below it equally (best first); a
    /// boundary never splits tied probabilities.
    ///
    /// # Errors
    /// `Error::Config` for no names or a threshold outside [0, 1].
    pub fn around(names: &TierNames, threshold: f64, reference: &[f64]) -> Result<Tiers> {
        let k = names.0.len();
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::Config {
                field: "threshold",
                expected: "a probability in [0, 1]".into(),
                given: threshold.to_string(),
            });
        }
        if k <= 1 {
            return Tiers::fit(names, &TierRule::Thresholds(Vec::new()), &[]);
        }
        let below: Vec<f64> = reference
            .iter()
            .copied()
            .filter(|&p| p < threshold)
            .collect();
        let mut cut = vec![threshold];
        if k > 2 {
            let share = 1.0 / (k - 1) as f64;
            match quantile_cutoffs(&vec![share; k - 2], &below) {
                Ok(c) => cut.extend(c.into_iter().map(|c| c.min(threshold))),
                Err(_) => cut.extend(std::iter::repeat_n(0.0, k - 2)),
            }
        }
        Tiers::fit(names, &TierRule::Thresholds(cut), &[])
    }

    /// Index of the tier of probability `p` (the first whose minimum `p` reaches; NaN → last).
    pub fn index_of(&self, p: f64) -> usize {
        self.tiers
            .iter()
            .position(|t| p >= t.min_probability)
            .unwrap_or(self.tiers.len().saturating_sub(1))
    }

    /// The tier of probability `p`.
    pub fn tier_of(&self, p: f64) -> Option<&Tier> {
        self.tiers.get(self.index_of(p))
    }

    /// How many of `probs` fall in each tier, best first.
    pub fn counts(&self, probs: &[f64]) -> Vec<u64> {
        let mut out = vec![0u64; self.tiers.len()];
        for &p in probs {
            if let Some(c) = out.get_mut(self.index_of(p)) {
                *c += 1;
            }
        }
        out
    }
}

impl Default for Tiers {
    /// A, B, C, D from probabilities 0.6, 0.3 and 0.1 (used until tiers are fitted on data).
    fn default() -> Self {
        Tiers::fit(
            &TierNames::default(),
            &TierRule::Thresholds(vec![0.6, 0.3, 0.1]),
            &[],
        )
        .unwrap_or(Tiers { tiers: Vec::new() })
    }
}

fn check_count(given: usize, names: usize, field: &'static str) -> Result<()> {
    if given + 1 != names {
        return Err(Error::Config {
            field,
            expected: format!(
                "{} values (one fewer than the {names} tier names)",
                names - 1
            ),
            given: format!("{given} values"),
        });
    }
    Ok(())
}

/// Cut-offs such that the top `shares[0]` of `reference` land in tier 0, the next `shares[1]`
/// in tier 1, and so on; a boundary inside a run of tied values moves above the run.
fn quantile_cutoffs(shares: &[f64], reference: &[f64]) -> Result<Vec<f64>> {
    let mut sorted: Vec<f64> = reference.iter().copied().filter(|p| !p.is_nan()).collect();
    if sorted.is_empty() {
        return Err(Error::Data(
            "tiers by quantile or capacity need reference probabilities (scored leads)".into(),
        ));
    }
    sorted.sort_by(|a, b| b.total_cmp(a));
    let n = sorted.len();
    let mut cumulative = 0.0;
    let mut out = Vec::with_capacity(shares.len());
    for &s in shares {
        cumulative += s;
        // Leads in this tier and above: k = ⌊cumulative·n⌋ (never more than asked).
        let k = ((cumulative * n as f64) + 1e-9).floor().min(n as f64) as usize;
        out.push(cutoff_for_top(&sorted, k));
    }
    Ok(out)
}

/// A probability such that at most the top `k` of `sorted` (descending) are ≥ it, exactly `k`
/// unless tied values straddle the boundary (then the tie goes below).
fn cutoff_for_top(sorted: &[f64], k: usize) -> f64 {
    if k >= sorted.len() {
        return 0.0;
    }
    let below = sorted[k];
    // The smallest value above `below` among the top k (the tie run moves down).
    match sorted[..k].iter().rev().find(|&&v| v > below) {
        Some(&above) => midpoint_above(below, above),
        None => next_up(below),
    }
}

/// A value strictly between `below` and `above` (their midpoint, or `above` if they are
/// adjacent floats).
fn midpoint_above(below: f64, above: f64) -> f64 {
    let m = below + (above - below) / 2.0;
    if m > below {
        m
    } else {
        above
    }
}

/// The smallest float above `x` (for x in [0, 1]).
fn next_up(x: f64) -> f64 {
    if x < 0.0 {
        return 0.0;
    }
    f64::from_bits(x.to_bits() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probs(n: usize) -> Vec<f64> {
        // Distinct, unordered: p_i = ((i·7919) mod n + 0.5) / n.
        (0..n)
            .map(|i| ((i * 7919) % n) as f64 / n as f64 + 0.5 / n as f64)
            .collect()
    }

    #[test]
    fn thresholds_assign_by_probability() {
        let t = Tiers::default();
        assert_eq!(t.tiers.len(), 4);
        assert_eq!(t.tier_of(0.6).unwrap().name, "A");
        assert_eq!(t.tier_of(0.59).unwrap().name, "B");
        assert_eq!(t.tier_of(0.1).unwrap().name, "C");
        assert_eq!(t.tier_of(0.0).unwrap().name, "D");
        assert_eq!(t.tier_of(f64::NAN).unwrap().name, "D");
        assert_eq!(t.tier_of(0.95).unwrap().action, "route to sales");
        let bad = Tiers::fit(
            &TierNames::default(),
            &TierRule::Thresholds(vec![0.3, 0.6, 0.1]),
            &[],
        );
        assert!(bad.is_err());
        let wrong_count = Tiers::fit(&TierNames::default(), &TierRule::Thresholds(vec![0.5]), &[]);
        assert!(wrong_count.unwrap_err().to_string().contains("3 values"));
    }

    #[test]
    fn tiers_around_a_threshold() {
        let p = probs(1000);
        let t = Tiers::around(&TierNames::default(), 0.7, &p).unwrap();
        let counts = t.counts(&p);
        let above = p.iter().filter(|&&x| x >= 0.7).count() as u64;
        assert_eq!(counts[0], above);
        assert_eq!(counts.iter().sum::<u64>(), 1000);
        let rest = 1000 - above;
        assert!(
            counts[1..].iter().all(|&c| c.abs_diff(rest / 3) <= 1),
            "{counts:?}"
        );
        // Nothing below the threshold: the lower tiers are empty, never a panic.
        let t = Tiers::around(&TierNames::default(), 0.0, &p).unwrap();
        assert_eq!(t.counts(&p)[0], 1000);
        assert!(Tiers::around(&TierNames::default(), 1.5, &p).is_err());
        assert!(Tiers::fit(&TierNames::default(), &TierRule::default(), &p).is_err());
    }

    #[test]
    fn quartiles_split_the_reference_evenly() {
        let p = probs(1000);
        let quartiles = TierRule::Quantiles(vec![0.25, 0.25, 0.25]);
        let t = Tiers::fit(&TierNames::default(), &quartiles, &p).unwrap();
        assert_eq!(t.counts(&p), vec![250, 250, 250, 250]);
        // Tiers are ordered by probability: every A lead is above every B lead.
        let min_a = p
            .iter()
            .filter(|&&x| t.index_of(x) == 0)
            .fold(1.0f64, |m, &x| m.min(x));
        let max_b = p
            .iter()
            .filter(|&&x| t.index_of(x) == 1)
            .fold(0.0f64, |m, &x| m.max(x));
        assert!(min_a > max_b);
    }

    #[test]
    fn capacity_tiers_give_the_requested_counts() {
        // 5 reps × 20 leads a day, 800 leads a day → A holds exactly 100 of a day's 800; the
        // other 700 are shared by B, C, D: ⌊(100+233.3)⌋ − 100 = 233, then 233, then 234.
        let p = probs(800);
        let rule = TierRule::Capacity {
            reps: 5,
            per_rep_per_day: 20,
            daily_volume: 800,
        };
        let t = Tiers::fit(&TierNames::default(), &rule, &p).unwrap();
        assert_eq!(t.counts(&p), vec![100, 233, 233, 234]);
        // A reference sample of 4 days (3200 leads) gives the same share: 400 = 4 × 100.
        let p4 = probs(3200);
        let t4 = Tiers::fit(&TierNames::default(), &rule, &p4).unwrap();
        assert_eq!(t4.counts(&p4)[0], 400);
        // Capacity beyond the volume puts everyone in A.
        let all = TierRule::Capacity {
            reps: 10,
            per_rep_per_day: 100,
            daily_volume: 50,
        };
        let t = Tiers::fit(&TierNames::default(), &all, &p).unwrap();
        assert_eq!(t.counts(&p), vec![800, 0, 0, 0]);
        let zero = TierRule::Capacity {
            reps: 0,
            per_rep_per_day: 20,
            daily_volume: 800,
        };
        let err = Tiers::fit(&TierNames::default(), &zero, &p).unwrap_err();
        assert!(err.to_string().contains("reps"), "{err}");
        assert!(Tiers::fit(&TierNames::default(), &rule, &[]).is_err());
    }

    #[test]
    fn ties_at_a_boundary_go_to_the_lower_tier() {
        // Top 2 asked, but the 2nd and 3rd are tied: only 1 goes to A, never 3.
        let p = [0.9, 0.5, 0.5, 0.1];
        let names = TierNames(vec![
            ("hot".into(), "call".into()),
            ("cold".into(), "wait".into()),
        ]);
        let t = Tiers::fit(&names, &TierRule::Quantiles(vec![0.5]), &p).unwrap();
        assert_eq!(t.counts(&p), vec![1, 3]);
        assert_eq!(t.tier_of(0.9).unwrap().name, "hot");
        // All tied: nobody can be singled out.
        let t = Tiers::fit(&names, &TierRule::Quantiles(vec![0.5]), &[0.3; 4]).unwrap();
        assert_eq!(t.counts(&[0.3; 4]), vec![0, 4]);
    }
}

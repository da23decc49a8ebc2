//! Champion vs challenger on the same labelled rows (the newest period): AUC, calibration
//! (ECE, Brier), precision and lift at each model's operating threshold, and a paired bootstrap
//! confidence interval on the AUC difference.
//!
//! The bootstrap draws the rows with replacement `resamples` times from a seeded
//! [`crate::rng::Rng`] and scores both models on the same draw (paired), so the interval reflects
//! how much the difference depends on which leads happened to arrive. The interval is the
//! percentile interval (nearest rank). The same draws give an interval on the Brier score
//! difference. Rule: **switch** when the AUC interval's lower bound is above 0 (the challenger
//! ranks leads better with the stated confidence), or when the AUC interval holds 0 (ranking not
//! clearly worse) and the Brier interval's upper bound is below 0 (its probabilities are clearly
//! closer to the outcomes: the tiers and threshold work again after the conversion rate moved);
//! otherwise **keep** the champion, since a switch has costs (new scores for sales, new tiers)
//! that an unproven gain does not pay for.

use crate::metrics::{self, Confusion};
use crate::rng::Rng;
use crate::{Error, Result};
use serde::Serialize;

/// Bootstrap settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Bootstrap resamples, at least 10 (default 1000).
    pub resamples: u32,
    /// Confidence level of the interval, in (0, 1) (default 0.95).
    pub confidence: f64,
    /// Seed of the resampling.
    pub seed: u64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            resamples: 1000,
            confidence: 0.95,
            seed: 42,
        }
    }
}

/// One model's figures on the comparison rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelResult {
    /// ROC AUC, in [0, 1].
    pub auc: f64,
    /// Brier score of the calibrated probabilities, in [0, 1] (lower is better).
    pub brier: f64,
    /// Expected calibration error (10 bins), in [0, 1] (lower is better).
    pub ece: f64,
    /// The model's operating threshold (calibrated probability), in [0, 1].
    pub threshold: f64,
    /// Leads at or above the threshold.
    pub flagged: u64,
    /// Of the flagged leads, the share that converted, in [0, 1].
    pub precision: f64,
    /// Of the converted leads, the share flagged, in [0, 1].
    pub recall: f64,
    /// Precision divided by the base rate (1 = no better than random).
    pub lift: f64,
}

/// Keep the champion or switch to the challenger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recommendation {
    /// Keep the champion.
    Keep,
    /// Switch to the challenger.
    Switch,
}

/// The comparison and its recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Labelled rows compared.
    pub rows: u64,
    /// Of them, converted.
    pub positives: u64,
    /// The current model.
    pub champion: ModelResult,
    /// The retrained model.
    pub challenger: ModelResult,
    /// Challenger AUC minus champion AUC.
    pub auc_difference: f64,
    /// Lower bound of the bootstrap interval of the difference.
    pub ci_low: f64,
    /// Upper bound of the bootstrap interval of the difference.
    pub ci_high: f64,
    /// The interval's confidence level, in (0, 1).
    pub confidence: f64,
    /// Challenger Brier score minus champion Brier score (below 0 = better probabilities).
    pub brier_difference: f64,
    /// Lower bound of the bootstrap interval of the Brier difference.
    pub brier_ci_low: f64,
    /// Upper bound of the bootstrap interval of the Brier difference.
    pub brier_ci_high: f64,
    /// Resamples used (those with both classes).
    pub resamples: u32,
    /// Keep or switch.
    pub recommendation: Recommendation,
    /// Why, in plain words.
    pub reason: String,
}

/// Weighted ROC AUC over rows pre-sorted by score (ascending), with tie groups as ranges.
struct Sorted {
    order: Vec<u32>,
    /// End (exclusive) of each tie group in `order`.
    group_ends: Vec<u32>,
}

impl Sorted {
    fn new(p: &[f64]) -> Sorted {
        let mut order: Vec<u32> = (0..p.len() as u32).collect();
        order.sort_by(|&a, &b| p[a as usize].total_cmp(&p[b as usize]).then(a.cmp(&b)));
        let mut group_ends = Vec::new();
        for i in 1..=order.len() {
            if i == order.len() || p[order[i] as usize] != p[order[i - 1] as usize] {
                group_ends.push(i as u32);
            }
        }
        Sorted { order, group_ends }
    }

    /// AUC with integer row weights (bootstrap counts); `None` when a class has no weight.
    fn auc(&self, y: &[bool], w: &[u32]) -> Option<f64> {
        let (mut neg_below, mut area, mut total_pos) = (0.0, 0.0, 0.0);
        let mut start = 0usize;
        for &end in &self.group_ends {
            let (mut pos, mut neg) = (0.0, 0.0);
            for &r in &self.order[start..end as usize] {
                let r = r as usize;
                if y[r] {
                    pos += w[r] as f64;
                } else {
                    neg += w[r] as f64;
                }
            }
            area += pos * (neg_below + 0.5 * neg);
            neg_below += neg;
            total_pos += pos;
            start = end as usize;
        }
        (total_pos > 0.0 && neg_below > 0.0).then(|| area / (total_pos * neg_below))
    }
}

fn model_result(p: &[f64], y: &[bool], threshold: f64) -> Result<ModelResult> {
    let c = Confusion::at(p, y, threshold);
    Ok(ModelResult {
        auc: metrics::roc_auc(p, y, None)?,
        brier: metrics::brier(p, y, None)?,
        ece: metrics::ece(p, y),
        threshold,
        flagged: c.tp + c.fp,
        precision: c.precision(),
        recall: c.recall(),
        lift: c.lift(),
    })
}

/// Compares two models' calibrated probabilities on the same labelled rows, each at its own
/// operating threshold.
///
/// # Errors
/// `Error::Data` when lengths differ, a probability is not a number, or the rows do not hold
/// both outcomes; `Error::Config` for options out of range.
pub fn compare(
    champion: (&[f64], f64),
    challenger: (&[f64], f64),
    labels: &[bool],
    options: &CompareOptions,
) -> Result<Comparison> {
    if options.resamples < 10 {
        return Err(Error::Config {
            field: "resamples",
            expected: "at least 10".into(),
            given: options.resamples.to_string(),
        });
    }
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(Error::Config {
            field: "confidence",
            expected: "a level in (0, 1), e.g. 0.95".into(),
            given: options.confidence.to_string(),
        });
    }
    let n = labels.len();
    if champion.0.len() != n || challenger.0.len() != n {
        return Err(Error::Data(format!(
            "{n} outcomes but {} champion and {} challenger predictions",
            champion.0.len(),
            challenger.0.len()
        )));
    }
    let a = model_result(champion.0, labels, champion.1)?;
    let b = model_result(challenger.0, labels, challenger.1)?;
    let (sa, sb) = (Sorted::new(champion.0), Sorted::new(challenger.0));
    let mut rng = Rng::new(options.seed).fork(0xB007);
    let mut weights = vec![0u32; n];
    let mut diffs: Vec<f64> = Vec::with_capacity(options.resamples as usize);
    let mut brier_diffs: Vec<f64> = Vec::with_capacity(options.resamples as usize);
    // Per-row squared-error difference (challenger − champion): a resample's Brier difference is
    // their weighted mean.
    let sq = |p: f64, y: bool| (p - if y { 1.0 } else { 0.0 }).powi(2);
    let row_brier: Vec<f64> = (0..n)
        .map(|r| sq(challenger.0[r], labels[r]) - sq(champion.0[r], labels[r]))
        .collect();
    for _ in 0..options.resamples {
        weights.iter_mut().for_each(|w| *w = 0);
        for _ in 0..n {
            weights[rng.below(n as u64) as usize] += 1;
        }
        if let (Some(x), Some(y)) = (sa.auc(labels, &weights), sb.auc(labels, &weights)) {
            diffs.push(y - x);
            let s: f64 = row_brier
                .iter()
                .zip(&weights)
                .map(|(d, &w)| d * w as f64)
                .sum();
            brier_diffs.push(s / n as f64);
        }
    }
    if diffs.is_empty() {
        return Err(Error::Data(
            "too few converted or lost leads in the newest period to compare the models".into(),
        ));
    }
    diffs.sort_by(f64::total_cmp);
    brier_diffs.sort_by(f64::total_cmp);
    let tail = (1.0 - options.confidence) / 2.0;
    let m = diffs.len();
    let at = |v: &[f64], q: f64| v[((q * m as f64).ceil() as usize).clamp(1, m) - 1];
    let (ci_low, ci_high) = (at(&diffs, tail), at(&diffs, 1.0 - tail));
    let (brier_ci_low, brier_ci_high) = (at(&brier_diffs, tail), at(&brier_diffs, 1.0 - tail));
    let brier_diff = b.brier - a.brier;
    let diff = b.auc - a.auc;
    let level = format!("{:.0} %", options.confidence * 100.0);
    let interval = format!("{level} interval {ci_low:+.3} to {ci_high:+.3}");
    let (recommendation, reason) = if ci_low > 0.0 {
        (
            Recommendation::Switch,
            format!(
                "Switch to the challenger: it ranks the newest leads better (AUC {:.3} vs {:.3}, \
                 difference {diff:+.3}, {interval}, which is above 0).",
                b.auc, a.auc
            ),
        )
    } else if ci_high >= 0.0 && brier_ci_high < 0.0 {
        (
            Recommendation::Switch,
            format!(
                "Switch to the challenger: it ranks the newest leads about as well (AUC {:.3} vs \
                 {:.3}, {interval} includes 0) and its probabilities are clearly closer to the \
                 outcomes (Brier {:.4} vs {:.4}, {level} interval {brier_ci_low:+.4} to \
                 {brier_ci_high:+.4}, below 0), so its tiers and threshold fit the leads again.",
                b.auc, a.auc, b.brier, a.brier
            ),
        )
    } else if ci_high < 0.0 {
        (
            Recommendation::Keep,
            format!(
                "Keep the champion: the challenger ranks the newest leads worse (AUC {:.3} vs \
                 {:.3}, difference {diff:+.3}, {interval}).",
                b.auc, a.auc
            ),
        )
    } else {
        (
            Recommendation::Keep,
            format!(
                "Keep the champion: the challenger is not clearly better (AUC {:.3} vs {:.3}, \
                 difference {diff:+.3}, {interval} includes 0).",
                b.auc, a.auc
            ),
        )
    };
    Ok(Comparison {
        rows: n as u64,
        positives: labels.iter().filter(|&&y| y).count() as u64,
        champion: a,
        challenger: b,
        auc_difference: diff,
        ci_low,
        ci_high,
        brier_difference: brier_diff,
        brier_ci_low,
        brier_ci_high,
        confidence: options.confidence,
        resamples: m as u32,
        recommendation,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outcomes and two sets of predictions: `good` separates the classes cleanly, `poor` is
    /// nearly random (a fixed pseudo-random pattern).
    fn fixture(n: usize) -> (Vec<bool>, Vec<f64>, Vec<f64>) {
        let mut rng = Rng::new(5);
        let y: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
        let good = y
            .iter()
            .map(|&t| if t { 0.6 } else { 0.2 } + 0.3 * rng.next_f64())
            .collect();
        let poor = y
            .iter()
            .map(|&t| if t { 0.05 } else { 0.0 } + rng.next_f64())
            .collect();
        (y, good, poor)
    }

    #[test]
    fn weighted_auc_matches_the_metrics_module() {
        let (y, good, poor) = fixture(90);
        let w: Vec<u32> = (0..90).map(|i| (i % 4) as u32).collect();
        let wf: Vec<f64> = w.iter().map(|&x| x as f64).collect();
        for p in [&good, &poor] {
            let fast = Sorted::new(p).auc(&y, &w).unwrap();
            let reference = metrics::roc_auc(p, &y, Some(&wf)).unwrap();
            assert!((fast - reference).abs() < 1e-12);
        }
        // Ties count one half: all equal scores give 0.5.
        let flat = vec![0.3; 90];
        assert_eq!(Sorted::new(&flat).auc(&y, &vec![1; 90]), Some(0.5));
    }

    #[test]
    fn clearly_better_predictions_get_a_switch() {
        let (y, good, poor) = fixture(300);
        let c = compare((&poor, 0.5), (&good, 0.5), &y, &CompareOptions::default()).unwrap();
        assert!(c.challenger.auc > 0.95 && c.champion.auc < 0.7);
        assert!(c.ci_low > 0.0, "{c:?}");
        assert!(c.ci_low <= c.auc_difference && c.auc_difference <= c.ci_high);
        assert_eq!(c.recommendation, Recommendation::Switch);
        assert!(c.reason.starts_with("Switch"));
        // The same rows the other way round: keep, and the interval is below 0.
        let back = compare((&good, 0.5), (&poor, 0.5), &y, &CompareOptions::default()).unwrap();
        assert_eq!(back.recommendation, Recommendation::Keep);
        assert!(back.ci_high < 0.0);
    }

    #[test]
    fn equal_models_keep_and_the_interval_holds_zero() {
        let (y, good, _) = fixture(200);
        let c = compare((&good, 0.5), (&good, 0.5), &y, &CompareOptions::default()).unwrap();
        assert_eq!((c.ci_low, c.ci_high, c.auc_difference), (0.0, 0.0, 0.0));
        assert_eq!(c.recommendation, Recommendation::Keep);
        assert!(c.reason.contains("includes 0"));
    }

    #[test]
    fn bootstrap_is_deterministic_per_seed() {
        let (y, good, poor) = fixture(120);
        let o = CompareOptions::default();
        let a = compare((&poor, 0.5), (&good, 0.5), &y, &o).unwrap();
        let b = compare((&poor, 0.5), (&good, 0.5), &y, &o).unwrap();
        assert_eq!(a, b);
        let other = compare(
            (&poor, 0.5),
            (&good, 0.5),
            &y,
            &CompareOptions { seed: 7, ..o },
        )
        .unwrap();
        assert_ne!((a.ci_low, a.ci_high), (other.ci_low, other.ci_high));
    }

    #[test]
    fn threshold_figures() {
        let y = [true, false, true, false];
        let p = [0.9, 0.8, 0.3, 0.1];
        let r = model_result(&p, &y, 0.5).unwrap();
        assert_eq!(r.flagged, 2);
        assert_eq!(r.precision, 0.5);
        assert_eq!(r.recall, 0.5);
        assert_eq!(r.lift, 1.0);
        assert!((r.auc - 0.75).abs() < 1e-12);
    }

    #[test]
    fn better_probabilities_with_the_same_ranking_get_a_switch() {
        // Same ranking (the champion's probabilities are a monotone squeeze of the challenger's),
        // but the champion's are far too low: the outcome rate has moved.
        let (y, good, _) = fixture(300);
        let low: Vec<f64> = good.iter().map(|p| p * 0.1).collect();
        let c = compare((&low, 0.5), (&good, 0.5), &y, &CompareOptions::default()).unwrap();
        assert_eq!((c.ci_low, c.ci_high), (0.0, 0.0));
        assert!(c.brier_ci_high < 0.0 && c.brier_difference < 0.0, "{c:?}");
        assert_eq!(c.recommendation, Recommendation::Switch);
        assert!(c.reason.contains("closer to the outcomes"));
        // Hand check of the Brier difference: the mean of the per-row differences.
        let sq = |p: f64, t: bool| (p - t as u8 as f64).powi(2);
        let want: f64 = (0..300)
            .map(|r| sq(good[r], y[r]) - sq(low[r], y[r]))
            .sum::<f64>()
            / 300.0;
        assert!((c.brier_difference - want).abs() < 1e-12);
    }

    #[test]
    fn one_class_is_an_error() {
        let y = [true; 20];
        let p = [0.5; 20];
        assert!(compare((&p, 0.5), (&p, 0.5), &y, &CompareOptions::default()).is_err());
    }
}

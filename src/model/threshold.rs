//! Choosing the probability above which a lead is called "good" (sent to sales).
//!
//! - [`ThresholdRule::Fixed`]: a given cut-off; the default is 0.5.
//! - [`ThresholdRule::PrecisionFirst`]: the lowest threshold whose precision reaches a target
//!   (e.g. 0.75 — "three in four leads we send to sales convert"), i.e. the most recall that
//!   precision allows. If no threshold reaches it, the threshold with the highest precision is
//!   used and [`ThresholdChoice::reached`] is `false`.
//! - [`ThresholdRule::MaxF1`]: the threshold with the best F1 (ties → the higher threshold).
//!
//! Candidates are the distinct predicted probabilities; a row is called positive when its
//! probability is ≥ the threshold.

use crate::metrics::ThresholdMetrics;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The threshold used when nothing else is asked.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// How to choose the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ThresholdRule {
    /// A fixed probability, in [0, 1].
    Fixed(f64),
    /// The lowest threshold reaching this precision, in (0, 1].
    PrecisionFirst(f64),
    /// The threshold with the highest F1.
    MaxF1,
}

impl Default for ThresholdRule {
    fn default() -> Self {
        ThresholdRule::Fixed(DEFAULT_THRESHOLD)
    }
}

/// A chosen threshold and what it gives on the rows it was chosen on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdChoice {
    /// The rule that chose it.
    pub rule: ThresholdRule,
    /// The threshold, in [0, 1].
    pub threshold: f64,
    /// Whether the rule's target was met (always true for `Fixed` and `MaxF1`).
    pub reached: bool,
    /// Precision, recall, F1 and lift at the threshold.
    pub metrics: ThresholdMetrics,
}

/// Chooses a threshold by `rule` on predicted probabilities and outcomes.
///
/// # Errors
/// `Error::Config` when a rule's number is outside its range; `Error::Data` when lengths differ
/// or there are no rows.
pub fn choose(probs: &[f64], labels: &[bool], rule: ThresholdRule) -> Result<ThresholdChoice> {
    if probs.len() != labels.len() || probs.is_empty() {
        return Err(Error::Data(format!(
            "threshold: need one outcome per prediction and at least one row; got {} \
             predictions and {} outcomes",
            probs.len(),
            labels.len()
        )));
    }
    let done = |threshold: f64, reached: bool| ThresholdChoice {
        rule,
        threshold,
        reached,
        metrics: ThresholdMetrics::at(probs, labels, threshold),
    };
    match rule {
        ThresholdRule::Fixed(t) => {
            if !(0.0..=1.0).contains(&t) {
                return Err(Error::Config {
                    field: "threshold",
                    expected: "a probability in [0, 1]".into(),
                    given: t.to_string(),
                });
            }
            Ok(done(t, true))
        }
        ThresholdRule::PrecisionFirst(target) => {
            if !(target > 0.0 && target <= 1.0) {
                return Err(Error::Config {
                    field: "target_precision",
                    expected: "a fraction in (0, 1]".into(),
                    given: target.to_string(),
                });
            }
            let sweep = sweep(probs, labels);
            // Scanning from high to low threshold, remember the last (lowest) one that reaches
            // the target.
            let mut best: Option<f64> = None;
            let mut most_precise = (f64::NEG_INFINITY, 1.0);
            for &(t, tp, fp) in &sweep {
                let precision = tp / (tp + fp);
                if precision >= target {
                    best = Some(t);
                }
                if precision >= most_precise.0 {
                    most_precise = (precision, t);
                }
            }
            Ok(match best {
                Some(t) => done(t, true),
                None => done(most_precise.1, false),
            })
        }
        ThresholdRule::MaxF1 => {
            let sweep = sweep(probs, labels);
            let positives = labels.iter().filter(|&&y| y).count() as f64;
            let mut best = (f64::NEG_INFINITY, 1.0);
            for &(t, tp, fp) in &sweep {
                let f1 = 2.0 * tp / (tp + fp + positives);
                if f1 > best.0 {
                    best = (f1, t);
                }
            }
            Ok(done(best.1, true))
        }
    }
}

/// For each distinct probability from the highest down: (threshold, true positives, false
/// positives) when rows ≥ threshold are called.
fn sweep(probs: &[f64], labels: &[bool]) -> Vec<(f64, f64, f64)> {
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
    let mut out: Vec<(f64, f64, f64)> = Vec::new();
    let (mut tp, mut fp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if labels[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| probs[j] != probs[i]);
        if last_of_tie {
            out.push((probs[i], tp, fp));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Ranked: .9+ .8+ .7- .6+ .5- .4+ .3- .2- (4 positives of 8).
    // Calling down to t:  .9 → P 1,   R ¼
    //                     .8 → P 1,   R ½
    //                     .7 → P ⅔,   R ½
    //                     .6 → P ¾,   R ¾   F1 ¾
    //                     .5 → P ⅗,   R ¾
    //                     .4 → P ⅔,   R 1   F1 .8
    //                     .3 → P 4/7, R 1
    //                     .2 → P ½,   R 1
    const P: [f64; 8] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
    const Y: [bool; 8] = [true, true, false, true, false, true, false, false];

    #[test]
    fn precision_first_takes_the_lowest_threshold_reaching_the_target() {
        let c = choose(&P, &Y, ThresholdRule::PrecisionFirst(0.75)).unwrap();
        assert_eq!(c.threshold, 0.6);
        assert!(c.reached);
        assert_eq!(c.metrics.precision, 0.75);
        assert_eq!(c.metrics.recall, 0.75);
        // ⅔ is reached again at .4 (lower than .7): recall 1.
        let c = choose(&P, &Y, ThresholdRule::PrecisionFirst(2.0 / 3.0)).unwrap();
        assert_eq!(c.threshold, 0.4);
        assert_eq!(c.metrics.recall, 1.0);
        // Target 1 → .8 (the lowest with precision 1).
        let c = choose(&P, &Y, ThresholdRule::PrecisionFirst(1.0)).unwrap();
        assert_eq!(c.threshold, 0.8);
    }

    #[test]
    fn unreachable_precision_falls_back_and_says_so() {
        // Best precision is ½ at .9; target .9 is never reached.
        let p = [0.9, 0.8, 0.1];
        let y = [true, false, false];
        let c = choose(&p, &y, ThresholdRule::PrecisionFirst(1.0)).unwrap();
        assert!(c.reached);
        let y2 = [false, true, true];
        let c = choose(&p, &y2, ThresholdRule::PrecisionFirst(0.9)).unwrap();
        assert!(!c.reached);
        // Precisions: .9 → 0, .8 → ½, .1 → ⅔: the most precise is the lowest, .1.
        assert_eq!(c.threshold, 0.1);
    }

    #[test]
    fn max_f1_and_fixed() {
        let c = choose(&P, &Y, ThresholdRule::MaxF1).unwrap();
        assert_eq!(c.threshold, 0.4);
        assert!((c.metrics.f1 - 0.8).abs() < 1e-12);
        let c = choose(&P, &Y, ThresholdRule::default()).unwrap();
        assert_eq!(c.threshold, 0.5);
        assert_eq!(c.metrics.confusion.tp, 3);
        assert_eq!(c.metrics.confusion.fp, 2);
        assert!(choose(&P, &Y, ThresholdRule::Fixed(1.5)).is_err());
        assert!(choose(&P, &Y, ThresholdRule::PrecisionFirst(0.0)).is_err());
        assert!(choose(&[], &[], ThresholdRule::MaxF1).is_err());
    }

    #[test]
    fn ties_are_one_candidate() {
        // .5 appears for a positive and a negative: calling at .5 takes both.
        let c = choose(
            &[0.9, 0.5, 0.5],
            &[true, true, false],
            ThresholdRule::PrecisionFirst(0.6),
        )
        .unwrap();
        assert_eq!(c.threshold, 0.5);
        assert!((c.metrics.precision - 2.0 / 3.0).abs() < 1e-12);
    }
}

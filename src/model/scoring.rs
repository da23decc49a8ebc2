//! The scoring add-ons stored with a binary model: calibration, tiers and the decision
//! threshold, fitted together on held-out predictions (internal validation rows or out-of-bag).
//!
//! How they are fitted ([`Scoring::fit`]):
//! 1. Calibration is fitted on the held-out rows. To report what it does on rows it did not
//!    learn from, it is first fitted on the even-numbered held-out rows and measured on the
//!    odd-numbered ones ([`Scoring::calibration_report`]); the stored calibrator is then refitted
//!    on all of them. With [`CalibrationMethod::Auto`], no calibration, Platt and (with enough
//!    rows) isotonic are compared this way and the lowest log loss on the odd rows wins.
//! 2. Tiers by quantile or capacity use the calibrated held-out probabilities as the reference.
//! 3. The threshold rule is applied to the calibrated held-out probabilities.
//!
//! Without usable held-out rows (too few, or one class) the model keeps [`Scoring::default`]:
//! no calibration, tiers from probabilities 0.6/0.3/0.1, threshold 0.5.

use super::calibration::{self, CalibrationMethod, CalibrationReport, Calibrator};
use super::threshold::{self, ThresholdRule, DEFAULT_THRESHOLD};
use super::tiers::{TierNames, TierRule, Tiers};
use crate::Result;
use serde::{Deserialize, Serialize};

/// Fewest held-out rows (with both classes) from which calibration is fitted.
pub const MIN_HOLDOUT_ROWS: usize = 40;

/// How to fit the scoring add-ons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringOptions {
    /// Calibration method (default: isotonic with enough rows, else Platt).
    pub calibration: CalibrationMethod,
    /// Tier names and actions, best first (default A/B/C/D).
    pub tier_names: TierNames,
    /// How tier cut-offs are set (default: tier A = the leads at or above the threshold, the
    /// other tiers share the rest of the held-out leads equally).
    pub tier_rule: TierRule,
    /// How the "send to sales" threshold is chosen (default: the best F1 on the held-out rows,
    /// which respects the base rate: 0.5 would send no lead to sales at a 10 % base rate).
    pub threshold: ThresholdRule,
}

impl Default for ScoringOptions {
    fn default() -> Self {
        ScoringOptions {
            calibration: CalibrationMethod::Auto,
            tier_names: TierNames::default(),
            tier_rule: TierRule::default(),
            threshold: ThresholdRule::MaxF1,
        }
    }
}

/// Calibration, tiers and threshold of a binary model (stored in the model file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// Maps the forest's probability to a calibrated one.
    pub calibrator: Calibrator,
    /// Tiers by calibrated probability.
    pub tiers: Tiers,
    /// Calibrated probability from which a lead is called good, in [0, 1].
    pub threshold: f64,
    /// What calibration did on held-out rows it was not fitted on.
    pub calibration_report: Option<CalibrationReport>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            calibrator: Calibrator::Identity,
            tiers: Tiers::default(),
            threshold: DEFAULT_THRESHOLD,
            calibration_report: None,
        }
    }
}

/// One lead's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadScore {
    /// Calibrated probability of converting, in [0, 1].
    pub probability: f64,
    /// `round(100 × probability)`, 0–100.
    pub score: u8,
    /// Tier index, 0 = best.
    pub tier: usize,
}

impl Scoring {
    /// Fits calibration, tiers and threshold on held-out probabilities (the model's, before
    /// calibration) and outcomes; see the module docs.
    ///
    /// # Errors
    /// `Error::Config` when the options are out of range (bad tier rule or threshold).
    pub fn fit(probs: &[f64], labels: &[bool], options: &ScoringOptions) -> Result<Scoring> {
        let n = probs.len().min(labels.len());
        let (probs, labels) = (&probs[..n], &labels[..n]);
        let pos = labels.iter().filter(|&&y| y).count();
        let usable = n >= MIN_HOLDOUT_ROWS && pos > 0 && pos < n;
        let (calibrator, calibration_report) = if usable {
            let split = |odd: bool| -> (Vec<f64>, Vec<bool>) {
                (0..n)
                    .filter(|i| (i % 2 == 1) == odd)
                    .map(|i| (probs[i], labels[i]))
                    .unzip()
            };
            let (fit_p, fit_y) = split(false);
            let (test_p, test_y) = split(true);
            // Auto tries no calibration, Platt and (with enough rows) isotonic, and keeps the one
            // with the lowest log loss on the odd rows: calibrating a model that is already
            // calibrated (boosting on log loss often is) would only add noise.
            let candidates: Vec<CalibrationMethod> = match options.calibration {
                CalibrationMethod::Auto => {
                    let mut c = vec![CalibrationMethod::None, CalibrationMethod::Platt];
                    let isotonic = Calibrator::fit(&fit_p, &fit_y, CalibrationMethod::Auto)
                        .is_ok_and(|c| c.name() == "isotonic");
                    if isotonic {
                        c.push(CalibrationMethod::Isotonic);
                    }
                    c
                }
                m => vec![m],
            };
            let mut best: Option<(CalibrationMethod, CalibrationReport)> = None;
            for method in candidates {
                let Ok(report) = Calibrator::fit(&fit_p, &fit_y, method)
                    .and_then(|c| CalibrationReport::measure(&c, &test_p, &test_y))
                else {
                    continue;
                };
                if best
                    .as_ref()
                    .is_none_or(|(_, b)| report.after.log_loss < b.after.log_loss)
                {
                    best = Some((method, report));
                }
            }
            match best {
                Some((method, report)) => (
                    Calibrator::fit(probs, labels, method).unwrap_or(Calibrator::Identity),
                    Some(report),
                ),
                None => (Calibrator::Identity, None),
            }
        } else {
            (Calibrator::Identity, None)
        };
        let calibrated = calibrator.apply_all(probs);
        let threshold = match options.threshold {
            ThresholdRule::Fixed(t) => {
                threshold::choose(&[t], &[true], ThresholdRule::Fixed(t))?.threshold
            }
            rule if usable => threshold::choose(&calibrated, labels, rule)?.threshold,
            _ => DEFAULT_THRESHOLD,
        };
        let tiers = match (&options.tier_rule, calibrated.is_empty()) {
            (TierRule::FollowThreshold, false) => {
                Tiers::around(&options.tier_names, threshold, &calibrated)?
            }
            (TierRule::Thresholds(_), _) | (_, false) => {
                Tiers::fit(&options.tier_names, &options.tier_rule, &calibrated)?
            }
            // No reference leads: keep the names, with the default probability cut-offs.
            (_, true) => {
                let defaults = Tiers::default();
                let k = options.tier_names.0.len();
                let cut: Vec<f64> = (1..k)
                    .map(|i| defaults.tiers.get(i - 1).map_or(0.0, |t| t.min_probability))
                    .collect();
                Tiers::fit(&options.tier_names, &TierRule::Thresholds(cut), &[])?
            }
        };
        Ok(Scoring {
            calibrator,
            tiers,
            threshold,
            calibration_report,
        })
    }

    /// Fits the add-ons of a binary model from the held-out predictions its training made
    /// (`crate::train::Fitted::holdout`) and stores them in the model. Multi-class models and
    /// models without held-out rows get the defaults.
    ///
    /// # Errors
    /// `Error::Config` when the options are out of range.
    pub fn attach(
        model: &mut super::Model,
        holdout: Option<&crate::train::Holdout>,
        options: &ScoringOptions,
    ) -> Result<()> {
        if model.n_outputs() != 1 {
            model.scoring = None;
            return Ok(());
        }
        let (p, y): (Vec<f64>, Vec<bool>) = match holdout {
            Some(h) => (
                h.probabilities.clone(),
                h.labels.iter().map(|&l| l == 1).collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        model.scoring = Some(Scoring::fit(&p, &y, options)?);
        Ok(())
    }

    /// Scores one lead from the model's (uncalibrated) probability.
    pub fn score(&self, probability: f64) -> LeadScore {
        let p = self.calibrator.apply(probability);
        LeadScore {
            probability: p,
            score: calibration::score(p),
            tier: self.tiers.index_of(p),
        }
    }

    /// The tier name of tier index `tier` (empty when out of range).
    pub fn tier_name(&self, tier: usize) -> &str {
        self.tiers.tiers.get(tier).map_or("", |t| t.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn overconfident(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>) {
        let mut rng = Rng::new(seed);
        (0..n)
            .map(|_| {
                let p: f64 = rng.next_f64();
                // True rate is pulled towards ½: the raw probabilities are over-confident.
                let truth = 0.25 + 0.5 * p;
                (p, rng.next_f64() < truth)
            })
            .unzip()
    }

    #[test]
    fn fit_calibrates_tiers_and_reports_honestly() {
        let (p, y) = overconfident(3000, 3);
        let s = Scoring::fit(&p, &y, &ScoringOptions::default()).unwrap();
        assert_ne!(s.calibrator.name(), "none");
        let r = s.calibration_report.as_ref().unwrap();
        assert_eq!(r.method, s.calibrator.name());
        assert_eq!(r.rows, 1500);
        assert!(r.after.ece < r.before.ece, "{r:?}");
        // Tier A = the leads at or above the threshold (best F1 on these rows); B, C and D share
        // the rest (isotonic steps create ties, which go to the lower tier).
        let calibrated = s.calibrator.apply_all(&p);
        let counts = s.tiers.counts(&calibrated);
        let above = calibrated.iter().filter(|&&c| c >= s.threshold).count() as u64;
        assert_eq!(counts[0], above);
        assert_eq!(s.tiers.tiers[0].min_probability, s.threshold);
        let best = threshold::choose(&calibrated, &y, ThresholdRule::MaxF1).unwrap();
        assert_eq!(s.threshold, best.threshold);
        let rest = 3000 - above;
        for &c in &counts[1..] {
            assert!(c <= rest / 3 + 1 && c + 200 > rest / 3, "{counts:?}");
        }
        assert_eq!(counts.iter().sum::<u64>(), 3000);
        let lead = s.score(0.99);
        assert_eq!(lead.tier, 0);
        assert_eq!(s.tier_name(lead.tier), "A");
        assert!(
            lead.probability < 0.9,
            "calibration pulls 0.99 down: {}",
            lead.probability
        );
        assert_eq!(lead.score, calibration::score(lead.probability));
    }

    #[test]
    fn a_low_base_rate_still_sends_leads_to_sales() {
        // 10 % base rate, probabilities well below 0.5: a 0.5 threshold would call no lead.
        let mut rng = Rng::new(9);
        let (p, y): (Vec<f64>, Vec<bool>) = (0..4000)
            .map(|_| {
                let p = 0.3 * rng.next_f64();
                (p, rng.next_f64() < p * 0.66)
            })
            .unzip();
        let s = Scoring::fit(&p, &y, &ScoringOptions::default()).unwrap();
        let calibrated = s.calibrator.apply_all(&p);
        let called = calibrated.iter().filter(|&&c| c >= s.threshold).count();
        assert!(called > 100, "{called} leads called at {}", s.threshold);
        assert!(s.threshold < 0.5);
    }

    #[test]
    fn auto_leaves_a_calibrated_model_alone_more_often_than_not() {
        // Outcomes drawn with exactly the predicted probability: calibration can only add noise,
        // and Auto should usually keep none (it must never make the odd-row log loss worse).
        let mut kept = 0;
        for seed in 0..10 {
            let mut rng = Rng::new(100 + seed);
            let (p, y): (Vec<f64>, Vec<bool>) = (0..1500)
                .map(|_| {
                    let p = rng.next_f64();
                    (p, rng.next_f64() < p)
                })
                .unzip();
            let s = Scoring::fit(&p, &y, &ScoringOptions::default()).unwrap();
            let r = s.calibration_report.unwrap();
            assert!(r.after.log_loss <= r.before.log_loss + 1e-12);
            kept += (s.calibrator == Calibrator::Identity) as u32;
        }
        assert!(kept >= 5, "identity kept {kept} of 10 times");
    }

    #[test]
    fn precision_first_threshold_is_chosen_on_calibrated_rows() {
        let (p, y) = overconfident(2000, 4);
        let options = ScoringOptions {
            threshold: ThresholdRule::PrecisionFirst(0.7),
            ..ScoringOptions::default()
        };
        let s = Scoring::fit(&p, &y, &options).unwrap();
        let calibrated = s.calibrator.apply_all(&p);
        let m = crate::metrics::ThresholdMetrics::at(&calibrated, &y, s.threshold);
        assert!(m.precision >= 0.7, "{m:?}");
    }

    #[test]
    fn too_few_rows_keep_the_defaults() {
        let s = Scoring::fit(&[0.2, 0.8], &[false, true], &ScoringOptions::default()).unwrap();
        assert_eq!(s.calibrator, Calibrator::Identity);
        assert!(s.calibration_report.is_none());
        assert_eq!(s.tiers.tiers.len(), 4);
        let empty = Scoring::fit(&[], &[], &ScoringOptions::default()).unwrap();
        assert_eq!(empty.tiers, Tiers::default());
        let bad = ScoringOptions {
            threshold: ThresholdRule::Fixed(2.0),
            ..ScoringOptions::default()
        };
        assert!(Scoring::fit(&[0.2], &[true], &bad).is_err());
    }
}

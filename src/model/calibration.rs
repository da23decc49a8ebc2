//! Calibration: turning the forest's probabilities into probabilities that match observed
//! conversion rates, fitted on held-out predictions (rows the trees did not learn from), and the
//! 0–100 score.
//!
//! Two methods: Platt scaling (a logistic curve on the log-odds, two parameters, robust on small
//! samples) and isotonic regression (pool-adjacent-violators: the best non-decreasing step
//! function, flexible but needs more rows). [`CalibrationMethod::Auto`] picks isotonic from
//! [`ISOTONIC_MIN_ROWS`] held-out rows with at least [`ISOTONIC_MIN_PER_CLASS`] of each class, and
//! Platt otherwise. Both maps are non-decreasing, so calibration never reorders leads (AUC is
//! unchanged, up to ties created by isotonic steps).
//!
//! Isotonic steps never claim certainty: a step whose held-out rows all converted (or none did)
//! would say p = 1 (or 0), which a finite sample cannot show, and one such lead then costs an
//! infinite log loss. The steps are kept inside [1/(2n), 1 − 1/(2n)] for `n` fitted rows: half a
//! conversion (or half a non-conversion) among everything the calibration saw, below the
//! resolution of the sample. Clamping is monotone, so the map stays non-decreasing and the
//! interior steps are unchanged.

use crate::metrics;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Held-out rows from which [`CalibrationMethod::Auto`] chooses isotonic regression.
pub const ISOTONIC_MIN_ROWS: usize = 1000;
/// Rows of each class from which [`CalibrationMethod::Auto`] chooses isotonic regression.
pub const ISOTONIC_MIN_PER_CLASS: usize = 50;

/// Probabilities are clipped to [1e-6, 1 − 1e-6] before taking log-odds.
const LOGIT_EPS: f64 = 1e-6;

/// Which calibration to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CalibrationMethod {
    /// Isotonic when there are enough held-out rows (see the module docs), else Platt.
    #[default]
    Auto,
    /// Logistic curve on the log-odds.
    Platt,
    /// Pool-adjacent-violators step function, linearly interpolated between steps.
    Isotonic,
    /// No calibration.
    None,
}

/// A fitted, non-decreasing map from the forest's probability to a calibrated probability.
/// Stored in the model file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Calibrator {
    /// Probabilities pass through unchanged.
    #[default]
    Identity,
    /// `p' = σ(a·logit(p) + b)`, with `a ≥ 0`.
    Platt {
        /// Slope on the log-odds (≥ 0).
        a: f64,
        /// Intercept, in log-odds.
        b: f64,
    },
    /// Piecewise-linear through the points `(x[i], y[i])` (both non-decreasing; `y` strictly
    /// inside (0, 1) when fitted, see the module docs); constant beyond the first and last point.
    Isotonic {
        /// Input probabilities (each step's mean input), increasing.
        x: Vec<f64>,
        /// Calibrated probabilities (each step's observed rate), non-decreasing.
        y: Vec<f64>,
    },
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(LOGIT_EPS, 1.0 - LOGIT_EPS);
    super::math::ln(p / (1.0 - p))
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + super::math::exp(-z))
}

impl Calibrator {
    /// Fits `method` on held-out probabilities and their outcomes.
    ///
    /// # Errors
    /// `Error::Data` when lengths differ, a probability is not finite, or the outcomes do not
    /// hold both classes.
    pub fn fit(probs: &[f64], labels: &[bool], method: CalibrationMethod) -> Result<Calibrator> {
        if probs.len() != labels.len() {
            return Err(Error::Data(format!(
                "calibration: {} predictions but {} outcomes",
                probs.len(),
                labels.len()
            )));
        }
        if probs.iter().any(|p| !p.is_finite()) {
            return Err(Error::Data(
                "calibration: a held-out prediction is not a finite number".into(),
            ));
        }
        let pos = labels.iter().filter(|&&y| y).count();
        let neg = labels.len() - pos;
        if method == CalibrationMethod::None {
            return Ok(Calibrator::Identity);
        }
        if pos == 0 || neg == 0 {
            return Err(Error::Data(format!(
                "calibration needs held-out rows of both classes; got {pos} positive and {neg} \
                 negative rows (use more data or turn calibration off)"
            )));
        }
        let method = match method {
            CalibrationMethod::Auto
                if labels.len() >= ISOTONIC_MIN_ROWS && pos.min(neg) >= ISOTONIC_MIN_PER_CLASS =>
            {
                CalibrationMethod::Isotonic
            }
            CalibrationMethod::Auto => CalibrationMethod::Platt,
            m => m,
        };
        Ok(match method {
            CalibrationMethod::Isotonic => fit_isotonic(probs, labels),
            _ => fit_platt(probs, labels, pos, neg),
        })
    }

    /// The calibrated probability of `p` (in [0, 1]; NaN stays NaN).
    pub fn apply(&self, p: f64) -> f64 {
        match self {
            Calibrator::Identity => p,
            Calibrator::Platt { a, b } => sigmoid(a * logit(p) + b),
            Calibrator::Isotonic { x, y } => interpolate(x, y, p),
        }
    }

    /// Calibrates every probability of a slice.
    pub fn apply_all(&self, probs: &[f64]) -> Vec<f64> {
        probs.iter().map(|&p| self.apply(p)).collect()
    }

    /// A short name: `none`, `platt` or `isotonic`.
    pub fn name(&self) -> &'static str {
        match self {
            Calibrator::Identity => "none",
            Calibrator::Platt { .. } => "platt",
            Calibrator::Isotonic { .. } => "isotonic",
        }
    }
}

fn interpolate(x: &[f64], y: &[f64], p: f64) -> f64 {
    if p.is_nan() || x.is_empty() {
        return p;
    }
    let last = x.len() - 1;
    if p <= x[0] {
        return y[0];
    }
    if p >= x[last] {
        return y[last];
    }
    // First point strictly above p (x is increasing).
    let hi = x.partition_point(|&v| v <= p);
    let lo = hi - 1;
    let t = (p - x[lo]) / (x[hi] - x[lo]);
    y[lo] + t * (y[hi] - y[lo])
}

/// Platt scaling by Newton's method on the log loss, with Platt's smoothed targets
/// ((N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2)) so a perfectly separated sample does not diverge.
fn fit_platt(probs: &[f64], labels: &[bool], pos: usize, neg: usize) -> Calibrator {
    let hi = (pos as f64 + 1.0) / (pos as f64 + 2.0);
    let lo = 1.0 / (neg as f64 + 2.0);
    let z: Vec<f64> = probs.iter().map(|&p| logit(p)).collect();
    let t: Vec<f64> = labels.iter().map(|&y| if y { hi } else { lo }).collect();
    let (mut a, mut b) = (1.0, 0.0);
    let loss = |a: f64, b: f64| -> f64 {
        z.iter()
            .zip(&t)
            .map(|(&z, &t)| {
                // Stable log(1 + e^f) − t·f.
                let f = a * z + b;
                f.max(0.0) + super::math::ln(1.0 + super::math::exp(-f.abs())) - t * f
            })
            .sum()
    };
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut g_a, mut g_b, mut h_aa, mut h_ab, mut h_bb) = (0.0, 0.0, 1e-12, 0.0, 1e-12);
        for (&z, &t) in z.iter().zip(&t) {
            let p = sigmoid(a * z + b);
            let d = p - t;
            let w = p * (1.0 - p);
            g_a += d * z;
            g_b += d;
            h_aa += w * z * z;
            h_ab += w * z;
            h_bb += w;
        }
        let det = h_aa * h_bb - h_ab * h_ab;
        if det.abs() < 1e-300 {
            break;
        }
        let da = (h_bb * g_a - h_ab * g_b) / det;
        let db = (h_aa * g_b - h_ab * g_a) / det;
        // Backtracking line search keeps each step a descent step.
        let mut step = 1.0;
        let mut improved = false;
        while step > 1e-10 {
            let (na, nb) = (a - step * da, b - step * db);
            let l = loss(na, nb);
            if l <= current {
                improved = current - l > 1e-12 * current.abs().max(1.0);
                a = na;
                b = nb;
                current = l;
                break;
            }
            step /= 2.0;
        }
        if !improved {
            break;
        }
    }
    // A negative slope would reverse the ranking; the forest is not worse than random on
    // held-out data in any case worth calibrating, so fall back to a flat-free identity slope.
    if !(a.is_finite() && b.is_finite()) || a < 0.0 {
        return Calibrator::Identity;
    }
    Calibrator::Platt { a, b }
}

/// Isotonic regression by pool-adjacent-violators over the rows sorted by probability (ties
/// pooled first so equal inputs get equal outputs), each step's rate kept inside
/// [1/(2n), 1 − 1/(2n)] (see the module docs).
fn fit_isotonic(probs: &[f64], labels: &[bool]) -> Calibrator {
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[a].total_cmp(&probs[b]));
    // Blocks: (sum of x, sum of y, count).
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    let mut last_x = f64::NAN;
    for i in order {
        let (x, y) = (probs[i], labels[i] as u8 as f64);
        match blocks.last_mut() {
            Some(b) if x == last_x => {
                b.0 += x;
                b.1 += y;
                b.2 += 1.0;
            }
            _ => blocks.push((x, y, 1.0)),
        }
        last_x = x;
        // Pool while the last block's mean is below its predecessor's.
        while blocks.len() >= 2 {
            let n = blocks.len();
            let (prev, cur) = (blocks[n - 2], blocks[n - 1]);
            if prev.1 / prev.2 <= cur.1 / cur.2 {
                break;
            }
            blocks[n - 2] = (prev.0 + cur.0, prev.1 + cur.1, prev.2 + cur.2);
            blocks.pop();
        }
    }
    let floor = isotonic_floor(probs.len());
    let x = blocks.iter().map(|b| b.0 / b.2).collect();
    let y = blocks
        .iter()
        .map(|b| (b.1 / b.2).clamp(floor, 1.0 - floor))
        .collect();
    Calibrator::Isotonic { x, y }
}

/// The lowest rate an isotonic step fitted on `n` rows may claim: half a conversion among all of
/// them, 1/(2n) (≤ 1/2, so the range [floor, 1 − floor] is never empty).
fn isotonic_floor(n: usize) -> f64 {
    0.5 / n.max(1) as f64
}

/// Reliability of a set of probabilities against outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// Expected calibration error over 10 equal-width bins, in [0, 1].
    pub ece: f64,
    /// Brier score, in [0, 1].
    pub brier: f64,
    /// Log loss, ≥ 0.
    pub log_loss: f64,
}

impl Reliability {
    /// Measures `probs` against `labels`.
    ///
    /// # Errors
    /// `Error::Data` when lengths differ, a probability is not finite, or there are no rows.
    pub fn measure(probs: &[f64], labels: &[bool]) -> Result<Reliability> {
        Ok(Reliability {
            ece: metrics::ece(probs, labels),
            brier: metrics::brier(probs, labels, None)?,
            log_loss: metrics::log_loss(probs, labels, None)?,
        })
    }
}

/// What calibration did on a set of rows it was not fitted on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The fitted method (`none`, `platt`, `isotonic`).
    pub method: String,
    /// Rows measured.
    pub rows: u64,
    /// Before calibration.
    pub before: Reliability,
    /// After calibration.
    pub after: Reliability,
}

impl CalibrationReport {
    /// Measures `calibrator` on `probs`/`labels` (which should be rows it was not fitted on).
    ///
    /// # Errors
    /// As [`Reliability::measure`].
    pub fn measure(
        calibrator: &Calibrator,
        probs: &[f64],
        labels: &[bool],
    ) -> Result<CalibrationReport> {
        Ok(CalibrationReport {
            method: calibrator.name().into(),
            rows: probs.len() as u64,
            before: Reliability::measure(probs, labels)?,
            after: Reliability::measure(&calibrator.apply_all(probs), labels)?,
        })
    }
}

/// The 0–100 score of a (calibrated) probability: `round(100·p)`, clamped to 0..=100 (NaN → 0).
/// Non-decreasing in `p`, so a higher probability never gets a lower score, and a score of 70
/// means "about 70 of 100 such leads convert" when the probability is calibrated.
pub fn score(p: f64) -> u8 {
    if p.is_nan() {
        return 0;
    }
    (p.clamp(0.0, 1.0) * 100.0).round() as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn isotonic_pools_adjacent_violators_by_hand() {
        // Sorted by p: outcomes 0, 1, 0, 1, 1 at p = .1 .2 .3 .4 .5.
        // PAV: [0] [1] [0] → pool .2/.3 into mean .5 at x = .25 → [0] [.5] [1] [1];
        // the last two are equal (not violators) and stay separate.
        let c = Calibrator::fit(
            &[0.3, 0.1, 0.5, 0.2, 0.4],
            &[false, false, true, true, true],
            CalibrationMethod::Isotonic,
        )
        .unwrap();
        let Calibrator::Isotonic { x, y } = &c else {
            panic!("expected isotonic, got {c:?}")
        };
        // Rates 0, .5, 1, 1; the all-negative and all-positive steps are kept inside
        // [1/(2·5), 1 − 1/(2·5)] = [.1, .9], the interior step is unchanged.
        assert_eq!(y, &vec![0.1, 0.5, 0.9, 0.9]);
        assert!((x[1] - 0.25).abs() < 1e-12);
        // Interpolation between (.25, .5) and (.4, .9): at .3 → .5 + (.05/.15)·.4.
        assert!((c.apply(0.3) - (0.5 + 0.4 / 3.0)).abs() < 1e-12);
        // Constant outside the fitted range.
        assert_eq!(c.apply(0.0), 0.1);
        assert_eq!(c.apply(0.99), 0.9);
    }

    #[test]
    fn isotonic_never_claims_certainty() {
        // Perfectly separated held-out rows: every lead below .5 stayed, every one above
        // converted. Unbounded PAV would say 0 and 1; the steps stop at 1/(2n) and 1 − 1/(2n).
        let mut rng = Rng::new(3);
        let p: Vec<f64> = (0..2000).map(|_| rng.next_f64()).collect();
        let y: Vec<bool> = p.iter().map(|&q| q > 0.5).collect();
        let c = Calibrator::fit(&p, &y, CalibrationMethod::Isotonic).unwrap();
        let floor = 1.0 / 4000.0;
        let grid: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
        let out = c.apply_all(&grid);
        assert!(out.iter().all(|&q| q > 0.0 && q < 1.0), "{out:?}");
        assert_eq!(out[0], floor);
        assert_eq!(out[1000], 1.0 - floor);
        assert!(out.windows(2).all(|w| w[0] <= w[1]));
        // So a surprising lead costs ln(4000) ≈ 8.3 of log loss, not ln(1e15) ≈ 34.5 (the
        // metric's clip of a p of exactly 0 or 1).
        let surprise = Reliability::measure(&c.apply_all(&[0.01, 0.99]), &[true, false]).unwrap();
        assert!(
            surprise.log_loss.is_finite() && (surprise.log_loss - 4000f64.ln()).abs() < 1e-9,
            "{}",
            surprise.log_loss
        );
    }

    #[test]
    fn platt_recovers_a_known_curve() {
        // Outcomes drawn with P(y) = σ(2·logit(p) − 1): the fit should find a ≈ 2, b ≈ −1.
        let mut rng = Rng::new(5);
        let mut p = Vec::new();
        let mut y = Vec::new();
        for _ in 0..20_000 {
            let q = 0.02 + 0.96 * rng.next_f64();
            p.push(q);
            y.push(rng.next_f64() < sigmoid(2.0 * logit(q) - 1.0));
        }
        let c = Calibrator::fit(&p, &y, CalibrationMethod::Platt).unwrap();
        let Calibrator::Platt { a, b } = c else {
            panic!("expected Platt, got {c:?}")
        };
        assert!((a - 2.0).abs() < 0.1, "a = {a}");
        assert!((b + 1.0).abs() < 0.1, "b = {b}");
    }

    #[test]
    fn calibration_lowers_ece_on_fresh_rows_and_keeps_order() {
        // A model that is over-confident: true rate = σ(logit(p)/2).
        let mut rng = Rng::new(11);
        let mut draw = |n: usize| {
            let mut p = Vec::new();
            let mut y = Vec::new();
            for _ in 0..n {
                let q = rng.next_f64();
                p.push(q);
                y.push(rng.next_f64() < sigmoid(logit(q) / 2.0));
            }
            (p, y)
        };
        let (fit_p, fit_y) = draw(4000);
        let (test_p, test_y) = draw(4000);
        for method in [CalibrationMethod::Platt, CalibrationMethod::Isotonic] {
            let c = Calibrator::fit(&fit_p, &fit_y, method).unwrap();
            let r = CalibrationReport::measure(&c, &test_p, &test_y).unwrap();
            assert!(
                r.after.ece < r.before.ece / 2.0,
                "{method:?}: ECE {} → {}",
                r.before.ece,
                r.after.ece
            );
            assert!(r.after.brier < r.before.brier);
            // Non-decreasing.
            let grid: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
            let out = c.apply_all(&grid);
            assert!(out.windows(2).all(|w| w[0] <= w[1] + 1e-15), "{method:?}");
        }
        // Auto: 4000 rows with both classes well represented → isotonic; 200 → Platt.
        let auto = Calibrator::fit(&fit_p, &fit_y, CalibrationMethod::Auto).unwrap();
        assert_eq!(auto.name(), "isotonic");
        let auto = Calibrator::fit(&fit_p[..200], &fit_y[..200], CalibrationMethod::Auto).unwrap();
        assert_eq!(auto.name(), "platt");
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Calibrator::fit(&[0.1, 0.2], &[true, true], CalibrationMethod::Auto).is_err());
        assert!(Calibrator::fit(&[0.1], &[true, false], CalibrationMethod::Platt).is_err());
        assert!(
            Calibrator::fit(&[f64::NAN, 0.2], &[true, false], CalibrationMethod::Platt).is_err()
        );
        assert_eq!(
            Calibrator::fit(&[0.1, 0.2], &[true, true], CalibrationMethod::None).unwrap(),
            Calibrator::Identity
        );
    }

    #[test]
    fn score_is_monotone_and_bounded() {
        assert_eq!(score(0.0), 0);
        assert_eq!(score(0.004), 0);
        assert_eq!(score(0.005), 1);
        assert_eq!(score(0.734), 73);
        assert_eq!(score(1.0), 100);
        assert_eq!(score(1.7), 100);
        assert_eq!(score(-0.2), 0);
        assert_eq!(score(f64::NAN), 0);
        let mut last = 0;
        for i in 0..=10_000 {
            let s = score(i as f64 / 10_000.0);
            assert!(s >= last);
            last = s;
        }
    }
}

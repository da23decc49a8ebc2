//! Evaluation metrics: ROC AUC, PR AUC, log loss, Brier, confusion matrix and the rates at a
//! threshold, lift and cumulative gains, reliability bins and ECE, multi-class accuracy, macro-F1
//! and one-vs-rest AUC.
//!
//! Plain functions over predicted probabilities (`&[f64]`, each in [0, 1]) and labels (`&[bool]`,
//! `true` = positive; `&[u32]` class indices for multi-class). Optional weights are per-row,
//! non-negative. Ties are handled exactly: tied scores count half (average rank) in AUC and are
//! taken together as one threshold in PR AUC, so no result depends on the input order.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Probabilities are clipped to [`LOG_LOSS_EPS`, 1 − `LOG_LOSS_EPS`] in [`log_loss`].
pub const LOG_LOSS_EPS: f64 = 1e-15;

/// Checks that probabilities, labels and weights line up and hold usable numbers.
fn check(probs: &[f64], labels_len: usize, weights: Option<&[f64]>) -> Result<()> {
    if probs.len() != labels_len {
        return Err(Error::Data(format!(
            "metrics: {} predictions but {} labels; they must have one entry per row",
            probs.len(),
            labels_len
        )));
    }
    if let Some(i) = probs.iter().position(|p| !p.is_finite()) {
        return Err(Error::Data(format!(
            "metrics: prediction for row {} is {}; expected a finite number",
            i + 1,
            probs[i]
        )));
    }
    if let Some(w) = weights {
        if w.len() != labels_len {
            return Err(Error::Data(format!(
                "metrics: {} weights but {} labels; they must have one entry per row",
                w.len(),
                labels_len
            )));
        }
        if let Some(i) = w.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return Err(Error::Data(format!(
                "metrics: weight for row {} is {}; expected a finite number ≥ 0",
                i + 1,
                w[i]
            )));
        }
    }
    Ok(())
}

#[inline]
fn weight(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w[i])
}

/// Row indices sorted by descending score; ties keep input order (stable), so results are
/// deterministic.
fn order_desc(probs: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..probs.len()).collect();
    idx.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
    idx
}

/// Sums of positive and negative weight per distinct score, from the highest score down.
fn tie_groups(probs: &[f64], labels: &[bool], weights: Option<&[f64]>) -> Vec<(f64, f64, f64)> {
    let mut groups: Vec<(f64, f64, f64)> = Vec::new();
    for i in order_desc(probs) {
        let w = weight(weights, i);
        let (pos, neg) = if labels[i] { (w, 0.0) } else { (0.0, w) };
        match groups.last_mut() {
            Some(g) if g.0 == probs[i] => {
                g.1 += pos;
                g.2 += neg;
            }
            _ => groups.push((probs[i], pos, neg)),
        }
    }
    groups
}

/// Area under the ROC curve, in [0, 1]: the probability that a random positive scores above a
/// random negative, ties counting one half. `weights` are optional per-row weights.
///
/// # Errors
/// `Error::Data` when lengths differ, a prediction or weight is not a usable number, or the labels
/// do not hold both classes (with positive weight).
pub fn roc_auc(probs: &[f64], labels: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    check(probs, labels.len(), weights)?;
    let groups = tie_groups(probs, labels, weights);
    let (total_pos, total_neg) = groups
        .iter()
        .fold((0.0, 0.0), |(p, n), g| (p + g.1, n + g.2));
    if total_pos <= 0.0 || total_neg <= 0.0 {
        return Err(Error::Data(
            "AUC needs both positive and negative rows; this data has only one class".into(),
        ));
    }
    // Walk from the lowest score up: each positive beats the negatives already passed, and ties
    // with the negatives in its own group count one half.
    let mut neg_below = 0.0;
    let mut area = 0.0;
    for &(_, pos, neg) in groups.iter().rev() {
        area += pos * (neg_below + 0.5 * neg);
        neg_below += neg;
    }
    Ok(area / (total_pos * total_neg))
}

/// Area under the precision–recall curve as average precision, in [0, 1]:
/// Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds from the highest down (no interpolation,
/// as scikit-learn's `average_precision_score`).
///
/// # Errors
/// `Error::Data` when lengths differ, numbers are unusable, or there is no positive row.
pub fn pr_auc(probs: &[f64], labels: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    check(probs, labels.len(), weights)?;
    let groups = tie_groups(probs, labels, weights);
    let total_pos: f64 = groups.iter().map(|g| g.1).sum();
    if total_pos <= 0.0 {
        return Err(Error::Data(
            "PR AUC needs at least one positive row; this data has none".into(),
        ));
    }
    let (mut tp, mut fp, mut ap) = (0.0, 0.0, 0.0);
    for &(_, pos, neg) in &groups {
        tp += pos;
        fp += neg;
        if pos > 0.0 {
            ap += (pos / total_pos) * (tp / (tp + fp));
        }
    }
    Ok(ap)
}

/// Mean negative log-likelihood (natural log) of the labels, probabilities clipped to
/// [`LOG_LOSS_EPS`, 1 − `LOG_LOSS_EPS`]; ≥ 0, lower is better.
///
/// # Errors
/// `Error::Data` when lengths differ, numbers are unusable, or the rows have zero total weight.
pub fn log_loss(probs: &[f64], labels: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    check(probs, labels.len(), weights)?;
    let (mut sum, mut total) = (0.0, 0.0);
    for (i, (&p, &y)) in probs.iter().zip(labels).enumerate() {
        let p = p.clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS);
        let w = weight(weights, i);
        sum -= w * crate::model::math::ln(if y { p } else { 1.0 - p });
        total += w;
    }
    mean(sum, total, "log loss")
}

/// Brier score: mean squared difference between probability and outcome (0 or 1), in [0, 1];
/// lower is better.
///
/// # Errors
/// `Error::Data` when lengths differ, numbers are unusable, or the rows have zero total weight.
pub fn brier(probs: &[f64], labels: &[bool], weights: Option<&[f64]>) -> Result<f64> {
    check(probs, labels.len(), weights)?;
    let (mut sum, mut total) = (0.0, 0.0);
    for (i, (&p, &y)) in probs.iter().zip(labels).enumerate() {
        let w = weight(weights, i);
        let d = p - if y { 1.0 } else { 0.0 };
        sum += w * d * d;
        total += w;
    }
    mean(sum, total, "Brier score")
}

fn mean(sum: f64, total: f64, what: &str) -> Result<f64> {
    if total > 0.0 {
        Ok(sum / total)
    } else {
        Err(Error::Data(format!(
            "{what} needs at least one row with positive weight"
        )))
    }
}

/// Counts of a binary decision against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confusion {
    /// Predicted positive, actually positive.
    pub tp: u64,
    /// Predicted positive, actually negative.
    pub fp: u64,
    /// Predicted negative, actually negative.
    pub tn: u64,
    /// Predicted negative, actually positive.
    pub fn_: u64,
}

impl Confusion {
    /// The counts when rows with probability ≥ `threshold` are called positive.
    pub fn at(probs: &[f64], labels: &[bool], threshold: f64) -> Confusion {
        let mut c = Confusion::default();
        for (&p, &y) in probs.iter().zip(labels) {
            match (p >= threshold, y) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, false) => c.tn += 1,
                (false, true) => c.fn_ += 1,
            }
        }
        c
    }

    /// All rows counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Fraction of rows decided correctly, in [0, 1] (0 for no rows).
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.total())
    }

    /// Of the rows called positive, the fraction that are, in [0, 1] (0 when none is called).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Of the positive rows, the fraction called positive, in [0, 1] (0 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall, in [0, 1] (0 when both are 0).
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// Precision divided by the base rate of positives, ≥ 0 (1 = no better than random; 0 when
    /// undefined).
    pub fn lift(&self) -> f64 {
        let base = ratio(self.tp + self.fn_, self.total());
        if base > 0.0 {
            self.precision() / base
        } else {
            0.0
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The decision quality at one threshold: what every report shows for the chosen cut-off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdMetrics {
    /// Rows with probability ≥ this are called positive; in [0, 1].
    pub threshold: f64,
    /// The counts.
    pub confusion: Confusion,
    /// Fraction of rows decided correctly, in [0, 1].
    pub accuracy: f64,
    /// Fraction of called rows that are positive, in [0, 1].
    pub precision: f64,
    /// Fraction of positive rows called, in [0, 1].
    pub recall: f64,
    /// Harmonic mean of precision and recall, in [0, 1].
    pub f1: f64,
    /// Precision over the base rate (1 = random).
    pub lift: f64,
    /// Fraction of rows called positive, in [0, 1].
    pub called: f64,
}

impl ThresholdMetrics {
    /// Metrics when rows with probability ≥ `threshold` are called positive (lengths must match;
    /// extra entries of the longer slice are ignored).
    pub fn at(probs: &[f64], labels: &[bool], threshold: f64) -> ThresholdMetrics {
        let c = Confusion::at(probs, labels, threshold);
        ThresholdMetrics {
            threshold,
            confusion: c,
            accuracy: c.accuracy(),
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            lift: c.lift(),
            called: ratio(c.tp + c.fp, c.total()),
        }
    }
}

/// One row of a cumulative gains / lift table (rows sorted by descending probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GainsRow {
    /// Bucket number, 1 = the highest-scored rows.
    pub bucket: u32,
    /// Rows in this bucket.
    pub rows: u64,
    /// Positive rows in this bucket.
    pub positives: u64,
    /// Lowest probability in this bucket, in [0, 1].
    pub min_probability: f64,
    /// Positive rate in this bucket divided by the overall rate (1 = random).
    pub lift: f64,
    /// Fraction of all rows in buckets 1..=this, in (0, 1].
    pub cumulative_rows: f64,
    /// Fraction of all positives captured in buckets 1..=this, in [0, 1].
    pub cumulative_gain: f64,
    /// Positive rate in buckets 1..=this over the overall rate.
    pub cumulative_lift: f64,
}

/// Cumulative gains and lift by `buckets` equal-size groups of rows ranked by descending
/// probability (10 = deciles). Row `r` of the ranking (0-based) goes to bucket
/// ⌊r·buckets/n⌋ + 1; tied scores keep input order. Empty for no rows or `buckets == 0`.
pub fn gains(probs: &[f64], labels: &[bool], buckets: u32) -> Vec<GainsRow> {
    let n = probs.len().min(labels.len());
    if n == 0 || buckets == 0 {
        return Vec::new();
    }
    let order = order_desc(&probs[..n]);
    let total_pos = labels[..n].iter().filter(|&&y| y).count() as u64;
    let base = total_pos as f64 / n as f64;
    let mut out: Vec<GainsRow> = Vec::new();
    let (mut cum_rows, mut cum_pos) = (0u64, 0u64);
    let mut start = 0usize;
    for b in 0..buckets as u64 {
        let end = ((b + 1) * n as u64 / buckets as u64) as usize;
        if end <= start {
            continue;
        }
        let rows = (end - start) as u64;
        let positives = order[start..end].iter().filter(|&&i| labels[i]).count() as u64;
        let min_probability = probs[order[end - 1]];
        cum_rows += rows;
        cum_pos += positives;
        let lift_of = |pos: u64, rows: u64| {
            if base > 0.0 {
                pos as f64 / rows as f64 / base
            } else {
                0.0
            }
        };
        out.push(GainsRow {
            bucket: b as u32 + 1,
            rows,
            positives,
            min_probability,
            lift: lift_of(positives, rows),
            cumulative_rows: cum_rows as f64 / n as f64,
            cumulative_gain: ratio(cum_pos, total_pos),
            cumulative_lift: lift_of(cum_pos, cum_rows),
        });
        start = end;
    }
    out
}

/// One bin of a reliability diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin's probability range, in [0, 1].
    pub lower: f64,
    /// Upper edge, in [0, 1] (the last bin includes 1).
    pub upper: f64,
    /// Rows whose probability falls in the bin.
    pub rows: u64,
    /// Mean predicted probability of those rows, in [0, 1] (0 when empty).
    pub mean_predicted: f64,
    /// Fraction of those rows that are positive, in [0, 1] (0 when empty).
    pub observed_rate: f64,
}

/// A reliability diagram and its expected calibration error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// `bins` equal-width bins over [0, 1]; empty bins are kept so charts line up.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error: Σ (rows in bin / all rows)·|mean predicted − observed rate|,
    /// in [0, 1]; 0 = perfectly calibrated.
    pub ece: f64,
}

/// Reliability over `bins` equal-width probability bins (probability p goes to bin
/// ⌊p·bins⌋, p = 1 to the last; values outside [0, 1] are clamped). `bins == 0` is taken as 1.
pub fn reliability(probs: &[f64], labels: &[bool], bins: u32) -> Reliability {
    let k = bins.max(1) as usize;
    let mut count = vec![0u64; k];
    let mut sum_p = vec![0.0; k];
    let mut pos = vec![0u64; k];
    for (&p, &y) in probs.iter().zip(labels) {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let b = ((p * k as f64) as usize).min(k - 1);
        count[b] += 1;
        sum_p[b] += p;
        pos[b] += y as u64;
    }
    let n: u64 = count.iter().sum();
    let mut ece = 0.0;
    let bins = (0..k)
        .map(|b| {
            let mean_predicted = if count[b] > 0 {
                sum_p[b] / count[b] as f64
            } else {
                0.0
            };
            let observed_rate = ratio(pos[b], count[b]);
            ece += ratio(count[b], n) * (mean_predicted - observed_rate).abs();
            ReliabilityBin {
                lower: b as f64 / k as f64,
                upper: (b + 1) as f64 / k as f64,
                rows: count[b],
                mean_predicted,
                observed_rate,
            }
        })
        .collect();
    Reliability { bins, ece }
}

/// Expected calibration error over 10 equal-width bins, in [0, 1] (see [`reliability`]).
pub fn ece(probs: &[f64], labels: &[bool]) -> f64 {
    reliability(probs, labels, 10).ece
}

/// Everything a binary evaluation reports; field names are stable (the CLI's `eval --json` and
/// the app read them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryReport {
    /// Rows evaluated.
    pub rows: u64,
    /// Positive rows.
    pub positives: u64,
    /// ROC AUC, in [0, 1].
    pub auc: f64,
    /// PR AUC (average precision), in [0, 1].
    pub pr_auc: f64,
    /// Log loss (natural log), ≥ 0.
    pub log_loss: f64,
    /// Brier score, in [0, 1].
    pub brier: f64,
    /// Expected calibration error over 10 bins, in [0, 1].
    pub ece: f64,
    /// Decision quality at the chosen threshold.
    pub at_threshold: ThresholdMetrics,
    /// Cumulative gains and lift by decile.
    pub gains: Vec<GainsRow>,
    /// Reliability diagram (10 bins).
    pub reliability: Reliability,
}

/// The full binary evaluation at `threshold`.
///
/// # Errors
/// `Error::Data` when lengths differ, numbers are unusable, or the labels hold a single class.
pub fn binary_report(probs: &[f64], labels: &[bool], threshold: f64) -> Result<BinaryReport> {
    let reliability = reliability(probs, labels, 10);
    Ok(BinaryReport {
        rows: probs.len() as u64,
        positives: labels.iter().filter(|&&y| y).count() as u64,
        auc: roc_auc(probs, labels, None)?,
        pr_auc: pr_auc(probs, labels, None)?,
        log_loss: log_loss(probs, labels, None)?,
        brier: brier(probs, labels, None)?,
        ece: reliability.ece,
        at_threshold: ThresholdMetrics::at(probs, labels, threshold),
        gains: gains(probs, labels, 10),
        reliability,
    })
}

/// Checks a row-major `rows × n_classes` probability matrix against its labels.
fn check_multi(probs: &[f64], n_classes: usize, labels: &[u32]) -> Result<()> {
    if n_classes == 0 || probs.len() != labels.len() * n_classes {
        return Err(Error::Data(format!(
            "metrics: {} probabilities for {} rows × {} classes; expected one per row and class",
            probs.len(),
            labels.len(),
            n_classes
        )));
    }
    if let Some(i) = labels.iter().position(|&y| y as usize >= n_classes) {
        return Err(Error::Data(format!(
            "metrics: label of row {} is class {}, but there are only {} classes",
            i + 1,
            labels[i],
            n_classes
        )));
    }
    check(probs, probs.len(), None)
}

/// The most probable class of each row of a row-major `rows × n_classes` matrix (ties → the
/// lowest class index).
pub fn argmax_rows(probs: &[f64], n_classes: usize) -> Vec<u32> {
    probs
        .chunks(n_classes.max(1))
        .map(|row| {
            let mut best = 0;
            for (c, &p) in row.iter().enumerate() {
                if p > row[best] {
                    best = c;
                }
            }
            best as u32
        })
        .collect()
}

/// Fraction of rows whose most probable class is the true one, in [0, 1]. `probs` is row-major
/// `rows × n_classes`.
///
/// # Errors
/// `Error::Data` when the shapes disagree, a label is out of range or there are no rows.
pub fn multiclass_accuracy(probs: &[f64], n_classes: usize, labels: &[u32]) -> Result<f64> {
    check_multi(probs, n_classes, labels)?;
    if labels.is_empty() {
        return Err(Error::Data("accuracy needs at least one row".into()));
    }
    let pred = argmax_rows(probs, n_classes);
    let hits = pred.iter().zip(labels).filter(|(p, y)| p == y).count();
    Ok(hits as f64 / labels.len() as f64)
}

/// Unweighted mean over classes of the one-vs-rest F1 of the argmax prediction, in [0, 1]
/// (a class never predicted nor present has F1 0 and still counts, as in scikit-learn).
///
/// # Errors
/// `Error::Data` when the shapes disagree or a label is out of range.
pub fn macro_f1(probs: &[f64], n_classes: usize, labels: &[u32]) -> Result<f64> {
    check_multi(probs, n_classes, labels)?;
    let pred = argmax_rows(probs, n_classes);
    let mut total = 0.0;
    for c in 0..n_classes as u32 {
        let mut m = Confusion::default();
        for (&p, &y) in pred.iter().zip(labels) {
            match (p == c, y == c) {
                (true, true) => m.tp += 1,
                (true, false) => m.fp += 1,
                (false, false) => m.tn += 1,
                (false, true) => m.fn_ += 1,
            }
        }
        total += m.f1();
    }
    Ok(total / n_classes as f64)
}

/// One-vs-rest ROC AUC per class (class `c`'s probability against "is class c"); `None` for a
/// class that is absent or the only one present.
///
/// # Errors
/// `Error::Data` when the shapes disagree or a label is out of range.
pub fn per_class_auc(probs: &[f64], n_classes: usize, labels: &[u32]) -> Result<Vec<Option<f64>>> {
    check_multi(probs, n_classes, labels)?;
    Ok((0..n_classes)
        .map(|c| {
            let p: Vec<f64> = probs.iter().skip(c).step_by(n_classes).copied().collect();
            let y: Vec<bool> = labels.iter().map(|&l| l as usize == c).collect();
            roc_auc(&p, &y, None).ok()
        })
        .collect())
}

/// Everything a multi-class evaluation reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassReport {
    /// Rows evaluated.
    pub rows: u64,
    /// Fraction of rows whose most probable class is right, in [0, 1].
    pub accuracy: f64,
    /// Macro-averaged F1, in [0, 1].
    pub macro_f1: f64,
    /// One-vs-rest AUC per class (`None` when the class is absent).
    pub per_class_auc: Vec<Option<f64>>,
    /// Mean of the defined per-class AUCs, in [0, 1] (`None` when none is defined).
    pub macro_auc: Option<f64>,
    /// Mean negative log-probability of the true class (clipped like [`log_loss`]).
    pub log_loss: f64,
}

/// The full multi-class evaluation of a row-major `rows × n_classes` probability matrix.
///
/// # Errors
/// `Error::Data` when the shapes disagree, a label is out of range or there are no rows.
pub fn multiclass_report(
    probs: &[f64],
    n_classes: usize,
    labels: &[u32],
) -> Result<MulticlassReport> {
    let accuracy = multiclass_accuracy(probs, n_classes, labels)?;
    let per_class_auc = per_class_auc(probs, n_classes, labels)?;
    let defined: Vec<f64> = per_class_auc.iter().flatten().copied().collect();
    let macro_auc =
        (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64);
    let log_loss = labels
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            -probs[i * n_classes + y as usize]
                .clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS)
                .ln()
        })
        .sum::<f64>()
        / labels.len() as f64;
    Ok(MulticlassReport {
        rows: labels.len() as u64,
        accuracy,
        macro_f1: macro_f1(probs, n_classes, labels)?,
        per_class_auc,
        macro_auc,
        log_loss,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    #[test]
    fn auc_by_hand_with_ties() {
        // scores  0.1(-) 0.4(+) 0.4(-) 0.8(+)
        // pairs (pos, neg): (0.4,0.1)=1, (0.4,0.4)=½, (0.8,0.1)=1, (0.8,0.4)=1 → 3.5/4.
        let p = [0.1, 0.4, 0.4, 0.8];
        let y = [false, true, false, true];
        close(roc_auc(&p, &y, None).unwrap(), 0.875);
        // Input order does not matter.
        let p2 = [0.4, 0.8, 0.1, 0.4];
        let y2 = [false, true, false, true];
        close(roc_auc(&p2, &y2, None).unwrap(), 0.875);
        // Perfect and reversed rankings.
        close(roc_auc(&[0.1, 0.9], &[false, true], None).unwrap(), 1.0);
        close(roc_auc(&[0.9, 0.1], &[false, true], None).unwrap(), 0.0);
        // All tied: ½.
        close(roc_auc(&[0.3; 4], &y, None).unwrap(), 0.5);
    }

    #[test]
    fn weighted_auc_equals_repeated_rows() {
        // Weight 2 on the 0.4 positive ≡ that row twice: pairs 2×(1 + ½) + (1 + 1) = 5 of 3×2 = 6.
        let p = [0.1, 0.4, 0.4, 0.8];
        let y = [false, true, false, true];
        let w = [1.0, 2.0, 1.0, 1.0];
        close(roc_auc(&p, &y, Some(&w)).unwrap(), 5.0 / 6.0);
        let p_rep = [0.1, 0.4, 0.4, 0.4, 0.8];
        let y_rep = [false, true, true, false, true];
        close(roc_auc(&p_rep, &y_rep, None).unwrap(), 5.0 / 6.0);
    }

    #[test]
    fn auc_refuses_one_class_and_bad_input() {
        assert!(roc_auc(&[0.1, 0.2], &[true, true], None).is_err());
        assert!(roc_auc(&[0.1], &[true, false], None).is_err());
        assert!(roc_auc(&[f64::NAN, 0.2], &[true, false], None).is_err());
        assert!(roc_auc(&[0.1, 0.2], &[true, false], Some(&[1.0, -1.0])).is_err());
        let msg = roc_auc(&[0.1, 0.2], &[false, false], None)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("only one class"), "{msg}");
    }

    #[test]
    fn average_precision_by_hand() {
        // Ranked: 0.9(+) 0.8(-) 0.7(+) 0.1(-). Positives at ranks 1 and 3:
        // AP = ½·(1/1) + ½·(2/3) = 5/6.
        let p = [0.1, 0.7, 0.8, 0.9];
        let y = [false, true, false, true];
        close(pr_auc(&p, &y, None).unwrap(), 5.0 / 6.0);
        // A tie between the 0.8 negative and the 0.7 positive (both 0.75) merges them into one
        // threshold: AP = ½·1 + ½·(2/3) — same here, but the tied positive no longer sees
        // precision 1 if placed first: with 0.9(-) 0.5(+) 0.5(-) → AP = 1·(1/3).
        close(
            pr_auc(&[0.9, 0.5, 0.5], &[false, true, false], None).unwrap(),
            1.0 / 3.0,
        );
        assert!(pr_auc(&[0.2], &[false], None).is_err());
    }

    #[test]
    fn log_loss_and_brier_by_hand() {
        // −(ln 0.8 + ln 0.6)/2 and ((0.2)² + (0.4)²)/2 = 0.1.
        let p = [0.8, 0.4];
        let y = [true, false];
        close(
            log_loss(&p, &y, None).unwrap(),
            -(0.8f64.ln() + 0.6f64.ln()) / 2.0,
        );
        close(brier(&p, &y, None).unwrap(), 0.1);
        // Weighted: (3·0.04 + 1·0.16)/4 = 0.07.
        close(brier(&p, &y, Some(&[3.0, 1.0])).unwrap(), 0.07);
        // Clipping keeps a confident miss finite: −ln(1e-15).
        close(
            log_loss(&[0.0], &[true], None).unwrap(),
            -(LOG_LOSS_EPS.ln()),
        );
        assert!(brier(&[], &[], None).is_err());
    }

    #[test]
    fn confusion_and_rates_by_hand() {
        // Threshold 0.5 (≥ is positive): 0.9+ → TP, 0.6- → FP, 0.5+ → TP, 0.4+ → FN, 0.1- → TN.
        let p = [0.9, 0.6, 0.5, 0.4, 0.1];
        let y = [true, false, true, true, false];
        let m = ThresholdMetrics::at(&p, &y, 0.5);
        assert_eq!(
            m.confusion,
            Confusion {
                tp: 2,
                fp: 1,
                tn: 1,
                fn_: 1
            }
        );
        close(m.accuracy, 3.0 / 5.0);
        close(m.precision, 2.0 / 3.0);
        close(m.recall, 2.0 / 3.0);
        close(m.f1, 2.0 / 3.0);
        // Base rate 3/5; lift = (2/3)/(3/5) = 10/9.
        close(m.lift, 10.0 / 9.0);
        close(m.called, 3.0 / 5.0);
        // Nothing called: precision and F1 are 0 by convention, recall 0.
        let none = ThresholdMetrics::at(&p, &y, 1.1);
        assert_eq!(none.precision, 0.0);
        assert_eq!(none.f1, 0.0);
        close(none.accuracy, 2.0 / 5.0);
    }

    #[test]
    fn gains_by_hand() {
        // 10 rows, 4 positives, 5 buckets of 2 rows. Ranked by score: rows with p = 1.0..0.1.
        // Positives at ranks 1, 2, 4, 9 → buckets: [2, 1, 0, 0, 1] positives.
        let p: Vec<f64> = (1..=10).map(|i| i as f64 / 10.0).collect();
        let mut y = [false; 10];
        for rank in [1, 2, 4, 9] {
            y[10 - rank] = true; // rank r has p = (11 - r)/10 at index 10 - r
        }
        let g = gains(&p, &y, 5);
        assert_eq!(g.len(), 5);
        assert_eq!(
            g.iter().map(|r| r.positives).collect::<Vec<_>>(),
            vec![2, 1, 0, 0, 1]
        );
        // Base rate 0.4: bucket 1 rate 1.0 → lift 2.5; cumulative after 2 buckets: 3/4 of the
        // positives in 4/10 of the rows, cumulative lift (3/4)/(4/10) = 1.875.
        close(g[0].lift, 2.5);
        close(g[1].cumulative_gain, 0.75);
        close(g[1].cumulative_rows, 0.4);
        close(g[1].cumulative_lift, 1.875);
        close(g[4].cumulative_gain, 1.0);
        close(g[4].cumulative_lift, 1.0);
        close(g[0].min_probability, 0.9);
        // Uneven split: 7 rows in 3 buckets → sizes 2, 2, 3 (⌊r·3/7⌋).
        let g3 = gains(&p[..7], &y[..7], 3);
        assert_eq!(g3.iter().map(|r| r.rows).collect::<Vec<_>>(), vec![2, 2, 3]);
        assert!(gains(&[], &[], 10).is_empty());
    }

    #[test]
    fn reliability_and_ece_by_hand() {
        // Two bins. Bin 0 [0, .5): p = 0.2, 0.4, outcomes 0, 1 → mean .3, rate .5, gap .2.
        // Bin 1 [.5, 1]: p = 0.6, 1.0, outcomes 1, 1 → mean .8, rate 1, gap .2.
        // ECE = ½·.2 + ½·.2 = .2.
        let r = reliability(&[0.2, 0.4, 0.6, 1.0], &[false, true, true, true], 2);
        assert_eq!(r.bins.len(), 2);
        assert_eq!(r.bins[1].rows, 2);
        close(r.bins[0].mean_predicted, 0.3);
        close(r.bins[1].observed_rate, 1.0);
        close(r.ece, 0.2);
        // Perfectly calibrated in each bin → 0.
        let r = reliability(&[0.25, 0.25, 0.25, 0.25], &[true, false, false, false], 10);
        close(r.ece, 0.0);
    }

    #[test]
    fn binary_report_fields_are_stable_json() {
        let p = [0.1, 0.4, 0.4, 0.8];
        let y = [false, true, false, true];
        let r = binary_report(&p, &y, 0.5).unwrap();
        let json = serde_json::to_value(&r).unwrap();
        for key in [
            "auc",
            "pr_auc",
            "log_loss",
            "rows",
            "brier",
            "ece",
            "at_threshold",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        close(json["auc"].as_f64().unwrap(), 0.875);
        assert_eq!(json["rows"], 4);
    }

    #[test]
    fn multiclass_by_hand() {
        // 3 classes, 4 rows; argmax: 0, 1, 2, 1; truth: 0, 1, 1, 2 → accuracy ½.
        let p = [
            0.7, 0.2, 0.1, //
            0.1, 0.8, 0.1, //
            0.2, 0.3, 0.5, //
            0.3, 0.4, 0.3,
        ];
        let y = [0, 1, 1, 2];
        close(multiclass_accuracy(&p, 3, &y).unwrap(), 0.5);
        // F1 per class: c0 tp1 → 1; c1 tp1 fp1 fn1 → ½; c2 tp0 fp1 fn1 → 0. Macro = ½.
        close(macro_f1(&p, 3, &y).unwrap(), 0.5);
        // Class 0 one-vs-rest: scores 0.7(+) vs 0.1, 0.2, 0.3 → 1.
        // Class 2: positive row 3 (0.3) vs 0.1, 0.1, 0.5 → 2/3.
        let auc = per_class_auc(&p, 3, &y).unwrap();
        close(auc[0].unwrap(), 1.0);
        close(auc[2].unwrap(), 2.0 / 3.0);
        assert!(multiclass_accuracy(&p, 3, &[0, 1, 1, 3]).is_err());
        assert!(multiclass_accuracy(&p[..11], 3, &y).is_err());
        let r = multiclass_report(&p, 3, &y).unwrap();
        close(r.accuracy, 0.5);
        close(
            r.log_loss,
            -(0.7f64.ln() + 0.8f64.ln() + 0.3f64.ln() + 0.3f64.ln()) / 4.0,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Multi-class evaluation: confusion matrix, per-class rates, baselines, funnel order.

/// Funnel words in funnel order (lower case), for ordering stage-like class names: marketing
/// funnels (AIDA and friends) first, then CRM lifecycle and pipeline stages. The web app's
/// `www/app/funnel.js` keeps the same list.
pub const FUNNEL_ORDER: [&str; 28] = [
    "awareness",
    "interest",
    "consideration",
    "intent",
    "evaluation",
    "decision",
    "action",
    "purchase",
    "subscriber",
    "lead",
    "new",
    "open",
    "contacted",
    "working",
    "nurturing",
    "mql",
    "marketing qualified lead",
    "sql",
    "sales qualified lead",
    "qualified",
    "opportunity",
    "proposal",
    "negotiation",
    "customer",
    "closed won",
    "won",
    "closed lost",
    "lost",
];

/// Display order of class names: names found in [`FUNNEL_ORDER`] (case-insensitive, trimmed)
/// first, in funnel order, then the others in their given order. Returns class indices.
pub fn funnel_order(class_names: &[String]) -> Vec<u32> {
    let rank = |name: &String| {
        let key = name.trim().to_lowercase();
        FUNNEL_ORDER
            .iter()
            .position(|w| *w == key)
            .unwrap_or(FUNNEL_ORDER.len())
    };
    let mut idx: Vec<u32> = (0..class_names.len() as u32).collect();
    // Stable: unknown names keep their order.
    idx.sort_by_key(|&c| rank(&class_names[c as usize]));
    idx
}

/// Counts of actual (row) against predicted (column) class over `n_classes` classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// Number of classes (the matrix is `n_classes × n_classes`).
    pub n_classes: u32,
    /// Row-major counts: `counts[actual * n_classes + predicted]`.
    pub counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// Tallies `actual` against `predicted` class indices.
    ///
    /// # Errors
    /// `Error::Data` when the lengths differ, there are no classes, or an index is out of range.
    pub fn new(actual: &[u32], predicted: &[u32], n_classes: usize) -> Result<ConfusionMatrix> {
        if actual.len() != predicted.len() || n_classes == 0 {
            return Err(Error::Data(format!(
                "metrics: {} labels but {} predictions over {n_classes} classes; expected one \
                 prediction per label and at least one class",
                actual.len(),
                predicted.len()
            )));
        }
        let k = n_classes;
        let mut counts = vec![0u64; k * k];
        for (i, (&a, &p)) in actual.iter().zip(predicted).enumerate() {
            if a as usize >= k || p as usize >= k {
                return Err(Error::Data(format!(
                    "metrics: row {} has class {} (predicted {}), but there are only {k} classes",
                    i + 1,
                    a,
                    p
                )));
            }
            counts[a as usize * k + p as usize] += 1;
        }
        Ok(ConfusionMatrix {
            n_classes: k as u32,
            counts,
        })
    }

    /// Rows of class `actual` predicted as `predicted` (0 when out of range).
    pub fn get(&self, actual: u32, predicted: u32) -> u64 {
        let k = self.n_classes;
        if actual >= k || predicted >= k {
            return 0;
        }
        self.counts[(actual * k + predicted) as usize]
    }

    /// All rows counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Rows per actual class (the matrix's row sums).
    pub fn actual_counts(&self) -> Vec<u64> {
        let k = self.n_classes as usize;
        (0..k)
            .map(|a| self.counts[a * k..(a + 1) * k].iter().sum())
            .collect()
    }

    /// Rows per predicted class (the matrix's column sums).
    pub fn predicted_counts(&self) -> Vec<u64> {
        let k = self.n_classes as usize;
        (0..k)
            .map(|p| (0..k).map(|a| self.counts[a * k + p]).sum())
            .collect()
    }

    /// Fraction of rows on the diagonal, in [0, 1] (0 for no rows).
    pub fn accuracy(&self) -> f64 {
        let k = self.n_classes;
        ratio((0..k).map(|c| self.get(c, c)).sum(), self.total())
    }

    /// One-vs-rest precision, recall and F1 of every class, in class order.
    pub fn per_class(&self) -> Vec<ClassMetrics> {
        let actual = self.actual_counts();
        let predicted = self.predicted_counts();
        (0..self.n_classes)
            .map(|c| {
                let tp = self.get(c, c);
                let (support, called) = (actual[c as usize], predicted[c as usize]);
                ClassMetrics {
                    class: c,
                    support,
                    predicted: called,
                    precision: ratio(tp, called),
                    recall: ratio(tp, support),
                    f1: ratio(2 * tp, support + called),
                }
            })
            .collect()
    }

    /// Unweighted mean of the per-class F1, in [0, 1]; every class counts, present or not (as
    /// scikit-learn's `f1_score(average="macro")` with all labels given).
    pub fn macro_f1(&self) -> f64 {
        let per = self.per_class();
        if per.is_empty() {
            return 0.0;
        }
        per.iter().map(|c| c.f1).sum::<f64>() / per.len() as f64
    }
}

/// One class's one-vs-rest decision quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// Class index (into the model's class names).
    pub class: u32,
    /// Rows whose true class this is.
    pub support: u64,
    /// Rows predicted as this class.
    pub predicted: u64,
    /// Of the rows predicted as this class, the fraction that are, in [0, 1] (0 when none).
    pub precision: f64,
    /// Of the rows of this class, the fraction predicted as it, in [0, 1] (0 when none).
    pub recall: f64,
    /// Harmonic mean of precision and recall, in [0, 1] (0 when both are 0).
    pub f1: f64,
}

/// Multi-class log loss: mean −ln(probability of the true class), probabilities clipped to
/// [`LOG_LOSS_EPS`, 1 − `LOG_LOSS_EPS`], with the crate's own `ln` (the same figure on every
/// target); ≥ 0, lower is better. `probs` is row-major `rows × n_classes`.
///
/// # Errors
/// `Error::Data` when the shapes disagree, a label is out of range or there are no rows.
pub fn multiclass_log_loss(probs: &[f64], n_classes: usize, labels: &[u32]) -> Result<f64> {
    check_multi(probs, n_classes, labels)?;
    if labels.is_empty() {
        return Err(Error::Data("log loss needs at least one row".into()));
    }
    let sum: f64 = labels
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let p = probs[i * n_classes + y as usize].clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS);
            -crate::model::math::ln(p)
        })
        .sum();
    Ok(sum / labels.len() as f64)
}

/// Rows per class of `labels` (labels ≥ `n_classes` are not counted).
pub fn class_counts(labels: &[u32], n_classes: usize) -> Vec<u64> {
    let mut counts = vec![0u64; n_classes];
    for &y in labels {
        if let Some(c) = counts.get_mut(y as usize) {
            *c += 1;
        }
    }
    counts
}

/// What a model-free guess scores on the same rows: the bar a multi-class model must clear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassBaseline {
    /// Fraction of rows guessed right, in [0, 1].
    pub accuracy: f64,
    /// Macro-averaged F1, in [0, 1].
    pub macro_f1: f64,
    /// Log loss of predicting every row's class shares as its probabilities (the entropy of
    /// the class shares, natural log), ≥ 0.
    pub log_loss: f64,
    /// The class always predicted (majority baseline); `None` for the random baseline.
    pub class: Option<u32>,
}

fn class_shares(labels: &[u32], n_classes: usize) -> Result<Vec<f64>> {
    if labels.is_empty() || n_classes == 0 {
        return Err(Error::Data(
            "a baseline needs at least one labelled row and one class".into(),
        ));
    }
    if let Some(i) = labels.iter().position(|&y| y as usize >= n_classes) {
        return Err(Error::Data(format!(
            "metrics: label of row {} is class {}, but there are only {n_classes} classes",
            i + 1,
            labels[i]
        )));
    }
    let n = labels.len() as f64;
    Ok(class_counts(labels, n_classes)
        .iter()
        .map(|&c| c as f64 / n)
        .collect())
}

/// Entropy (natural log) of class shares: the log loss of always predicting them.
fn shares_entropy(shares: &[f64]) -> f64 {
    shares
        .iter()
        .filter(|&&s| s > 0.0)
        .map(|&s| -s * crate::model::math::ln(s))
        .sum()
}

/// The majority-class baseline on these labels: always predict the most frequent class (ties →
/// the lowest index). Accuracy = its share s; its F1 = 2s/(1+s), every other class 0, so
/// macro-F1 = 2s/(1+s)/`n_classes`. The class is chosen on the evaluated labels themselves, which
/// can only flatter the baseline.
///
/// # Errors
/// `Error::Data` when there are no rows or classes, or a label is out of range.
pub fn majority_baseline(labels: &[u32], n_classes: usize) -> Result<MulticlassBaseline> {
    let shares = class_shares(labels, n_classes)?;
    let mut best = 0;
    for (c, &s) in shares.iter().enumerate() {
        if s > shares[best] {
            best = c;
        }
    }
    let s = shares[best];
    Ok(MulticlassBaseline {
        accuracy: s,
        macro_f1: 2.0 * s / (1.0 + s) / n_classes as f64,
        log_loss: shares_entropy(&shares),
        class: Some(best as u32),
    })
}

/// The class-prior random baseline, in expectation: guess class c with probability equal to its
/// share p_c. Expected accuracy Σ p_c²; each class's precision and recall are p_c, so its F1 is
/// p_c and macro-F1 = Σ p_c / `n_classes` = (classes present share 1) / `n_classes`.
///
/// # Errors
/// `Error::Data` when there are no rows or classes, or a label is out of range.
pub fn prior_baseline(labels: &[u32], n_classes: usize) -> Result<MulticlassBaseline> {
    let shares = class_shares(labels, n_classes)?;
    Ok(MulticlassBaseline {
        accuracy: shares.iter().map(|s| s * s).sum(),
        macro_f1: shares.iter().sum::<f64>() / n_classes as f64,
        log_loss: shares_entropy(&shares),
        class: None,
    })
}

/// A full multi-class evaluation with its baselines (what `leadforest eval` reports).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassEvaluation {
    /// Rows evaluated.
    pub rows: u64,
    /// Class indices in display order (funnel order when the names are funnel stages).
    pub order: Vec<u32>,
    /// Predicted (argmax) against actual class.
    pub confusion: ConfusionMatrix,
    /// Per-class precision, recall and F1, in class-index order.
    pub per_class: Vec<ClassMetrics>,
    /// Fraction of rows whose most probable class is right, in [0, 1].
    pub accuracy: f64,
    /// Macro-averaged F1, in [0, 1].
    pub macro_f1: f64,
    /// Multi-class log loss (natural log), ≥ 0.
    pub log_loss: f64,
    /// Always predicting the majority class.
    pub majority: MulticlassBaseline,
    /// Guessing at random by the class shares (expected values).
    pub prior: MulticlassBaseline,
}

/// Evaluates a row-major `rows × class_names.len()` probability matrix against its labels.
///
/// # Errors
/// `Error::Data` when the shapes disagree, a label is out of range or there are no rows.
pub fn multiclass_evaluation(
    probs: &[f64],
    class_names: &[String],
    labels: &[u32],
) -> Result<MulticlassEvaluation> {
    let k = class_names.len();
    let log_loss = multiclass_log_loss(probs, k, labels)?;
    let confusion = ConfusionMatrix::new(labels, &argmax_rows(probs, k), k)?;
    Ok(MulticlassEvaluation {
        rows: labels.len() as u64,
        order: funnel_order(class_names),
        per_class: confusion.per_class(),
        accuracy: confusion.accuracy(),
        macro_f1: confusion.macro_f1(),
        log_loss,
        majority: majority_baseline(labels, k)?,
        prior: prior_baseline(labels, k)?,
        confusion,
    })
}

#[cfg(test)]
mod multiclass_tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn confusion_matrix_and_per_class_by_hand() {
        // actual:    0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        let m = ConfusionMatrix::new(&[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2], 3).unwrap();
        assert_eq!(m.counts, vec![2, 1, 0, 0, 1, 1, 0, 0, 1]);
        assert_eq!(m.get(0, 1), 1);
        assert_eq!(m.actual_counts(), vec![3, 2, 1]);
        assert_eq!(m.predicted_counts(), vec![2, 2, 2]);
        close(m.accuracy(), 4.0 / 6.0);
        let per = m.per_class();
        // c0: tp 2, called 2, support 3 → P 1, R 2/3, F1 4/5.
        close(per[0].precision, 1.0);
        close(per[0].recall, 2.0 / 3.0);
        close(per[0].f1, 0.8);
        // c1: tp 1, called 2, support 2 → ½, ½, ½.  c2: tp 1, called 2, support 1 → ½, 1, 2/3.
        close(per[1].f1, 0.5);
        close(per[2].precision, 0.5);
        close(per[2].recall, 1.0);
        close(per[2].f1, 2.0 / 3.0);
        close(m.macro_f1(), (0.8 + 0.5 + 2.0 / 3.0) / 3.0);
        // Agrees with the probability-based macro_f1 above on the same argmax.
        let p = [
            0.9, 0.1, 0.0, 0.8, 0.1, 0.1, 0.2, 0.7, 0.1, //
            0.1, 0.8, 0.1, 0.1, 0.2, 0.7, 0.0, 0.1, 0.9,
        ];
        close(macro_f1(&p, 3, &[0, 0, 0, 1, 1, 2]).unwrap(), m.macro_f1());
        assert!(ConfusionMatrix::new(&[0, 3], &[0, 0], 3).is_err());
        assert!(ConfusionMatrix::new(&[0], &[0, 0], 3).is_err());
    }

    #[test]
    fn absent_class_counts_zero_in_macro_f1() {
        // 3 classes, class 2 never present nor predicted: F1s 1, 1, 0 → macro 2/3.
        let m = ConfusionMatrix::new(&[0, 1], &[0, 1], 3).unwrap();
        close(m.macro_f1(), 2.0 / 3.0);
        assert_eq!(m.per_class()[2].support, 0);
        assert_eq!(m.per_class()[2].precision, 0.0);
    }

    #[test]
    fn log_loss_by_hand() {
        let p = [0.7, 0.2, 0.1, 0.25, 0.25, 0.5];
        close(
            multiclass_log_loss(&p, 3, &[0, 2]).unwrap(),
            -(0.7f64.ln() + 0.5f64.ln()) / 2.0,
        );
        // A confident miss stays finite.
        close(
            multiclass_log_loss(&[1.0, 0.0], 2, &[1]).unwrap(),
            -LOG_LOSS_EPS.ln(),
        );
        assert!(multiclass_log_loss(&[], 3, &[]).is_err());
        assert!(multiclass_log_loss(&p, 3, &[0, 3]).is_err());
    }

    #[test]
    fn baselines_by_hand() {
        // Shares: c0 ½, c1 ⅓, c2 ⅙ (6 rows), 4 classes (c3 absent).
        let y = [0, 0, 0, 1, 1, 2];
        let m = majority_baseline(&y, 4).unwrap();
        assert_eq!(m.class, Some(0));
        close(m.accuracy, 0.5);
        // F1 of c0 = 2·½/(1 + ½) = ⅔; macro over 4 classes = ⅙.
        close(m.macro_f1, 1.0 / 6.0);
        // Same as scoring the constant prediction with the confusion matrix.
        let cm = ConfusionMatrix::new(&y, &[0; 6], 4).unwrap();
        close(cm.macro_f1(), m.macro_f1);
        close(cm.accuracy(), m.accuracy);
        let h = -(0.5f64.ln() / 2.0 + (1.0f64 / 3.0).ln() / 3.0 + (1.0f64 / 6.0).ln() / 6.0);
        assert!((m.log_loss - h).abs() < 1e-9, "{} vs {h}", m.log_loss);
        let r = prior_baseline(&y, 4).unwrap();
        assert_eq!(r.class, None);
        close(r.accuracy, 0.25 + 1.0 / 9.0 + 1.0 / 36.0);
        close(r.macro_f1, 0.25);
        // Ties go to the lowest class index.
        assert_eq!(majority_baseline(&[1, 0], 2).unwrap().class, Some(0));
        assert!(majority_baseline(&[], 2).is_err());
        assert!(prior_baseline(&[5], 2).is_err());
    }

    #[test]
    fn funnel_order_puts_known_stages_first() {
        // Class names come sorted alphabetically from the data.
        let n = names(&["Action", "Awareness", "Decision", "Interest"]);
        assert_eq!(funnel_order(&n), vec![1, 3, 2, 0]);
        // Unknown names keep their order, after the known ones; case and spaces ignored.
        let n = names(&["zeta", " SQL ", "alpha", "mql"]);
        assert_eq!(funnel_order(&n), vec![3, 1, 0, 2]);
    }

    #[test]
    fn evaluation_bundles_everything() {
        let n = names(&["Action", "Awareness", "Decision"]);
        let p = [
            0.1, 0.8, 0.1, // → 1 (truth 1)
            0.2, 0.3, 0.5, // → 2 (truth 2)
            0.6, 0.2, 0.2, // → 0 (truth 2)
            0.1, 0.7, 0.2, // → 1 (truth 1)
        ];
        let y = [1, 2, 2, 1];
        let e = multiclass_evaluation(&p, &n, &y).unwrap();
        assert_eq!(e.rows, 4);
        assert_eq!(e.order, vec![1, 2, 0]);
        close(e.accuracy, 0.75);
        // F1: c0 0 (called once, absent), c1 1, c2 tp 1 called 1 support 2 → ⅔.
        close(e.macro_f1, (0.0 + 1.0 + 2.0 / 3.0) / 3.0);
        // Majority: classes 1 and 2 tie at ½ → class 1; F1 ⅔ over 3 classes.
        assert_eq!(e.majority.class, Some(1));
        close(e.majority.macro_f1, 2.0 / 9.0);
        assert!(e.macro_f1 > e.majority.macro_f1);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["confusion"]["counts"][2 * 3], 1);
    }
}

//! The evaluation report the engine owns: every figure a front-end shows about a model's quality,
//! computed once, here, on rows it names — the held-out rows training kept (or the out-of-fold /
//! out-of-bag predictions when that is how the model was validated), or a labelled file scored
//! later ("this file"). The CLI (`eval`, `report`, `inspect`) and the JS API (`Model.report`,
//! `Model.evaluate`) render this structure; none of them recomputes a metric.
//!
//! Which probability each figure uses:
//! - AUC, PR AUC, log loss, Brier, the ROC/PR curves and the model's baseline row use the model's
//!   probability **before calibration** (the figures `train` prints and the validation report
//!   stores; calibration is monotone, so the ranking is the model's own).
//! - The threshold table, tiers, reliability bins, ECE and percentiles use the **calibrated**
//!   probability, the one users see and thresholds are expressed in. At training, calibration was
//!   fitted on these same held-out rows, so the reliability bins flatter it; `calibration` holds
//!   the honest before/after measured on held-out rows it was not fitted on.
//!
//! The maths is `crate::metrics`'s (one implementation); this module only assembles it.

use super::scoring::Scoring;
use crate::baseline::{self, BaselineRow};
use crate::limits::thousands;
use crate::metrics::{self, GainsRow, ReliabilityBin};
use crate::model::calibration::CalibrationReport;
use crate::report::SegmentRow;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Most points in the ROC and PR curves (plus the end points).
pub const MAX_CURVE_POINTS: usize = 200;
/// Most evaluation rows explained (evenly spaced) for the importance per column.
pub const IMPORTANCE_ROWS: usize = 500;
/// Percentiles stored (0..=100).
const PERCENTILES: usize = 101;

/// Which rows an evaluation was measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowsKind {
    /// A stratified random share held out from training.
    HeldOut,
    /// The latest rows by date (or declared row order), held out from training.
    Latest,
    /// K-fold: every row scored by the fold model that did not learn from it.
    OutOfFold,
    /// Forests: every row scored by the trees that did not see it.
    OutOfBag,
    /// A labelled file scored later.
    ThisFile,
}

/// The rows measured, in numbers and in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluatedRows {
    /// Which rows.
    pub kind: RowsKind,
    /// Rows measured.
    pub rows: u64,
    /// Binary models: rows with the positive outcome.
    pub positives: Option<u64>,
    /// Binary models: positives / rows, in [0, 1].
    pub base_rate: Option<f64>,
    /// Plain words, e.g. "1,808 held-out rows (the latest 20 % by date)".
    pub description: String,
    /// Rows the measured model learned from (`None` for "this file").
    pub train_rows: Option<u64>,
    /// Leads per day in these rows, when they are dated over more than one day.
    pub leads_per_day: Option<f64>,
}

/// Headline figures (`None` when not computable, e.g. one class in the rows).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvaluationMetrics {
    /// ROC AUC (binary) or macro one-vs-rest AUC (multi-class), in [0, 1].
    pub auc: Option<f64>,
    /// Average precision, in [0, 1] (binary).
    pub pr_auc: Option<f64>,
    /// Log loss before calibration, ≥ 0.
    pub log_loss: Option<f64>,
    /// Brier score before calibration, in [0, 1] (binary).
    pub brier: Option<f64>,
    /// Expected calibration error of the calibrated probability, 10 bins (binary).
    pub ece: Option<f64>,
    /// Multi-class: accuracy of the most likely class.
    pub accuracy: Option<f64>,
    /// Multi-class: macro-averaged F1.
    pub macro_f1: Option<f64>,
}

/// What calling every lead at or above a threshold gives on the evaluation rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRow {
    /// Calibrated probability, in [0, 1].
    pub threshold: f64,
    /// Leads at or above it.
    pub leads: u64,
    /// `leads / rows`, in [0, 1].
    pub share: f64,
    /// Converted leads among them.
    pub true_positives: u64,
    /// `true_positives / leads` (0 when no lead is called).
    pub precision: f64,
    /// `true_positives / positives`.
    pub recall: f64,
    /// `2·tp / (leads + positives)`.
    pub f1: f64,
    /// Precision over the base rate (1 = random).
    pub lift: f64,
}

/// The rule that chose a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleName {
    /// A given probability.
    Fixed,
    /// The best F1 on the held-out rows.
    MaxF1,
    /// The lowest threshold reaching a precision target.
    PrecisionFirst,
    /// As many leads as the team can work.
    Capacity,
}

/// The decision threshold in use, why, and what it gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdInfo {
    /// Calibrated probability, in [0, 1].
    pub threshold: f64,
    /// The rule that chose it.
    pub rule: RuleName,
    /// Plain words, e.g. "best F1 on 1,808 held-out rows".
    pub words: String,
    /// Its figures on the evaluation rows.
    pub at: ThresholdRow,
}

/// A point of a curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// ROC: false-positive rate; PR: recall.
    pub x: f64,
    /// ROC: true-positive rate; PR: precision.
    pub y: f64,
}

/// A tier's line on the evaluation rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRow {
    /// Tier name.
    pub name: String,
    /// What to do with its leads.
    pub action: String,
    /// Lowest calibrated probability in the tier.
    pub min_probability: f64,
    /// Evaluation rows in the tier.
    pub leads: u64,
    /// Of which converted.
    pub positives: u64,
    /// `positives / leads` (0 when empty).
    pub conversion: f64,
}

/// Importance of one CSV column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportanceRow {
    /// The CSV column.
    pub column: String,
    /// Mean |SHAP contribution| in raw-margin units.
    pub importance: f64,
    /// Share of the total importance, in [0, 1].
    pub share: f64,
}

/// The figures broken down by one column's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    /// The column.
    pub column: String,
    /// One line per value (largest first; small ones pooled).
    pub rows: Vec<SegmentRow>,
}

/// One class's line (multi-class models).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassRow {
    /// The class name.
    pub class: String,
    /// Actual rows of the class.
    pub support: u64,
    /// Rows predicted as the class.
    pub predicted: u64,
    /// Precision of "predicted = this class".
    pub precision: f64,
    /// Recall of the class.
    pub recall: f64,
    /// F1 of the class.
    pub f1: f64,
    /// One-vs-rest AUC (`None` when the class is absent or alone).
    pub auc: Option<f64>,
}

/// A multi-class baseline's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassBaselineRow {
    /// `majority` (always the most common class) or `prior` (random by class shares).
    pub name: String,
    /// Accuracy, in [0, 1].
    pub accuracy: f64,
    /// Macro F1, in [0, 1].
    pub macro_f1: f64,
    /// Log loss.
    pub log_loss: f64,
    /// Majority: the class always predicted.
    pub class: Option<String>,
}

/// Multi-class tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassSummary {
    /// Class names in display (funnel) order.
    pub order: Vec<String>,
    /// One line per class, in the model's class order.
    pub per_class: Vec<ClassRow>,
    /// Counts, rows = actual, columns = predicted, model class order.
    pub confusion: Vec<Vec<u64>>,
    /// Majority and prior baselines.
    pub baselines: Vec<MulticlassBaselineRow>,
}

/// The evaluation report (see the module docs). Serialized with snake_case field names (the
/// CLI's `--json`, the model file's `evaluation` section as JSON); the JS API gives the same
/// structure in camelCase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The rows measured.
    pub rows: EvaluatedRows,
    /// The model's classes (`[negative, positive]` for binary models).
    pub class_names: Vec<String>,
    /// Binary models: the positive class.
    pub positive_class: Option<String>,
    /// Headline figures.
    pub metrics: EvaluationMetrics,
    /// Binary models: the threshold in use.
    pub threshold: Option<ThresholdInfo>,
    /// Binary models: thresholds from high to low (a 0.01 grid merged with each 1 % of leads).
    pub thresholds: Vec<ThresholdRow>,
    /// ROC curve (false-positive rate, true-positive rate), (0,0) to (1,1).
    pub roc: Vec<CurvePoint>,
    /// Precision-recall curve (recall, precision).
    pub pr: Vec<CurvePoint>,
    /// Cumulative gains and lift by tenths, best first.
    pub gains: Vec<GainsRow>,
    /// Reliability of the calibrated probability, 10 bins.
    pub reliability: Vec<ReliabilityBin>,
    /// Calibration before/after on held-out rows it was not fitted on.
    pub calibration: Option<CalibrationReport>,
    /// Tiers on these rows, best first.
    pub tiers: Vec<TierRow>,
    /// Model vs points score vs random.
    pub baselines: Vec<BaselineRow>,
    /// Importance per CSV column, largest first.
    pub importance: Vec<ImportanceRow>,
    /// Rows the importance was averaged over.
    pub importance_rows: u64,
    /// Calibrated probability at each percentile 0..=100 of these rows (binary; else empty).
    pub percentiles: Vec<f64>,
    /// The figures by one column's values.
    pub segments: Option<Segments>,
    /// Multi-class tables.
    pub multiclass: Option<MulticlassSummary>,
}

/// What an evaluation is computed from.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    /// Which rows.
    pub kind: RowsKind,
    /// The rows in words (see [`EvaluatedRows::description`]).
    pub description: String,
    /// Rows the measured model learned from.
    pub train_rows: Option<u64>,
    /// Leads per day in these rows, when known.
    pub leads_per_day: Option<f64>,
    /// The model's classes.
    pub class_names: &'a [String],
    /// The model's probabilities before calibration: one per row (binary) or one per class.
    pub probabilities: &'a [f64],
    /// Class index per row.
    pub labels: &'a [u32],
    /// Calibration, tiers and threshold (binary models; defaults when `None`).
    pub scoring: Option<&'a Scoring>,
    /// The rule that chose `scoring.threshold`.
    pub rule: RuleName,
    /// Importance per CSV column (mean |SHAP|), largest first, and the rows it was averaged over.
    pub importance: (Vec<(String, f64)>, u64),
    /// The rule-based points score per row (cross-fitted), when available.
    pub points: Option<&'a [f64]>,
    /// A column to break the figures down by: its name and each row's value.
    pub segments: Option<(&'a str, Vec<Option<String>>)>,
}

impl Evaluation {
    /// Computes the report.
    ///
    /// # Errors
    /// `Error::Data` when lengths differ or there are no rows.
    pub fn build(input: &EvaluationInput) -> Result<Evaluation> {
        let n = input.labels.len();
        let k = input.class_names.len();
        let per_row = if k == 2 { 1 } else { k };
        if n == 0 || input.probabilities.len() != n * per_row {
            return Err(Error::Data(format!(
                "evaluation: need one outcome per prediction and at least one row; got {} \
                 probabilities for {n} rows",
                input.probabilities.len()
            )));
        }
        let importance = importance_rows(&input.importance.0);
        if k != 2 {
            return Self::build_multiclass(input, importance);
        }
        let default_scoring = Scoring::default();
        let scoring = input.scoring.unwrap_or(&default_scoring);
        let raw = input.probabilities;
        let y: Vec<bool> = input.labels.iter().map(|&l| l == 1).collect();
        let positives = y.iter().filter(|&&v| v).count() as u64;
        let base_rate = positives as f64 / n as f64;
        let cal = scoring.calibrator.apply_all(raw);
        let reliability = metrics::reliability(&cal, &y, 10);
        let two_classes = positives > 0 && positives < n as u64;
        let metrics = EvaluationMetrics {
            auc: metrics::roc_auc(raw, &y, None).ok(),
            pr_auc: metrics::pr_auc(raw, &y, None).ok(),
            log_loss: metrics::log_loss(raw, &y, None).ok(),
            brier: metrics::brier(raw, &y, None).ok(),
            ece: Some(reliability.ece),
            accuracy: None,
            macro_f1: None,
        };
        let table = ThresholdTable::new(&cal, &y);
        let thresholds = table.grid();
        let at = table.at(scoring.threshold);
        let threshold = Some(ThresholdInfo {
            threshold: scoring.threshold,
            rule: input.rule,
            words: rule_words(input.rule, &at, n as u64, input.kind),
            at,
        });
        let tiers = tier_rows(&scoring.tiers, &cal, &y);
        let baselines = if two_classes {
            match input.points {
                Some(points) => baseline::compare(raw, points, &y)?,
                None => {
                    let mut rows = baseline::compare(raw, raw, &y)?;
                    rows.retain(|r| r.name != "points");
                    rows
                }
            }
        } else {
            Vec::new()
        };
        let segments = input.segments.as_ref().map(|(name, values)| Segments {
            column: name.to_string(),
            rows: crate::report::segment_rows(values, &cal, &y, &scoring.tiers),
        });
        Ok(Evaluation {
            rows: EvaluatedRows {
                kind: input.kind,
                rows: n as u64,
                positives: Some(positives),
                base_rate: Some(base_rate),
                description: input.description.clone(),
                train_rows: input.train_rows,
                leads_per_day: input.leads_per_day,
            },
            class_names: input.class_names.to_vec(),
            positive_class: input.class_names.get(1).cloned(),
            metrics,
            threshold,
            thresholds,
            roc: if two_classes {
                roc_curve(raw, &y)
            } else {
                Vec::new()
            },
            pr: if two_classes {
                pr_curve(raw, &y)
            } else {
                Vec::new()
            },
            gains: metrics::gains(&cal, &y, 10),
            reliability: reliability.bins,
            calibration: scoring.calibration_report.clone(),
            tiers,
            baselines,
            importance,
            importance_rows: input.importance.1,
            percentiles: percentiles(&cal),
            segments,
            multiclass: None,
        })
    }

    fn build_multiclass(input: &EvaluationInput, importance: Vec<ImportanceRow>) -> Result<Self> {
        let names = input.class_names;
        let k = names.len();
        let probs = input.probabilities;
        let labels = input.labels;
        let e = metrics::multiclass_evaluation(probs, names, labels)?;
        let per_auc = metrics::per_class_auc(probs, k, labels).unwrap_or_else(|_| vec![None; k]);
        let macro_auc = {
            let v: Vec<f64> = per_auc.iter().flatten().copied().collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        let name = |c: u32| names.get(c as usize).cloned().unwrap_or_default();
        let per_class = e
            .per_class
            .iter()
            .map(|c| ClassRow {
                class: name(c.class),
                support: c.support,
                predicted: c.predicted,
                precision: c.precision,
                recall: c.recall,
                f1: c.f1,
                auc: per_auc.get(c.class as usize).copied().flatten(),
            })
            .collect();
        let baseline = |label: &str, b: &metrics::MulticlassBaseline| MulticlassBaselineRow {
            name: label.into(),
            accuracy: b.accuracy,
            macro_f1: b.macro_f1,
            log_loss: b.log_loss,
            class: b.class.map(name),
        };
        let n = labels.len() as u64;
        Ok(Evaluation {
            rows: EvaluatedRows {
                kind: input.kind,
                rows: n,
                positives: None,
                base_rate: None,
                description: input.description.clone(),
                train_rows: input.train_rows,
                leads_per_day: input.leads_per_day,
            },
            class_names: names.to_vec(),
            positive_class: None,
            metrics: EvaluationMetrics {
                auc: macro_auc,
                log_loss: Some(e.log_loss),
                accuracy: Some(e.accuracy),
                macro_f1: Some(e.macro_f1),
                ..EvaluationMetrics::default()
            },
            threshold: None,
            thresholds: Vec::new(),
            roc: Vec::new(),
            pr: Vec::new(),
            gains: Vec::new(),
            reliability: Vec::new(),
            calibration: None,
            tiers: Vec::new(),
            baselines: Vec::new(),
            importance,
            importance_rows: input.importance.1,
            percentiles: Vec::new(),
            segments: None,
            multiclass: Some(MulticlassSummary {
                order: e.order.iter().map(|&c| name(c)).collect(),
                per_class,
                confusion: e
                    .confusion
                    .counts
                    .chunks(k.max(1))
                    .map(<[u64]>::to_vec)
                    .collect(),
                baselines: vec![
                    baseline("majority", &e.majority),
                    baseline("prior", &e.prior),
                ],
            }),
        })
    }

    /// The percentile (0..=100) of calibrated probability `p` among the evaluation rows: the
    /// share of the 101 stored percentiles below `p`, in percent (±1 point). `None` without
    /// percentiles (multi-class).
    pub fn percentile_of(&self, p: f64) -> Option<f64> {
        if self.percentiles.is_empty() {
            return None;
        }
        let below = self.percentiles.iter().filter(|&&q| q < p).count();
        Some(100.0 * below as f64 / self.percentiles.len() as f64)
    }

    /// The threshold row at calibrated probability `t`, from the stored table (the first row
    /// whose threshold is ≤ `t`, i.e. the leads a threshold of `t` calls on the stored grid).
    pub fn row_at(&self, t: f64) -> Option<&ThresholdRow> {
        self.thresholds.iter().find(|r| r.threshold <= t)
    }
}

/// The calibrated probabilities sorted high to low with prefix counts of positives: every
/// threshold's figures in O(log n).
struct ThresholdTable {
    desc: Vec<f64>,
    /// `tp[i]` = positives among the `i` best rows.
    tp: Vec<u64>,
    positives: u64,
}

impl ThresholdTable {
    fn new(cal: &[f64], y: &[bool]) -> Self {
        let mut order: Vec<usize> = (0..cal.len()).collect();
        order.sort_by(|&a, &b| cal[b].total_cmp(&cal[a]));
        let mut tp = Vec::with_capacity(cal.len() + 1);
        tp.push(0);
        let mut acc = 0;
        for &i in &order {
            acc += y[i] as u64;
            tp.push(acc);
        }
        ThresholdTable {
            desc: order.iter().map(|&i| cal[i]).collect(),
            tp,
            positives: acc,
        }
    }

    fn at(&self, t: f64) -> ThresholdRow {
        let leads = self.desc.partition_point(|&p| p >= t);
        row(
            t,
            leads as u64,
            self.tp[leads],
            self.positives,
            self.desc.len() as u64,
        )
    }

    /// A 0.01 grid merged with the probability of the lead at each 1 % of the ranking, high to
    /// low, without duplicates.
    fn grid(&self) -> Vec<ThresholdRow> {
        let n = self.desc.len();
        let mut ts: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
        for q in 1..=100usize {
            let idx = (q * n).div_ceil(100).clamp(1, n) - 1;
            ts.push(self.desc[idx]);
        }
        ts.sort_by(|a, b| b.total_cmp(a));
        ts.dedup();
        ts.into_iter().map(|t| self.at(t)).collect()
    }
}

fn row(threshold: f64, leads: u64, tp: u64, positives: u64, n: u64) -> ThresholdRow {
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, leads);
    let base = ratio(positives, n);
    ThresholdRow {
        threshold,
        leads,
        share: ratio(leads, n),
        true_positives: tp,
        precision,
        recall: ratio(tp, positives),
        f1: ratio(2 * tp, leads + positives),
        lift: if base > 0.0 { precision / base } else { 0.0 },
    }
}

fn rule_words(rule: RuleName, at: &ThresholdRow, n: u64, kind: RowsKind) -> String {
    let rows = match kind {
        RowsKind::ThisFile => format!("{} rows of this file", thousands(n)),
        RowsKind::OutOfFold => format!("{} out-of-fold rows", thousands(n)),
        RowsKind::OutOfBag => format!("{} out-of-bag rows", thousands(n)),
        RowsKind::HeldOut | RowsKind::Latest => format!("{} held-out rows", thousands(n)),
    };
    let calls = format!(
        "{} of {} leads ({:.1} %) at or above it",
        thousands(at.leads),
        thousands(n),
        100.0 * at.share
    );
    match rule {
        RuleName::MaxF1 => format!("the best F1 on the {rows} at training; {calls}"),
        RuleName::Fixed => format!("a fixed probability {:.2}; {calls}", at.threshold),
        RuleName::PrecisionFirst => {
            format!("the lowest threshold reaching the precision target; {calls}")
        }
        RuleName::Capacity => format!("the team's capacity; {calls}"),
    }
}

fn tier_rows(tiers: &super::tiers::Tiers, cal: &[f64], y: &[bool]) -> Vec<TierRow> {
    let mut out: Vec<TierRow> = tiers
        .tiers
        .iter()
        .map(|t| TierRow {
            name: t.name.clone(),
            action: t.action.clone(),
            min_probability: t.min_probability,
            leads: 0,
            positives: 0,
            conversion: 0.0,
        })
        .collect();
    for (&p, &v) in cal.iter().zip(y) {
        if let Some(t) = out.get_mut(tiers.index_of(p)) {
            t.leads += 1;
            t.positives += v as u64;
        }
    }
    for t in &mut out {
        t.conversion = if t.leads == 0 {
            0.0
        } else {
            t.positives as f64 / t.leads as f64
        };
    }
    out
}

/// Tier lines of `tiers` on calibrated probabilities and outcomes (for plans).
pub fn tier_lines(tiers: &super::tiers::Tiers, cal: &[f64], y: &[bool]) -> Vec<TierRow> {
    tier_rows(tiers, cal, y)
}

fn importance_rows(imp: &[(String, f64)]) -> Vec<ImportanceRow> {
    let total: f64 = imp.iter().map(|(_, v)| v).sum();
    imp.iter()
        .map(|(c, v)| ImportanceRow {
            column: c.clone(),
            importance: *v,
            share: if total > 0.0 { v / total } else { 0.0 },
        })
        .collect()
}

/// Calibrated probability at each percentile 0..=100 (nearest rank).
fn percentiles(cal: &[f64]) -> Vec<f64> {
    let mut s = cal.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return Vec::new();
    }
    (0..PERCENTILES)
        .map(|q| s[((q * (n - 1)) as f64 / 100.0).round() as usize])
        .collect()
}

/// Walks the rows from the highest probability down, emitting a point at the end of each run
/// of ties, at most [`MAX_CURVE_POINTS`] of them (plus the last).
fn sweep(p: &[f64], y: &[bool], mut point: impl FnMut(f64, f64) -> CurvePoint) -> Vec<CurvePoint> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let step = (order.len() / MAX_CURVE_POINTS).max(1);
    let mut out = Vec::new();
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut since = step;
    for (k, &i) in order.iter().enumerate() {
        if y[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        since += 1;
        let tie_ends = order.get(k + 1).is_none_or(|&j| p[j] != p[i]);
        if tie_ends && (since >= step || k + 1 == order.len()) {
            out.push(point(tp, fp));
            since = 0;
        }
    }
    out
}

/// ROC points (false-positive rate, true-positive rate) from (0, 0) to (1, 1).
pub fn roc_curve(p: &[f64], y: &[bool]) -> Vec<CurvePoint> {
    let pos = y.iter().filter(|&&v| v).count().max(1) as f64;
    let neg = (y.len() as f64 - y.iter().filter(|&&v| v).count() as f64).max(1.0);
    let mut out = vec![CurvePoint { x: 0.0, y: 0.0 }];
    out.extend(sweep(p, y, |tp, fp| CurvePoint {
        x: fp / neg,
        y: tp / pos,
    }));
    out
}

/// Precision-recall points (recall, precision), from the best-scored leads down.
pub fn pr_curve(p: &[f64], y: &[bool]) -> Vec<CurvePoint> {
    let pos = y.iter().filter(|&&v| v).count().max(1) as f64;
    sweep(p, y, |tp, fp| CurvePoint {
        x: tp / pos,
        y: tp / (tp + fp),
    })
}

/// Days from 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian).
fn days(iso: &str) -> Option<i64> {
    let mut it = iso.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Leads per day of `rows` rows dated from `first` to `last` (ISO dates), when they span more
/// than one day.
pub fn leads_per_day(rows: u64, first: Option<&str>, last: Option<&str>) -> Option<f64> {
    let span = days(last?)? - days(first?)? + 1;
    (span > 1).then(|| rows as f64 / span as f64)
}

/// Points baseline with two-fold cross-fitting (see [`baseline::points_cross_fitted`]).
pub fn points(columns: &[Vec<f64>], categorical: &[bool], labels: &[bool]) -> Option<Vec<f64>> {
    baseline::points_cross_fitted(columns, categorical, labels)
}

/// Options of [`super::Model::evaluate_table`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvaluateOptions {
    /// The target column (default: the one the model records).
    pub target: Option<String>,
    /// A column to break the figures down by.
    pub segment: Option<String>,
}

impl super::Model {
    /// The evaluation report of this model on a labelled table ("this file"): scored through
    /// [`super::Model::score_table`], rows without a known outcome left out.
    ///
    /// # Errors
    /// `Error::Data` when the table lacks the target (or segment) column, no row has a known
    /// outcome, or the table has none of the model's columns.
    pub fn evaluate_table(
        &self,
        table: &crate::data::Table,
        options: &EvaluateOptions,
    ) -> Result<Evaluation> {
        let scores = self.score_table(table)?;
        let labels = match options.target.as_deref().filter(|t| *t != self.info.target) {
            Some(t) => {
                let mut probe = super::Model::new(super::ModelParts {
                    kind: self.kind,
                    features: Vec::new(),
                    pipeline: Default::default(),
                    class_names: self.class_names.clone(),
                    base_score: Vec::new(),
                    trees: Vec::new(),
                    info: Default::default(),
                });
                probe.info.target = t.to_string();
                probe.labels_from_table(table)?
            }
            None => self.labels_from_table(table)?,
        };
        let keep: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
        if keep.is_empty() {
            return Err(Error::Data(format!(
                "no row has a known value in the target column `{}` (classes: {})",
                options.target.as_deref().unwrap_or(&self.info.target),
                self.class_names.join(", ")
            )));
        }
        let k = self.n_outputs();
        let y: Vec<u32> = keep.iter().filter_map(|&i| labels[i]).collect();
        let probs: Vec<f64> = keep
            .iter()
            .flat_map(|&i| scores.probabilities[i * k..(i + 1) * k].iter().copied())
            .collect();
        let encoded = self.pipeline.encode_table(table)?.columns;
        let columns: Vec<Vec<f64>> = encoded
            .iter()
            .map(|c| keep.iter().map(|&i| c[i]).collect())
            .collect();
        let points = if self.n_outputs() == 1 {
            let categorical: Vec<bool> = self
                .features
                .iter()
                .map(|f| matches!(f.kind, crate::data::FeatureKind::Categorical { .. }))
                .collect();
            let yb: Vec<bool> = y.iter().map(|&l| l == 1).collect();
            points(&columns, &categorical, &yb)
        } else {
            None
        };
        let segments = match &options.segment {
            Some(name) => {
                let col = table.column(name).ok_or_else(|| {
                    Error::Data(format!(
                        "the data has no column `{name}` to break down by; its columns are {}",
                        table.names().join(", ")
                    ))
                })?;
                Some((
                    name.as_str(),
                    keep.iter()
                        .map(|&i| col.text(i).map(str::to_string))
                        .collect(),
                ))
            }
            None => None,
        };
        let skipped = labels.len() - keep.len();
        let mut description = format!("{} labelled rows of this file", thousands(y.len() as u64));
        if skipped > 0 {
            description.push_str(&format!(
                " ({} rows without a known outcome left out)",
                thousands(skipped as u64)
            ));
        }
        let rule = self
            .evaluation
            .as_ref()
            .and_then(|e| e.threshold.as_ref())
            .map_or(RuleName::Fixed, |t| t.rule);
        Evaluation::build(&EvaluationInput {
            kind: RowsKind::ThisFile,
            description,
            train_rows: None,
            leads_per_day: None,
            class_names: &self.class_names,
            probabilities: &probs,
            labels: &y,
            scoring: self.scoring.as_ref(),
            rule,
            importance: importance(self, &columns, keep.len())?,
            points: points.as_deref(),
            segments,
        })
    }
}

/// Importance per CSV column: mean |TreeSHAP| of the binary output over an evenly spaced sample of
/// at most [`IMPORTANCE_ROWS`] of `n` rows given as feature columns
/// (multi-class: none). Returns the importance and the rows it was averaged over.
pub fn importance(
    model: &super::Model,
    columns: &[Vec<f64>],
    n: usize,
) -> Result<(Vec<(String, f64)>, u64)> {
    if model.n_outputs() != 1 || n == 0 {
        return Ok((Vec::new(), 0));
    }
    let step = n.div_ceil(IMPORTANCE_ROWS).max(1);
    let nf = model.features.len();
    let mut ex = crate::explain::Explainer::new(&model.trees, &model.base_score, nf)?;
    let mut all = Vec::new();
    let mut row = vec![0.0; nf];
    let mut phi = Vec::new();
    let mut rows = 0u64;
    for r in (0..n).step_by(step) {
        for (slot, c) in row.iter_mut().zip(columns) {
            *slot = c[r];
        }
        ex.explain_into(&row, 0, &mut phi);
        all.extend_from_slice(&phi);
        rows += 1;
    }
    Ok((crate::explain::importance(&all, &model.pipeline), rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scoring::ScoringOptions;
    use crate::rng::Rng;

    fn data(n: usize, seed: u64) -> (Vec<f64>, Vec<u32>) {
        let mut rng = Rng::new(seed);
        (0..n)
            .map(|_| {
                let p = rng.next_f64();
                (p, (rng.next_f64() < p * 0.6) as u32)
            })
            .unzip()
    }

    fn input<'a>(
        p: &'a [f64],
        l: &'a [u32],
        names: &'a [String],
        s: &'a Scoring,
    ) -> EvaluationInput<'a> {
        EvaluationInput {
            kind: RowsKind::HeldOut,
            description: "test rows".into(),
            train_rows: Some(4000),
            leads_per_day: None,
            class_names: names,
            probabilities: p,
            labels: l,
            scoring: Some(s),
            rule: RuleName::MaxF1,
            importance: (vec![("a".into(), 3.0), ("b".into(), 1.0)], 10),
            points: None,
            segments: None,
        }
    }

    #[test]
    fn figures_equal_the_metrics_module_on_the_same_rows() {
        let (p, l) = data(1000, 1);
        let y: Vec<bool> = l.iter().map(|&v| v == 1).collect();
        let names = vec!["no".to_string(), "yes".to_string()];
        let s = Scoring::fit(&p, &y, &ScoringOptions::default()).unwrap();
        let e = Evaluation::build(&input(&p, &l, &names, &s)).unwrap();
        assert_eq!(e.metrics.auc, Some(metrics::roc_auc(&p, &y, None).unwrap()));
        assert_eq!(
            e.metrics.pr_auc,
            Some(metrics::pr_auc(&p, &y, None).unwrap())
        );
        assert_eq!(
            e.metrics.log_loss,
            Some(metrics::log_loss(&p, &y, None).unwrap())
        );
        assert_eq!(e.metrics.brier, Some(metrics::brier(&p, &y, None).unwrap()));
        let cal = s.calibrator.apply_all(&p);
        assert_eq!(e.metrics.ece, Some(metrics::ece(&cal, &y)));
        assert_eq!(e.gains, metrics::gains(&cal, &y, 10));
        assert_eq!(e.rows.rows, 1000);
        assert_eq!(
            e.rows.positives,
            Some(y.iter().filter(|&&v| v).count() as u64)
        );
        // Every threshold row equals the metrics module's confusion at that threshold.
        assert!(e.thresholds.len() >= 101 && e.thresholds.len() <= 201);
        for r in &e.thresholds {
            let m = metrics::ThresholdMetrics::at(&cal, &y, r.threshold);
            assert_eq!(r.leads, m.confusion.tp + m.confusion.fp);
            assert_eq!(r.true_positives, m.confusion.tp);
            assert!((r.precision - m.precision).abs() < 1e-12);
            assert!((r.recall - m.recall).abs() < 1e-12);
            assert!((r.f1 - m.f1).abs() < 1e-12, "{r:?} {m:?}");
        }
        assert!(e
            .thresholds
            .windows(2)
            .all(|w| w[0].threshold > w[1].threshold));
        let t = e.threshold.as_ref().unwrap();
        assert_eq!(t.threshold, s.threshold);
        assert_eq!(t.rule, RuleName::MaxF1);
        assert_eq!(e.tiers.iter().map(|t| t.leads).sum::<u64>(), 1000);
        assert_eq!(e.roc.first(), Some(&CurvePoint { x: 0.0, y: 0.0 }));
        assert_eq!(e.roc.last(), Some(&CurvePoint { x: 1.0, y: 1.0 }));
        assert!(e.roc.len() <= MAX_CURVE_POINTS + 2 && e.pr.len() <= MAX_CURVE_POINTS + 1);
        assert_eq!(e.percentiles.len(), 101);
        assert_eq!(e.percentile_of(-1.0), Some(0.0));
        assert_eq!(e.percentile_of(2.0), Some(100.0));
        assert_eq!(e.importance[0].share, 0.75);
        assert_eq!(e.baselines.len(), 2);
        // JSON round trip (the file section).
        let back: Evaluation = serde_json::from_slice(&serde_json::to_vec(&e).unwrap()).unwrap();
        assert!(
            back == e,
            "the JSON section must give the report back exactly"
        );
    }

    #[test]
    fn multiclass_and_bad_input() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let p = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.5, 0.3, 0.2];
        let l = [0, 1, 2, 1];
        let s = Scoring::default();
        let e = Evaluation::build(&input(&p, &l, &names, &s)).unwrap();
        let m = e.multiclass.as_ref().unwrap();
        assert_eq!(e.metrics.accuracy, Some(0.75));
        assert_eq!(
            m.confusion,
            vec![vec![1, 0, 0], vec![1, 1, 0], vec![0, 0, 1]]
        );
        assert!(e.threshold.is_none() && e.tiers.is_empty());
        assert!(Evaluation::build(&input(&p[..5], &l, &names, &s)).is_err());
    }

    #[test]
    fn dates_and_leads_per_day() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2024-03-01").unwrap() - days("2024-02-28").unwrap(), 2);
        assert_eq!(
            leads_per_day(100, Some("2024-01-01"), Some("2024-01-10")),
            Some(10.0)
        );
        assert_eq!(
            leads_per_day(100, Some("2024-01-01"), Some("2024-01-01")),
            None
        );
        assert_eq!(leads_per_day(100, Some("row 5"), Some("row 9")), None);
    }
}

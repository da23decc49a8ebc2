//! Validation: which rows measure a model (random holdout, time-ordered split, k-fold cross
//! validation) and the [`ValidationReport`] stored with it (the model file's `validation` section).
//!
//! - **Holdout**: a stratified random `fraction` of the rows (per class, seeded).
//! - **Time**: the latest `fraction` of the rows by the dataset's time key (its lead-creation
//!   date), or by file order when the rows are declared to be in time order: train on the past,
//!   test on the future.
//! - **K-fold**: every row is tested once by a model trained on the other `folds − 1` folds
//!   (stratified, seeded); the report gives each fold's figures (measured on that fold's rows) and
//!   their mean ± sample sd across folds. The final model is trained exactly as with `Auto`, so
//!   k-fold changes the report, never the model. Each fold's model is trained the way the final
//!   one is: with early stopping, boosting stops on held-out rows taken from the fold's own
//!   training rows (the same kind of split as the final model's: their latest or a stratified
//!   random `fraction`), then is refit on all of the fold's training rows with the round count
//!   it chose — never the final model's count, which was chosen with the fold's test rows in view.
//! - A time-ordered split whose training or test rows hold a single outcome cannot measure a
//!   model: an error when `Time` was asked for, else (`Auto`, k-fold's early-stopping split) a
//!   stratified random holdout with a note (see `plan`).
//! - **Auto**: time-ordered when there is a time key, else holdout (forests: out-of-bag).

use super::config::{Algorithm, TrainConfig};
use crate::data::parse::iso_date;
use crate::data::Dataset;
use crate::limits::thousands;
use crate::rng::Rng;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// How a model is validated (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Validation {
    /// Time-ordered when the data has a time key, else a random holdout (forests: out-of-bag).
    #[default]
    Auto,
    /// A stratified random holdout of `validation_fraction` of the rows.
    Holdout,
    /// The latest `validation_fraction` of the rows by time (an error without a time key).
    Time,
    /// Stratified k-fold cross validation with `folds` folds, then the final model on all rows.
    KFold,
}

impl Validation {
    /// The mode's name as the CLI and the JS API spell it (`auto`, `holdout`, `time`, `kfold`).
    pub fn name(self) -> &'static str {
        match self {
            Validation::Auto => "auto",
            Validation::Holdout => "holdout",
            Validation::Time => "time",
            Validation::KFold => "kfold",
        }
    }

    /// Reads a mode name (case-insensitive; `k-fold` and `cv` also accepted).
    ///
    /// # Errors
    /// `Error::Config` naming the accepted values.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Validation::Auto),
            "holdout" | "random" => Ok(Validation::Holdout),
            "time" | "time-ordered" | "temporal" => Ok(Validation::Time),
            "kfold" | "k-fold" | "cv" => Ok(Validation::KFold),
            other => Err(Error::Config {
                field: "validation",
                expected: "auto, holdout, time or kfold".into(),
                given: other.into(),
            }),
        }
    }
}

/// Which split measured the model (what `Auto` resolved to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SplitMode {
    /// No held-out rows (early stopping off): no validation figures.
    None,
    /// A stratified random holdout.
    Holdout,
    /// Train on the past, test on the future.
    Time,
    /// K-fold cross validation.
    #[serde(rename = "kfold")]
    KFold,
    /// Forests: each row scored by the trees that did not see it.
    OutOfBag,
}

impl SplitMode {
    /// The mode's name (`none`, `holdout`, `time`, `kfold`, `out-of-bag`).
    pub fn name(self) -> &'static str {
        match self {
            SplitMode::None => "none",
            SplitMode::Holdout => "holdout",
            SplitMode::Time => "time",
            SplitMode::KFold => "kfold",
            SplitMode::OutOfBag => "out-of-bag",
        }
    }
}

/// Figures measured on one set of test rows (binary: AUC, PR-AUC, log loss, Brier; multi-class:
/// accuracy, macro-F1). `None` when a figure cannot be computed (e.g. one class in the rows).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FoldMetrics {
    /// Rows the model was trained on.
    pub train_rows: u64,
    /// Rows it was tested on.
    pub test_rows: u64,
    /// ROC AUC, in [0, 1].
    pub auc: Option<f64>,
    /// Average precision (area under the precision-recall curve), in [0, 1].
    pub pr_auc: Option<f64>,
    /// Mean log loss (nats), ≥ 0.
    pub log_loss: Option<f64>,
    /// Brier score (mean squared error of the probability), in [0, 1].
    pub brier: Option<f64>,
    /// Multi-class: share of rows whose most likely class is right, in [0, 1].
    pub accuracy: Option<f64>,
    /// Multi-class: unweighted mean of the per-class F1, in [0, 1].
    pub macro_f1: Option<f64>,
}

/// How a model was validated: stored in the model file (`validation` section, optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// The mode asked for.
    pub requested: Validation,
    /// The split that was used.
    pub mode: SplitMode,
    /// Test fraction asked for (holdout and time splits), in (0, 0.5].
    pub fraction: f64,
    /// Time splits: the date column that ordered the rows (`None` = file row order).
    pub time_column: Option<String>,
    /// Time splits: the last training row's date (ISO `YYYY-MM-DD`), or `row N` (1-based data
    /// row) when ordered by file order.
    pub train_end: Option<String>,
    /// Time splits: the first test row's date or row.
    pub test_start: Option<String>,
    /// Time splits: the last test row's date or row.
    pub test_end: Option<String>,
    /// Rows the validation model was trained on (k-fold: all rows, each fold trains on the others).
    pub train_rows: u64,
    /// Rows the figures were measured on (k-fold: all rows, each tested once).
    pub test_rows: u64,
    /// The figures: on the test rows, or the mean over the folds.
    pub metrics: FoldMetrics,
    /// K-fold: the standard deviation of each figure across the per-fold figures (sample sd,
    /// n − 1; the spread between folds, not a standard error); `None` inside when fewer than two
    /// folds have the figure.
    pub sd: Option<FoldMetrics>,
    /// K-fold: each fold's figures, in fold order.
    pub folds: Vec<FoldMetrics>,
}

impl ValidationReport {
    /// One plain-words line: which split was used and its main figure.
    pub fn summary(&self) -> String {
        let n = |x: u64| thousands(x);
        let split = match self.mode {
            SplitMode::None => "no held-out rows (early stopping off): no validation".to_string(),
            SplitMode::OutOfBag => format!(
                "out-of-bag: each of {} rows scored by the trees that did not see it",
                n(self.test_rows)
            ),
            SplitMode::Holdout => format!(
                "random holdout (stratified): trained on {} rows, tested on {} held-out rows",
                n(self.train_rows),
                n(self.test_rows)
            ),
            SplitMode::Time => {
                let by = match &self.time_column {
                    Some(c) => format!("`{c}`"),
                    None => "row order (rows declared in time order)".into(),
                };
                format!(
                    "time-ordered split on {by}: trained on {} rows up to {}, tested on the {} latest rows ({} to {})",
                    n(self.train_rows),
                    self.train_end.as_deref().unwrap_or("?"),
                    n(self.test_rows),
                    self.test_start.as_deref().unwrap_or("?"),
                    self.test_end.as_deref().unwrap_or("?"),
                )
            }
            SplitMode::KFold => format!(
                "{}-fold cross validation (stratified): every one of {} rows tested once by a model \
                 trained like the final one on the other folds (boosting: early-stopped on its own \
                 held-out rows when early stopping is on); final model trained on all rows",
                self.folds.len(),
                n(self.test_rows)
            ),
        };
        let k = self.folds.len();
        let figure = |name: &str, v: Option<f64>, sd: Option<f64>, of: fn(&FoldMetrics) -> bool| {
            let with = self.folds.iter().filter(|f| of(f)).count();
            let over = if with == k {
                format!("{k} folds")
            } else {
                format!("the {with} of {k} folds that have it")
            };
            match (v, sd) {
                (Some(v), Some(s)) => Some(format!(
                    "{name} {v:.3} ± {s:.3} over {over} (mean ± sd of the per-fold figures)"
                )),
                (Some(v), None) if self.mode == SplitMode::KFold => {
                    Some(format!("{name} {v:.3} (from {over})"))
                }
                (Some(v), None) => Some(format!("{name} {v:.3}")),
                _ => None,
            }
        };
        let sd = self.sd.as_ref();
        let main = figure("AUC", self.metrics.auc, sd.and_then(|s| s.auc), |f| {
            f.auc.is_some()
        })
        .or_else(|| {
            figure(
                "accuracy",
                self.metrics.accuracy,
                sd.and_then(|s| s.accuracy),
                |f| f.accuracy.is_some(),
            )
        });
        match main {
            Some(m) => format!("{split}; {m}"),
            None => split,
        }
    }
}

/// What the split plan needs to know about time.
pub(crate) struct TimeOrder<'a> {
    /// One sortable time per row (NaN = unknown), or `None` = file order.
    pub key: Option<&'a [f64]>,
    /// The date column's name (when known).
    pub column: Option<String>,
}

/// The time order of `data`: its time key, else file order when the rows are declared to be in
/// time order, else `None`.
pub(crate) fn time_order(data: &Dataset, rows_in_time_order: bool) -> Option<TimeOrder<'_>> {
    match &data.time_key {
        Some(t) if t.len() == data.n_rows() => Some(TimeOrder {
            key: Some(t),
            column: time_column_name(data),
        }),
        _ if rows_in_time_order => Some(TimeOrder {
            key: None,
            column: None,
        }),
        _ => None,
    }
}

/// The date column named by the dataset's note "rows are ordered in time by `X`" (see
/// `data::build`); the dataset holds only the key.
fn time_column_name(data: &Dataset) -> Option<String> {
    data.notes.iter().find_map(|n| {
        let rest = n.strip_prefix("rows are ordered in time by `")?;
        Some(rest.strip_suffix('`').unwrap_or(rest).to_string())
    })
}

/// The rows that measure a model, and the report's description of them.
pub(crate) struct Plan {
    /// Training rows (sorted).
    pub train: Vec<u32>,
    /// Test rows (sorted); empty = none.
    pub test: Vec<u32>,
    /// The split used.
    pub mode: SplitMode,
    /// Time splits: column name and the boundary descriptions.
    pub time_column: Option<String>,
    /// Time splits: last train, first test, last test (dates or rows).
    pub bounds: [Option<String>; 3],
}

/// Splits all rows for `mode` (`Holdout` or `Time`; `time` must be `Some` for `Time`).
pub(crate) fn split(
    data: &Dataset,
    mode: SplitMode,
    time: Option<&TimeOrder>,
    fraction: f64,
    seed: u64,
) -> Plan {
    let all: Vec<u32> = (0..data.n_rows() as u32).collect();
    split_rows(
        data,
        &all,
        mode,
        time,
        fraction,
        Rng::new(seed).fork(0x5A11D),
    )
}

/// Splits `rows` (sorted row indices) for `mode`: the latest `fraction` of them by time, or a
/// stratified random `fraction` of each class (at least one row of every class with two or
/// more rows). A plan with no test rows (too few rows) has mode `None`.
pub(crate) fn split_rows(
    data: &Dataset,
    rows: &[u32],
    mode: SplitMode,
    time: Option<&TimeOrder>,
    fraction: f64,
    mut rng: Rng,
) -> Plan {
    let n = rows.len();
    let none = || Plan {
        train: rows.to_vec(),
        test: Vec::new(),
        mode: SplitMode::None,
        time_column: None,
        bounds: [None, None, None],
    };
    if n < 2 {
        return none();
    }
    let mut bounds = [None, None, None];
    let mut valid: Vec<u32> = Vec::new();
    match (mode, time) {
        (SplitMode::Time, Some(t)) => {
            let mut order: Vec<u32> = rows.to_vec();
            if let Some(k) = t.key {
                // Unknown times sort first (kept for training); ties by row order.
                let key = |r: u32| {
                    let x = k[r as usize];
                    if x.is_nan() {
                        f64::NEG_INFINITY
                    } else {
                        x
                    }
                };
                order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
            }
            let m = ((n as f64 * fraction).round() as usize).clamp(1, n - 1);
            valid.extend_from_slice(&order[n - m..]);
            let describe = |r: u32| match t.key {
                Some(k) => iso_date(k[r as usize]),
                None => format!("row {}", r as u64 + 1),
            };
            bounds = [
                Some(describe(order[n - m - 1])),
                Some(describe(order[n - m])),
                Some(describe(order[n - 1])),
            ];
        }
        _ => {
            for class in 0..data.class_names.len() as u32 {
                let mut of_class: Vec<u32> = rows
                    .iter()
                    .copied()
                    .filter(|&r| data.labels[r as usize] == class)
                    .collect();
                let len = of_class.len();
                let mut m = (len as f64 * fraction).round() as usize;
                if m == 0 && len >= 2 {
                    // A tiny class still gets one test row, so every class is measured.
                    m = 1;
                }
                let m = m.min(len);
                for i in 0..m {
                    let j = i + rng.below((len - i) as u64) as usize;
                    of_class.swap(i, j);
                }
                valid.extend_from_slice(&of_class[..m]);
            }
        }
    }
    valid.sort_unstable();
    let train: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|r| valid.binary_search(r).is_err())
        .collect();
    if train.is_empty() || valid.is_empty() {
        return none();
    }
    Plan {
        train,
        test: valid,
        mode,
        time_column: time
            .filter(|_| mode == SplitMode::Time)
            .and_then(|t| t.column.clone()),
        bounds,
    }
}

/// The split that measures the final model and stops boosting early, resolved from the
/// settings (see the module docs), and notes about it for the user (shown before training).
///
/// A time-ordered split whose training or test rows hold a single outcome cannot measure a
/// model: asked for explicitly (`Time`) it is an error naming the rows and what to do; chosen by
/// `Auto` (or as k-fold's early-stopping split) it is replaced by a stratified random holdout,
/// with a note saying so.
///
/// # Errors
/// `Error::Data` when time-ordered validation is asked for without a time order, or its rows
/// lack an outcome; or when any split's training or test rows hold a single outcome.
pub(crate) fn plan(
    data: &Dataset,
    c: &TrainConfig,
    time: Option<&TimeOrder>,
) -> Result<(Plan, Vec<String>)> {
    if c.validation == Validation::Time && time.is_none() {
        return Err(Error::Data(
            "time-ordered validation needs a date column (when each lead was created), and \
             the data has none: name one that holds dates, say the rows are already in time \
             order (CLI --rows-in-time-order, JS rowsInTimeOrder: true), or use holdout or kfold \
             validation"
                .into(),
        ));
    }
    let mode = match (c.validation, c.algorithm) {
        (Validation::Holdout, _) => SplitMode::Holdout,
        (Validation::Time, _) => SplitMode::Time,
        (_, Algorithm::RandomForest) => SplitMode::OutOfBag,
        (_, Algorithm::Gbt) if !c.early_stopping => SplitMode::None,
        (_, Algorithm::Gbt) if time.is_some() => SplitMode::Time,
        (_, Algorithm::Gbt) => SplitMode::Holdout,
    };
    let n = data.n_rows();
    let mut plan = match mode {
        SplitMode::Holdout | SplitMode::Time => {
            split(data, mode, time, c.validation_fraction, c.seed)
        }
        _ => Plan {
            train: (0..n as u32).collect(),
            test: Vec::new(),
            mode,
            time_column: None,
            bounds: [None, None, None],
        },
    };
    let mut notes = Vec::new();
    if plan.mode == SplitMode::Time {
        if let Some(problem) = single_outcome(data, &plan) {
            if c.validation == Validation::Time {
                return Err(Error::Data(format!(
                    "{problem}: a model cannot be measured on one outcome. Use a stratified \
                     random holdout instead (CLI --validation holdout, JS validation: \
                     'holdout'), a larger test fraction (CLI --test-fraction), or more data \
                     with both outcomes in the latest period"
                )));
            }
            plan = split(
                data,
                SplitMode::Holdout,
                None,
                c.validation_fraction,
                c.seed,
            );
            notes.push(format!(
                "{problem}: validating on a stratified random holdout of {} rows instead",
                thousands(plan.test.len() as u64)
            ));
        }
    }
    if !plan.test.is_empty() {
        if let Some(problem) = single_outcome(data, &plan) {
            return Err(Error::Data(format!(
                "{problem}: a model cannot be trained and measured this way; add rows of the \
                 missing outcome"
            )));
        }
    }
    Ok((plan, notes))
}

/// When the plan's training or test rows hold fewer than two outcomes: a sentence naming the
/// rows, their period and the outcome they lack (or the only one they have).
fn single_outcome(data: &Dataset, plan: &Plan) -> Option<String> {
    let k = data.class_names.len();
    let count = |rows: &[u32]| {
        let mut c = vec![0u64; k];
        for &r in rows {
            c[data.labels[r as usize] as usize] += 1;
        }
        c
    };
    let name = |i: usize| {
        let full = &data.class_names[i];
        match full.char_indices().nth(40) {
            Some((at, _)) => format!("`{}…`", &full[..at]),
            None => format!("`{full}`"),
        }
    };
    let lacking = |c: &[u64]| -> Option<String> {
        let present: Vec<usize> = (0..k).filter(|&i| c[i] > 0).collect();
        if present.len() >= 2 {
            return None;
        }
        let counts = present
            .iter()
            .map(|&i| format!("{} {}", thousands(c[i]), name(i)))
            .collect::<Vec<_>>()
            .join("");
        Some(if k == 2 {
            let missing = (0..k).find(|&i| c[i] == 0).unwrap_or(1);
            format!("contain no {} (only {counts})", name(missing))
        } else {
            format!("hold a single stage or class (only {counts})")
        })
    };
    let by = match &plan.time_column {
        Some(col) => format!(" by `{col}`"),
        None if plan.mode == SplitMode::Time => " in file order".into(),
        None => String::new(),
    };
    let [train_end, test_start, test_end] = &plan.bounds;
    let q = |s: &Option<String>| s.clone().unwrap_or_else(|| "?".into());
    let (test, train) = (count(&plan.test), count(&plan.train));
    if let Some(l) = lacking(&test) {
        return Some(match plan.mode {
            SplitMode::Time => format!(
                "the time-ordered split tests on the latest {} rows{by} ({} to {}), and they {l}",
                thousands(plan.test.len() as u64),
                q(test_start),
                q(test_end)
            ),
            _ => format!(
                "the {} held-out test rows {l}",
                thousands(plan.test.len() as u64)
            ),
        });
    }
    if let Some(l) = lacking(&train) {
        return Some(match plan.mode {
            SplitMode::Time => format!(
                "the time-ordered split trains on the {} earliest rows{by} (up to {}), and they {l}",
                thousands(plan.train.len() as u64),
                q(train_end)
            ),
            _ => format!(
                "the {} training rows left after the holdout {l}",
                thousands(plan.train.len() as u64)
            ),
        });
    }
    None
}

/// Stratified folds: each class's rows are shuffled (seeded) and dealt round-robin, continuing
/// across classes, so fold sizes differ by at most one row and each fold has every class in
/// proportion. Returns each fold's test rows, sorted.
///
/// # Errors
/// `Error::Config` for `folds` outside 2..=20, `Error::Data` with fewer than 2 rows per fold.
pub(crate) fn kfold(data: &Dataset, folds: u32, seed: u64) -> Result<Vec<Vec<u32>>> {
    check_folds(folds)?;
    let n = data.n_rows();
    if n < 2 * folds as usize {
        return Err(Error::Data(format!(
            "{n} rows are too few for {folds}-fold cross validation (at least {} needed): use fewer folds or a holdout",
            2 * folds
        )));
    }
    let mut rng = Rng::new(seed).fork(0xF01D5);
    let mut out = vec![Vec::new(); folds as usize];
    let mut next = 0usize;
    for class in 0..data.class_names.len() as u32 {
        let mut rows: Vec<u32> = (0..n as u32)
            .filter(|&r| data.labels[r as usize] == class)
            .collect();
        for i in (1..rows.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            rows.swap(i, j);
        }
        for r in rows {
            out[next].push(r);
            next = (next + 1) % folds as usize;
        }
    }
    for f in &mut out {
        f.sort_unstable();
    }
    Ok(out)
}

/// Checks a fold count.
///
/// # Errors
/// `Error::Config` outside 2..=20.
pub(crate) fn check_folds(folds: u32) -> Result<()> {
    if (2..=20).contains(&folds) {
        Ok(())
    } else {
        Err(Error::Config {
            field: "folds",
            expected: "2..=20 folds".into(),
            given: folds.to_string(),
        })
    }
}

/// The figures of predictions on test rows (probabilities as in `train::Holdout`).
pub(crate) fn measure(
    probabilities: &[f64],
    labels: &[u32],
    n_classes: usize,
    train_rows: u64,
) -> FoldMetrics {
    let mut m = FoldMetrics {
        train_rows,
        test_rows: labels.len() as u64,
        ..FoldMetrics::default()
    };
    if n_classes == 2 {
        let y: Vec<bool> = labels.iter().map(|&l| l == 1).collect();
        m.auc = crate::metrics::roc_auc(probabilities, &y, None).ok();
        m.pr_auc = crate::metrics::pr_auc(probabilities, &y, None).ok();
        if !y.is_empty() {
            // The crate's own `ln`, so the stored figures are the same on every target.
            let mut ll = 0.0;
            let mut br = 0.0;
            for (&p, &t) in probabilities.iter().zip(&y) {
                let q = p.clamp(1e-15, 1.0 - 1e-15);
                ll -= crate::model::math::ln(if t { q } else { 1.0 - q });
                let d = p - if t { 1.0 } else { 0.0 };
                br += d * d;
            }
            m.log_loss = Some(ll / y.len() as f64);
            m.brier = Some(br / y.len() as f64);
        }
    } else {
        m.accuracy = crate::metrics::multiclass_accuracy(probabilities, n_classes, labels).ok();
        m.macro_f1 = crate::metrics::macro_f1(probabilities, n_classes, labels).ok();
    }
    m
}

/// Mean and sample standard deviation (n − 1) of each figure over the per-fold figures (each
/// fold's figure is measured on that fold's test rows only; figures missing in some folds, e.g.
/// AUC of a fold with one outcome, are averaged over the folds that have them; the sd is `None`
/// when fewer than two folds have the figure). The sd is the spread of the fold figures, not a
/// standard error of the mean.
pub(crate) fn mean_sd(folds: &[FoldMetrics]) -> (FoldMetrics, FoldMetrics) {
    fn stat(values: Vec<f64>) -> (Option<f64>, Option<f64>) {
        if values.is_empty() {
            return (None, None);
        }
        let k = values.len() as f64;
        let mean = values.iter().sum::<f64>() / k;
        // One value has no spread to speak of: no sd rather than a misleading 0.
        let sd = (values.len() > 1).then(|| {
            (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0)).sqrt()
        });
        (Some(mean), sd)
    }
    let pick = |f: fn(&FoldMetrics) -> Option<f64>| stat(folds.iter().filter_map(f).collect());
    let (auc, auc_sd) = pick(|f| f.auc);
    let (pr_auc, pr_sd) = pick(|f| f.pr_auc);
    let (log_loss, ll_sd) = pick(|f| f.log_loss);
    let (brier, brier_sd) = pick(|f| f.brier);
    let (accuracy, acc_sd) = pick(|f| f.accuracy);
    let (macro_f1, f1_sd) = pick(|f| f.macro_f1);
    let k = folds.len().max(1) as u64;
    let train_rows = folds.iter().map(|f| f.train_rows).sum::<u64>() / k;
    let test_rows = folds.iter().map(|f| f.test_rows).sum::<u64>() / k;
    (
        FoldMetrics {
            train_rows,
            test_rows,
            auc,
            pr_auc,
            log_loss,
            brier,
            accuracy,
            macro_f1,
        },
        FoldMetrics {
            train_rows: 0,
            test_rows: 0,
            auc: auc_sd,
            pr_auc: pr_sd,
            log_loss: ll_sd,
            brier: brier_sd,
            accuracy: acc_sd,
            macro_f1: f1_sd,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_bad_names_are_named() {
        assert_eq!(Validation::parse("KFold").unwrap(), Validation::KFold);
        assert_eq!(Validation::parse("time").unwrap(), Validation::Time);
        let e = Validation::parse("random-ish").unwrap_err().to_string();
        assert!(e.contains("validation") && e.contains("kfold"), "{e}");
    }

    #[test]
    fn folds_are_a_stratified_partition_of_near_equal_size() {
        let data = crate::train::toy_dataset(503, 3);
        let folds = kfold(&data, 5, 9).unwrap();
        let mut all: Vec<u32> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(
            all,
            (0..503).collect::<Vec<u32>>(),
            "every row in exactly one fold"
        );
        let sizes: Vec<usize> = folds.iter().map(Vec::len).collect();
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
            "{sizes:?}"
        );
        let pos = data.labels.iter().filter(|&&y| y == 1).count();
        for f in &folds {
            let p = f.iter().filter(|&&r| data.labels[r as usize] == 1).count();
            // Positives are dealt round-robin: each fold has pos/5 of them, ± 1.
            assert!((p as f64 - pos as f64 / 5.0).abs() <= 1.0, "{p} of {pos}");
        }
        assert_eq!(folds, kfold(&data, 5, 9).unwrap(), "seeded");
        assert_ne!(folds, kfold(&data, 5, 10).unwrap(), "the seed matters");
    }

    #[test]
    fn fold_counts_out_of_range_are_errors() {
        let data = crate::train::toy_dataset(100, 3);
        for k in [0, 1, 21] {
            let e = kfold(&data, k, 1).unwrap_err().to_string();
            assert!(e.contains("folds") && e.contains("2..=20"), "{e}");
        }
        let small = crate::train::toy_dataset(10, 3);
        let e = kfold(&small, 6, 1).unwrap_err().to_string();
        assert!(e.contains("too few"), "{e}");
    }

    #[test]
    fn time_split_tests_the_latest_rows() {
        let mut data = crate::train::toy_dataset(200, 5);
        // Times descending with the row index, one unknown: the latest rows are the first ones.
        let mut key: Vec<f64> = (0..200).map(|r| 20_000.0 - r as f64).collect();
        key[0] = f64::NAN;
        data.time_key = Some(key);
        data.notes
            .push("rows are ordered in time by `created`".into());
        let t = time_order(&data, false).unwrap();
        assert_eq!(t.column.as_deref(), Some("created"));
        let p = split(&data, SplitMode::Time, Some(&t), 0.2, 1);
        assert_eq!(p.mode, SplitMode::Time);
        assert_eq!(p.test, (1..41).collect::<Vec<u32>>(), "the 40 latest rows");
        assert!(!p.test.contains(&0), "an unknown date trains");
        assert_eq!(
            p.bounds[0].as_deref(),
            Some(iso_date(20_000.0 - 41.0).as_str())
        );
        assert_eq!(
            p.bounds[2].as_deref(),
            Some(iso_date(20_000.0 - 1.0).as_str())
        );
        // File order when declared, and no order at all otherwise.
        data.time_key = None;
        assert!(time_order(&data, false).is_none());
        let t = time_order(&data, true).unwrap();
        let p = split(&data, SplitMode::Time, Some(&t), 0.25, 1);
        assert_eq!(p.test, (150..200).collect::<Vec<u32>>());
        assert_eq!(p.bounds[1].as_deref(), Some("row 151"));
    }

    #[test]
    fn mean_and_sd_over_folds() {
        let f = |auc| FoldMetrics {
            train_rows: 80,
            test_rows: 20,
            auc: Some(auc),
            ..FoldMetrics::default()
        };
        let (m, s) = mean_sd(&[f(0.7), f(0.8), f(0.9)]);
        assert!((m.auc.unwrap() - 0.8).abs() < 1e-12);
        assert!((s.auc.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(m.brier, None);
        assert_eq!(m.test_rows, 20);
        // A figure only one fold has: its mean, but no sd (not a misleading 0).
        let mut g = f(0.6);
        g.brier = Some(0.2);
        let (m, s) = mean_sd(&[g, f(0.8)]);
        assert_eq!((m.brier, s.brier), (Some(0.2), None));
    }

    fn report(folds: Vec<FoldMetrics>) -> ValidationReport {
        let (metrics, sd) = mean_sd(&folds);
        ValidationReport {
            requested: Validation::KFold,
            mode: SplitMode::KFold,
            fraction: 0.2,
            time_column: None,
            train_end: None,
            test_start: None,
            test_end: None,
            train_rows: 300,
            test_rows: 300,
            metrics,
            sd: Some(sd),
            folds,
        }
    }

    #[test]
    fn kfold_summary_says_what_the_mean_and_sd_are_over() {
        let f = |auc: Option<f64>| FoldMetrics {
            train_rows: 200,
            test_rows: 100,
            auc,
            ..FoldMetrics::default()
        };
        let s = report(vec![f(Some(0.7)), f(Some(0.8)), f(Some(0.9))]).summary();
        assert!(
            s.contains("AUC 0.800 ± 0.100 over 3 folds (mean ± sd of the per-fold figures)"),
            "{s}"
        );
        // A fold with one outcome has no AUC: the mean is over the folds that have it.
        let s = report(vec![f(Some(0.7)), f(None), f(Some(0.9))]).summary();
        assert!(s.contains("over the 2 of 3 folds that have it"), "{s}");
        let s = report(vec![f(None), f(None), f(Some(0.9))]).summary();
        assert!(
            s.contains("AUC 0.900 (from the 1 of 3 folds that have it)"),
            "{s}"
        );
    }

    /// 200 rows with a time key ascending by row; labels from `label(row)`.
    fn timed(label: impl Fn(usize) -> u32) -> Dataset {
        let mut data = crate::train::toy_dataset(200, 5);
        data.labels = (0..200).map(label).collect();
        data.time_key = Some((0..200).map(|r| 20_000.0 + r as f64).collect());
        data.notes
            .push("rows are ordered in time by `created`".into());
        data
    }

    fn config(validation: Validation) -> TrainConfig {
        TrainConfig {
            validation,
            ..TrainConfig::default()
        }
    }

    #[test]
    fn a_time_split_with_one_outcome_in_its_latest_rows_is_an_error_or_a_noted_holdout() {
        // No positive among the latest 40 rows.
        let data = timed(|r| u32::from(r < 160 && r % 3 == 0));
        let t = time_order(&data, false).unwrap();
        let e = plan(&data, &config(Validation::Time), Some(&t))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("the time-ordered split tests on the latest 40 rows by `created`")
                && e.contains(&format!(
                    "({} to {})",
                    iso_date(20_160.0),
                    iso_date(20_199.0)
                ))
                && e.contains("contain no `yes` (only 40 `no`)")
                && e.contains("--validation holdout"),
            "{e}"
        );
        for v in [Validation::Auto, Validation::KFold] {
            let (p, notes) = plan(&data, &config(v), Some(&t)).unwrap();
            assert_eq!(p.mode, SplitMode::Holdout, "{v:?}");
            assert_eq!(p.time_column, None);
            assert_eq!(notes.len(), 1, "{notes:?}");
            assert!(
                notes[0].contains("contain no `yes`")
                    && notes[0].contains("stratified random holdout of 40 rows instead"),
                "{}",
                notes[0]
            );
            let pos = p
                .test
                .iter()
                .filter(|&&r| data.labels[r as usize] == 1)
                .count();
            assert!(pos > 0, "the holdout has both outcomes");
        }
        // The other way round: every positive is in the latest rows, none to train on.
        let data = timed(|r| u32::from(r >= 160 && r % 2 == 0));
        let t = time_order(&data, false).unwrap();
        let e = plan(&data, &config(Validation::Time), Some(&t))
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("trains on the 160 earliest rows by `created`") && e.contains("no `yes`"),
            "{e}"
        );
        // Both outcomes on both sides: the time split, no note.
        let data = timed(|r| u32::from(r % 3 == 0));
        let t = time_order(&data, false).unwrap();
        let (p, notes) = plan(&data, &config(Validation::Auto), Some(&t)).unwrap();
        assert_eq!((p.mode, notes.len()), (SplitMode::Time, 0));
    }

    #[test]
    fn a_stratified_holdout_keeps_a_row_of_every_class() {
        // 4 positives × 10 % rounds to 0: one is held out anyway.
        let mut data = crate::train::toy_dataset(200, 5);
        data.labels = (0..200).map(|r| u32::from(r < 4)).collect();
        let p = split(&data, SplitMode::Holdout, None, 0.1, 1);
        assert_eq!(p.test.iter().filter(|&&r| r < 4).count(), 1, "{:?}", p.test);
        assert_eq!(p.test.len(), 1 + 20);
        // Splitting part of the rows: only those rows, deterministically.
        let rows: Vec<u32> = (0..200).filter(|r| r % 2 == 0).collect();
        let rng = || Rng::new(3).fork(1);
        let a = split_rows(&data, &rows, SplitMode::Holdout, None, 0.2, rng());
        assert!(a.train.iter().chain(&a.test).all(|r| r % 2 == 0));
        assert_eq!(a.train.len() + a.test.len(), 100);
        let b = split_rows(&data, &rows, SplitMode::Holdout, None, 0.2, rng());
        assert_eq!((a.train, a.test), (b.train, b.test));
    }
}

//! Validation: which rows measure a model (random holdout, time-ordered split, k-fold cross
//! validation) and the [`ValidationReport`] stored with it (the model file's `validation` section).
//!
//! - **Holdout**: a stratified random `fraction` of the rows (per class, seeded).
//! - **Time**: the latest `fraction` of the rows by the dataset's time key (its lead-creation
//!   date), or by file order when the rows are declared to be in time order: train on the past,
//!   test on the future.
//! - **K-fold**: every row is tested once by a model trained on the other `folds − 1` folds
//!   (stratified, seeded); the report gives each fold and the mean ± sd. The final model is trained
//!   exactly as with `Auto`, so k-fold changes the report, never the model.
//! - **Auto**: time-ordered when there is a time key, else holdout (forests: out-of-bag).

use crate::data::Dataset;
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
    /// K-fold: the standard deviation of each figure across folds (sample sd, n − 1).
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
                "{}-fold cross validation (stratified): every one of {} rows tested once; final model trained on all rows",
                self.folds.len(),
                n(self.test_rows)
            ),
        };
        let figure = |name: &str, v: Option<f64>, sd: Option<f64>| match (v, sd) {
            (Some(v), Some(s)) => Some(format!(
                "{name} {v:.3} ± {s:.3} over {} folds",
                self.folds.len()
            )),
            (Some(v), None) => Some(format!("{name} {v:.3}")),
            _ => None,
        };
        let sd = self.sd.as_ref();
        let main = figure("AUC", self.metrics.auc, sd.and_then(|s| s.auc)).or_else(|| {
            figure(
                "accuracy",
                self.metrics.accuracy,
                sd.and_then(|s| s.accuracy),
            )
        });
        match main {
            Some(m) => format!("{split}; {m}"),
            None => split,
        }
    }
}

/// `12345` → `12,345`.
fn thousands(x: u64) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
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

/// Splits rows for `mode` (`Holdout` or `Time`; `time` must be `Some` for `Time`).
pub(crate) fn split(
    data: &Dataset,
    mode: SplitMode,
    time: Option<&TimeOrder>,
    fraction: f64,
    seed: u64,
) -> Plan {
    let n = data.n_rows();
    let mut bounds = [None, None, None];
    let mut valid: Vec<u32> = Vec::new();
    match (mode, time) {
        (SplitMode::Time, Some(t)) => {
            let mut order: Vec<u32> = (0..n as u32).collect();
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
            let mut rng = Rng::new(seed).fork(0x5A11D);
            for class in 0..data.class_names.len() as u32 {
                let mut rows: Vec<u32> = (0..n as u32)
                    .filter(|&r| data.labels[r as usize] == class)
                    .collect();
                let m = (rows.len() as f64 * fraction).round() as usize;
                for i in 0..m.min(rows.len()) {
                    let j = i + rng.below((rows.len() - i) as u64) as usize;
                    rows.swap(i, j);
                }
                valid.extend_from_slice(&rows[..m.min(rows.len())]);
            }
        }
    }
    valid.sort_unstable();
    let mut is_valid = vec![false; n];
    for &r in &valid {
        is_valid[r as usize] = true;
    }
    let train: Vec<u32> = (0..n as u32).filter(|&r| !is_valid[r as usize]).collect();
    if train.is_empty() || valid.is_empty() {
        return Plan {
            train: (0..n as u32).collect(),
            test: Vec::new(),
            mode: SplitMode::None,
            time_column: None,
            bounds: [None, None, None],
        };
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

/// Mean and sample standard deviation of each figure over the folds (figures missing in some
/// folds are averaged over the folds that have them).
pub(crate) fn mean_sd(folds: &[FoldMetrics]) -> (FoldMetrics, FoldMetrics) {
    fn stat(values: Vec<f64>) -> (Option<f64>, Option<f64>) {
        if values.is_empty() {
            return (None, None);
        }
        let k = values.len() as f64;
        let mean = values.iter().sum::<f64>() / k;
        let sd = if values.len() > 1 {
            (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (k - 1.0)).sqrt()
        } else {
            0.0
        };
        (Some(mean), Some(sd))
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

/// Days since 1970-01-01 → `YYYY-MM-DD` (H. Hinnant's civil-from-days, integer arithmetic).
pub(crate) fn iso_date(days: f64) -> String {
    if !days.is_finite() {
        return "unknown date".into();
    }
    let z = days.floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_round_trip_the_data_layers_day_numbers() {
        for (y, m, d) in [(1970, 1, 1), (2009, 6, 17), (2000, 2, 29), (1969, 12, 31)] {
            let days = crate::data::parse::days_from_civil(y, m, d) as f64;
            assert_eq!(iso_date(days), format!("{y:04}-{m:02}-{d:02}"));
        }
        assert_eq!(iso_date(f64::NAN), "unknown date");
    }

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
    }
}

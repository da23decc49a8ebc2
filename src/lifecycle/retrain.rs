//! Retraining: a challenger trained with the champion's settings on old + new outcomes (or on a
//! sliding window of the latest days), compared with the champion on the newest period.
//!
//! - **The newest period** is the latest [`RetrainOptions::holdout_fraction`] (default 20 %) of
//!   the new data's rows by the date column (rows without a date count as oldest), or the last
//!   rows in file order when the data has no date column. These rows are never trained on: both
//!   models are scored on them (see [`super::compare`]).
//! - **The challenger's settings** are the champion's: its training configuration (stored as
//!   JSON in the model), target column, positive class and input columns (other columns of the
//!   new data are left out, so the challenger answers the same question from the same fields).
//! - **The window** (`window_days`) keeps the training rows dated within that many days of the
//!   newest training date; it needs a date column.
//! - **The date column** is found as in training: the first date column with at most half its
//!   cells missing, preferring names containing "creat" or "first".
//!
//! - **The model written** is not the compared one: once the comparison is done, the challenger
//!   is refit on every row of its window — old + new, the newest period included (with a window,
//!   the window then ends at the newest date of all rows) — with the same settings and seed; for
//!   boosting with the round count early stopping chose for the compared challenger, as the
//!   trainer's own refit does ([`Trainer::with_rounds`]); calibration, tiers and threshold are
//!   fitted on the refit's own validation split. The comparison reported stays the held-out one.
//!   Its [`Lineage`] records the refit's rows and dates (`holdout_rows` = the newest period's
//!   rows, compared and then trained on). With refit off in the champion's settings, the compared
//!   challenger is the model returned.

use super::compare::{compare, CompareOptions, Comparison};
use super::lineage::{checksum, iso_date, Lineage};
use crate::data::{ColumnKind, CsvOptions, DatasetOptions, Table};
use crate::model::Model;
use crate::train::{Algorithm, ProgressFn, TrainConfig, Trainer};
use crate::{Error, Result};

/// How to retrain.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrainOptions {
    /// Train only on rows dated within this many days of the newest training date (`None` = all
    /// old and new rows); must be > 0.
    pub window_days: Option<f64>,
    /// Share of the new data's rows (the newest) held out for the comparison, in (0, 1).
    pub holdout_fraction: f64,
    /// The bootstrap's settings.
    pub compare: CompareOptions,
    /// The command recorded in the lineage (e.g. `leadforest retrain champion.lf new.csv`).
    pub created_by: String,
}

impl Default for RetrainOptions {
    fn default() -> Self {
        RetrainOptions {
            window_days: None,
            holdout_fraction: 0.2,
            compare: CompareOptions::default(),
            created_by: String::new(),
        }
    }
}

/// The challenger, its comparison with the champion and its lineage.
#[derive(Debug, Clone)]
pub struct Retrained {
    /// The model to write: the challenger refit on all rows of its window after the comparison
    /// (see [`Retrained::refit`]; its `lineage` describes the refit's rows and window).
    pub challenger: Model,
    /// Champion vs challenger on the newest period, the challenger as trained without it.
    pub comparison: Comparison,
    /// Plain-words notes: where the newest period starts, what the window kept, etc.
    pub notes: Vec<String>,
    /// What the compared challenger was trained on (the newest period held out).
    pub compared: Lineage,
    /// How `challenger` was refit after the comparison; `None` when the champion's settings have
    /// refit off, and `challenger` is the compared model itself.
    pub refit: Option<Refit>,
}

/// The refit after the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refit {
    /// Rows the written model was trained on: all rows of its window, the newest period included.
    pub rows: u64,
    /// Boosting rounds, the count early stopping chose for the compared challenger (`None` for
    /// forests, which grow the configured number of trees).
    pub rounds: Option<u32>,
}

/// The name of the column that orders rows in time (see the module docs).
pub fn time_column(table: &Table) -> Option<String> {
    let dates: Vec<_> = table
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Date && c.missing_fraction() < 0.5)
        .collect();
    let named = |c: &&&crate::data::Column| {
        let n = c.name.to_lowercase();
        n.contains("creat") || n.contains("first")
    };
    dates
        .iter()
        .find(named)
        .or(dates.first())
        .map(|c| c.name.clone())
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The chosen rows of several tables as one comma-separated CSV with the columns `columns`
/// (matched by name; absent columns and missing cells are empty).
pub fn rows_to_csv(columns: &[String], parts: &[(&Table, &[usize])]) -> String {
    let mut out = columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for (table, rows) in parts {
        let cols: Vec<_> = columns.iter().map(|c| table.column(c)).collect();
        for &r in *rows {
            for (i, col) in cols.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match col {
                    Some(c) if c.is_dense() => {
                        let v = c.value(r);
                        if !v.is_nan() {
                            out.push_str(&format!("{v}"));
                        }
                    }
                    Some(c) => out.push_str(&c.text(r).map(quote).unwrap_or_default()),
                    None => {}
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Days since 1970 of each row in the time column (NaN = no date), when there is one.
fn dates(table: &Table, column: Option<&str>) -> Option<Vec<f64>> {
    let col = table.column(column?)?;
    (col.kind == ColumnKind::Date).then(|| col.values())
}

/// Trains a challenger for `champion` (whose file bytes are `champion_bytes`, for the lineage)
/// on `old` (optional) and `new` labelled leads and compares the two on the newest period; see
/// the module docs.
///
/// # Errors
/// `Error::Model` when the champion is not a binary model trained by leadforest (no target or
/// settings recorded); `Error::Data` when the new data lacks the target, is too small to hold
/// out a period, or a window is asked for without a date column; training errors as
/// [`Trainer::fit_table`].
pub fn retrain(
    champion: &Model,
    champion_bytes: &[u8],
    old: Option<&Table>,
    new: &Table,
    options: &RetrainOptions,
    progress: ProgressFn,
) -> Result<Retrained> {
    if champion.n_classes() != 2 {
        return Err(Error::Model(
            "retrain compares binary models (converted or not); this model predicts several \
             classes"
                .into(),
        ));
    }
    let target = champion.info.target.clone();
    let config: TrainConfig = serde_json::from_str(&champion.info.config).map_err(|_| {
        Error::Model(
            "the model does not record leadforest training settings (it was imported or is \
             damaged): train a first model with `leadforest train`"
                .into(),
        )
    })?;
    if target.is_empty() {
        return Err(Error::Model(
            "the model does not record its target column: train a first model with \
             `leadforest train`"
                .into(),
        ));
    }
    if !(options.holdout_fraction > 0.0 && options.holdout_fraction < 1.0) {
        return Err(Error::Config {
            field: "holdout_fraction",
            expected: "a share in (0, 1)".into(),
            given: options.holdout_fraction.to_string(),
        });
    }
    if let Some(w) = options.window_days {
        if w.is_nan() || w <= 0.0 {
            return Err(Error::Config {
                field: "window_days",
                expected: "a number of days > 0".into(),
                given: w.to_string(),
            });
        }
    }
    if new.column(&target).is_none() {
        return Err(Error::Data(format!(
            "the new data has no target column `{target}`: retraining needs the outcomes of the \
             new leads"
        )));
    }
    let n_new = new.n_rows;
    if n_new < 10 {
        return Err(Error::Data(format!(
            "the new data has {n_new} rows: retraining needs at least 10 (some are held out to \
             compare the models)"
        )));
    }
    let mut notes = Vec::new();
    let time = time_column(new);
    let new_dates = dates(new, time.as_deref());
    let old_dates = old.and_then(|t| dates(t, time.as_deref()));
    // The newest period of the new data.
    let m = ((n_new as f64 * options.holdout_fraction).round() as usize).clamp(1, n_new - 1);
    let mut order: Vec<usize> = (0..n_new).collect();
    match (&new_dates, &time) {
        (Some(d), Some(t)) => {
            let key = |r: usize| {
                if d[r].is_nan() {
                    f64::NEG_INFINITY
                } else {
                    d[r]
                }
            };
            order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
            notes.push(format!(
                "the newest period is the latest {m} of the new data's {n_new} rows by `{t}` \
                 (from {})",
                iso_date(key(order[n_new - m]).max(-1e9))
            ));
        }
        _ => notes.push(format!(
            "the new data has no date column: the newest period is its last {m} of {n_new} rows \
             in file order"
        )),
    }
    let mut holdout: Vec<usize> = order[n_new - m..].to_vec();
    holdout.sort_unstable();
    let mut new_train: Vec<usize> = order[..n_new - m].to_vec();
    new_train.sort_unstable();
    let all_old: Vec<usize> = old.map_or_else(Vec::new, |t| (0..t.n_rows).collect());
    let mut old_train = all_old.clone();
    // The refit's rows: all rows of the window, the newest period included.
    let mut new_refit: Vec<usize> = (0..n_new).collect();
    let mut old_refit = all_old;
    // The sliding window: the challenger's ends at its newest training date, the refit's at the
    // newest date of all rows.
    if let Some(days) = options.window_days {
        let (Some(nd), Some(t)) = (&new_dates, &time) else {
            return Err(Error::Data(
                "--window needs a date column (lead creation date) in the new data; it has none"
                    .into(),
            ));
        };
        if old.is_some() && old_dates.is_none() {
            return Err(Error::Data(format!(
                "--window needs the date column `{t}` in the old data too; it has none"
            )));
        }
        let od = old_dates.as_deref().unwrap_or(&[]);
        let before = old_train.len() + new_train.len();
        let (from, newest) = window(days, nd, od, &mut new_train, &mut old_train);
        notes.push(format!(
            "the {days}-day window ({} to {}) keeps {} of {before} training rows",
            iso_date(from.max(-1e9)),
            iso_date(newest.max(-1e9)),
            old_train.len() + new_train.len()
        ));
        window(days, nd, od, &mut new_refit, &mut old_refit);
    }
    if new_train.len() + old_train.len() < 2 {
        return Err(Error::Data(
            "no rows are left to train on (all new rows are held out and there is no old data \
             in the window): pass older outcomes with --data or a longer --window"
                .into(),
        ));
    }
    // The challenger: the champion's settings on the training rows.
    let columns: Vec<String> = new.columns.iter().map(|c| c.name.clone()).collect();
    let table_of = |old_rows: &[usize], new_rows: &[usize]| -> Result<Table> {
        let mut parts: Vec<(&Table, &[usize])> = Vec::new();
        if let Some(t) = old {
            parts.push((t, old_rows));
        }
        parts.push((new, new_rows));
        let csv = rows_to_csv(&columns, &parts);
        Table::from_csv(
            csv.as_bytes(),
            &CsvOptions {
                missing: champion.pipeline.missing.clone(),
                ..CsvOptions::default()
            },
        )
    };
    let used: Vec<&str> = champion
        .features
        .iter()
        .map(|f| f.source.as_str())
        .collect();
    let drop = columns
        .iter()
        .filter(|c| {
            !used.iter().any(|u| u.eq_ignore_ascii_case(c))
                && !c.eq_ignore_ascii_case(&target)
                && time.as_deref() != Some(c.as_str())
        })
        .cloned()
        .collect();
    let dataset_options = DatasetOptions {
        target: target.clone(),
        positive: vec![champion.class_names[1].clone()],
        drop,
        ..DatasetOptions::default()
    };
    // Calibration, tiers and threshold are fitted by the trainer, as for `train`.
    let mut challenger = Trainer::new(config.clone())
        .fit_table(
            &table_of(&old_train, &new_train)?,
            &dataset_options,
            progress,
        )?
        .model;
    let lineage = |old_rows: &[usize], new_rows: &[usize]| {
        let train_dates: Vec<f64> = old_dates
            .iter()
            .flat_map(|d| old_rows.iter().map(|&r| d[r]))
            .chain(
                new_dates
                    .iter()
                    .flat_map(|d| new_rows.iter().map(|&r| d[r])),
            )
            .filter(|d| !d.is_nan())
            .collect();
        let first = train_dates.iter().copied().reduce(f64::min);
        let last = train_dates.iter().copied().reduce(f64::max);
        Lineage {
            parent_checksum: Some(checksum(champion_bytes)),
            first_date: first.map(iso_date),
            last_date: last.map(iso_date),
            old_rows: old_rows.len() as u64,
            new_rows: new_rows.len() as u64,
            total_rows: (old_rows.len() + new_rows.len()) as u64,
            holdout_rows: m as u64,
            created_by: options.created_by.clone(),
        }
    };
    let compared = lineage(&old_train, &new_train);
    challenger.lineage = Some(compared.clone());
    // Both models on the newest period, calibrated, each at its own threshold.
    let labels = champion.labels_from_table(new)?;
    let scored = |model: &Model| -> Result<(Vec<f64>, f64)> {
        let p = model.score_table(new)?.probabilities;
        let scoring = model.scoring.clone().unwrap_or_default();
        let p = holdout
            .iter()
            .filter(|&&r| labels[r].is_some())
            .map(|&r| scoring.calibrator.apply(p[r]))
            .collect();
        Ok((p, scoring.threshold))
    };
    let y: Vec<bool> = holdout
        .iter()
        .filter_map(|&r| labels[r].map(|l| l == 1))
        .collect();
    if y.len() < m {
        notes.push(format!(
            "{} row(s) of the newest period have no usable outcome and are not compared",
            m - y.len()
        ));
    }
    let (pa, ta) = scored(champion)?;
    let (pb, tb) = scored(&challenger)?;
    let comparison = compare((&pa, ta), (&pb, tb), &y, &options.compare)?;
    // The comparison is done: the model to use is refit on every row of its window, the newest
    // period included, with the same settings and seed (boosting: the rounds early stopping
    // chose for the compared challenger, as the trainer's own refit does).
    if !config.refits(old_refit.len() + new_refit.len()) {
        notes.push(
            "the champion's settings have refit off: the model written is the compared \
             challenger, trained without the newest period"
                .into(),
        );
        return Ok(Retrained {
            challenger,
            comparison,
            notes,
            compared,
            refit: None,
        });
    }
    let mut trainer = Trainer::new(config.clone());
    let rounds = (config.algorithm == Algorithm::Gbt).then_some(challenger.info.rounds);
    if let Some(r) = rounds {
        trainer = trainer.with_rounds(r);
    }
    let mut refit = trainer
        .fit_table(
            &table_of(&old_refit, &new_refit)?,
            &dataset_options,
            progress,
        )?
        .model;
    let refit_lineage = lineage(&old_refit, &new_refit);
    refit.lineage = Some(refit_lineage);
    Ok(Retrained {
        challenger: refit,
        comparison,
        notes,
        compared,
        refit: Some(Refit {
            rows: (old_refit.len() + new_refit.len()) as u64,
            rounds,
        }),
    })
}

/// Keeps the rows dated within `days` of the newest date among them (rows without a date are
/// dropped); returns the window's first and last day.
fn window(
    days: f64,
    new_dates: &[f64],
    old_dates: &[f64],
    new_rows: &mut Vec<usize>,
    old_rows: &mut Vec<usize>,
) -> (f64, f64) {
    let newest = new_rows
        .iter()
        .map(|&r| new_dates[r])
        .chain(old_rows.iter().map(|&r| old_dates[r]))
        .filter(|d| !d.is_nan())
        .fold(f64::NEG_INFINITY, f64::max);
    let from = newest - days;
    new_rows.retain(|&r| new_dates[r] >= from);
    old_rows.retain(|&r| old_dates[r] >= from);
    (from, newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_to_csv_quotes_and_matches_columns_by_name() {
        let a = Table::from_csv(b"x,y\n1,\"a,b\"\n2,c\n", &CsvOptions::default()).unwrap();
        let b = Table::from_csv(b"y,z\nd,9\n", &CsvOptions::default()).unwrap();
        let cols = vec!["x".to_string(), "y".to_string()];
        let csv = rows_to_csv(&cols, &[(&a, &[1, 0]), (&b, &[0])]);
        assert_eq!(csv, "x,y\n2,c\n1,\"a,b\"\n,d\n");
    }

    #[test]
    fn time_column_prefers_created() {
        let t = Table::from_csv(
            b"Closed,Created Date,v\n2024-01-02,2024-01-01,1\n2024-02-02,2024-02-01,2\n",
            &CsvOptions::default(),
        )
        .unwrap();
        assert_eq!(time_column(&t).as_deref(), Some("Created Date"));
    }
}

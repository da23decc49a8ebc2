//! The profile: what is in each column (kind, missing share, cardinality, top values, numeric
//! summary), why a column would be excluded, and the leak scan — as JSON (serde) and plain text.

use std::fmt::Write;

use serde::Serialize;

use super::build::{read_target, DatasetOptions};
use super::leak::{self, LeakFlag};
use super::table::{Column, ColumnKind, Table};
use crate::{Error, Result};

/// Top values listed per column.
const TOP: usize = 5;

/// One frequent value of a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopValue {
    /// The value's text (as read, trimmed).
    pub value: String,
    /// Rows with this value.
    pub rows: u64,
}

/// Summary statistics of a numeric column (over non-missing rows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericSummary {
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median (lower middle value for an even count).
    pub median: f64,
    /// Standard deviation (population).
    pub std: f64,
}

/// What the profile says about one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Kind in words (`numeric`, `categorical`, `personal: e-mail addresses`…).
    pub kind: String,
    /// Missing cells as a percentage of rows, in [0, 100].
    pub missing_pct: f64,
    /// Distinct non-missing values.
    pub cardinality: usize,
    /// The most frequent values (empty for personal data, identifiers and free text).
    pub top_values: Vec<TopValue>,
    /// Numeric summary (numeric columns).
    pub numeric: Option<NumericSummary>,
    /// First and last date, `YYYY-MM-DD` (date columns).
    pub date_range: Option<[String; 2]>,
    /// Why the column is not a model feature (`None` = it is used).
    pub excluded_because: Option<String>,
    /// Remarks from reading (merged case variants, date order, unreadable cells…).
    pub notes: Vec<String>,
    /// The leak scan's finding, when the column is flagged.
    pub leak: Option<String>,
}

/// A table's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Data rows.
    pub rows: usize,
    /// The field separator.
    pub delimiter: char,
    /// The target column, when one was given.
    pub target: Option<String>,
    /// Rows per target class (`[class, rows]`), when a target was given.
    pub classes: Vec<TopValue>,
    /// File-level remarks (encoding, renamed headers, skipped rows…).
    pub notes: Vec<String>,
    /// One entry per column, in file order.
    pub columns: Vec<ColumnProfile>,
    /// Columns flagged by the leak scan (empty without a target).
    pub leaks: Vec<LeakFlag>,
}

fn numeric_summary(col: &Column) -> Option<NumericSummary> {
    if !matches!(col.kind, ColumnKind::Numeric | ColumnKind::Date) {
        return None;
    }
    // Per distinct value with counts: no copy of the column (dense columns: one per row).
    let mut vals: Vec<(f64, u64)> = if col.is_dense() {
        col.values()
            .into_iter()
            .filter(|v| !v.is_nan())
            .map(|v| (v, 1))
            .collect()
    } else {
        (0..col.distinct.len())
            .filter(|&d| !col.typed[d].is_nan())
            .map(|d| (col.typed[d], col.counts[d]))
            .collect()
    };
    let n: u64 = vals.iter().map(|v| v.1).sum();
    if n == 0 {
        return None;
    }
    vals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mean = vals.iter().map(|(v, c)| v * *c as f64).sum::<f64>() / n as f64;
    let var = vals
        .iter()
        .map(|(v, c)| (v - mean).powi(2) * *c as f64)
        .sum::<f64>()
        / n as f64;
    let mut seen = 0;
    let half = (n - 1) / 2;
    let median = vals
        .iter()
        .find(|(_, c)| {
            seen += c;
            seen > half
        })
        .map_or(f64::NAN, |v| v.0);
    Some(NumericSummary {
        min: vals[0].0,
        max: vals[vals.len() - 1].0,
        mean,
        median,
        std: var.sqrt(),
    })
}

impl Profile {
    /// Profiles a table; with a target (`options.target` non-empty), also counts the classes and
    /// runs the leak scan.
    ///
    /// # Errors
    /// `Error::Data` when the target column does not exist or has fewer than two outcomes.
    pub fn new(table: &Table, options: &DatasetOptions) -> Result<Profile> {
        let mut notes = table.notes.clone();
        let (target, classes, leaks) = if options.target.is_empty() {
            (None, Vec::new(), Vec::new())
        } else {
            let col = table.column(&options.target).ok_or_else(|| {
                Error::Data(format!(
                    "there is no column `{}` to predict: the columns are {}",
                    options.target,
                    table
                        .names()
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let t = read_target(col, options, &mut notes)?;
            let mut counts = vec![0u64; t.class_names.len()];
            let mut missing = 0;
            for c in &t.classes {
                match c {
                    Some(c) => counts[*c as usize] += 1,
                    None => missing += 1,
                }
            }
            if missing > 0 {
                notes.push(format!(
                    "{missing} rows have no value for `{}` and would be left out of training",
                    col.name
                ));
            }
            let classes = t
                .class_names
                .iter()
                .zip(counts)
                .map(|(n, rows)| TopValue {
                    value: n.clone(),
                    rows,
                })
                .collect();
            let leaks = leak::scan(&table.columns, &t.classes, &t.class_names, &col.name);
            (Some(col.name.clone()), classes, leaks)
        };
        let columns = table
            .columns
            .iter()
            .map(|c| {
                // Values of personal, id and free-text columns are not repeated in the profile.
                let personal = matches!(
                    c.kind,
                    ColumnKind::Personal(_) | ColumnKind::Identifier | ColumnKind::FreeText
                );
                ColumnProfile {
                    name: c.name.clone(),
                    kind: c.kind.name(),
                    missing_pct: 100.0 * c.missing_fraction(),
                    cardinality: c.cardinality(),
                    top_values: if personal {
                        Vec::new()
                    } else {
                        c.top_values(TOP)
                            .into_iter()
                            .map(|(value, rows)| TopValue { value, rows })
                            .collect()
                    },
                    numeric: numeric_summary(c).filter(|_| c.kind == ColumnKind::Numeric),
                    date_range: numeric_summary(c)
                        .filter(|_| c.kind == ColumnKind::Date)
                        .map(|s| [iso(s.min), iso(s.max)]),
                    excluded_because: if target.as_deref() == Some(c.name.as_str()) {
                        Some("the target".into())
                    } else {
                        c.excluded_because.clone()
                    },
                    notes: c.notes.clone(),
                    leak: leaks
                        .iter()
                        .find(|l| l.column == c.name)
                        .map(|l| l.message.clone()),
                }
            })
            .collect();
        Ok(Profile {
            rows: table.n_rows,
            delimiter: table.delimiter,
            target,
            classes,
            notes,
            columns,
            leaks,
        })
    }

    /// The profile as readable text: a header, then one block per column.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let sep = match self.delimiter {
            '\t' => "tab".to_string(),
            c => format!("`{c}`"),
        };
        let _ = writeln!(
            out,
            "{} rows, {} columns (separator {sep})",
            self.rows,
            self.columns.len()
        );
        if let Some(t) = &self.target {
            let classes: Vec<String> = self
                .classes
                .iter()
                .map(|c| format!("`{}` {} rows", c.value, c.rows))
                .collect();
            let _ = writeln!(out, "target `{t}`: {}", classes.join(", "));
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        if !self.leaks.is_empty() {
            let _ = writeln!(out, "\npossible leaks ({}):", self.leaks.len());
            for l in &self.leaks {
                let _ = writeln!(out, "  ! {}", l.message);
            }
        }
        for c in &self.columns {
            let _ = writeln!(out, "\n{}  [{}]", c.name, c.kind);
            let _ = writeln!(
                out,
                "  missing {:.1}%, {} distinct",
                c.missing_pct, c.cardinality
            );
            if let Some(s) = &c.numeric {
                let _ = writeln!(
                    out,
                    "  min {} · median {} · mean {} · max {} · std {}",
                    fmt(s.min),
                    fmt(s.median),
                    fmt(s.mean),
                    fmt(s.max),
                    fmt(s.std)
                );
            }
            if let Some([a, b]) = &c.date_range {
                let _ = writeln!(out, "  from {a} to {b}");
            }
            if !c.top_values.is_empty() && c.kind != "numeric" {
                let top: Vec<String> = c
                    .top_values
                    .iter()
                    .map(|t| format!("{} ({})", t.value, t.rows))
                    .collect();
                let _ = writeln!(out, "  top: {}", top.join(", "));
            }
            if let Some(why) = &c.excluded_because {
                let _ = writeln!(out, "  excluded: {why}");
            }
            for n in &c.notes {
                let _ = writeln!(out, "  note: {n}");
            }
            if let Some(l) = &c.leak {
                let _ = writeln!(out, "  leak: {l}");
            }
        }
        out
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

fn iso(days: f64) -> String {
    let (y, m, d) = crate::data::parse::civil_from_days(days.floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

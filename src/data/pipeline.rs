//! The pipeline: how raw CSV columns (or one record's fields) become model features. Stored in
//! model files, so every type here is plain data (Vec/BTreeMap, no HashMap) for postcard.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dataset::FeatureKind;
use super::parse::{self, DateOrder, NumberFormat};
use super::pii;
use super::table::Table;
use crate::Result;

/// Weekday labels for the derived day-of-week feature (code 0 = Monday).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// Month labels for the derived month feature (code 0 = January).
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How one feature's value is computed from its source column's cell text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Transform {
    /// The cell read as a number written in this format.
    Number(NumberFormat),
    /// 1 for yes/true/y/t/1, 0 for no/false/n/f/0.
    Boolean,
    /// The category code of the lower-cased cell text. Texts not in `codes` are NaN, or the
    /// `other` code when `unseen_is_other`.
    Category {
        /// Lower-cased text → category code (rare texts map to the `(other)` code).
        codes: BTreeMap<String, u32>,
        /// The `(other)` category's code, if rare values were grouped.
        other: Option<u32>,
        /// Whether texts never seen in training map to `other` (instead of NaN).
        unseen_is_other: bool,
    },
    /// Days from the date to `reference` (positive = before it): the lead's age at the time of
    /// the training data's latest date.
    DateAge {
        /// Day/month order of the column's dates.
        order: DateOrder,
        /// The reference date, days since 1970-01-01 (the column's latest date in training).
        reference: f64,
    },
    /// Day of the week of the date (code 0 = Monday … 6 = Sunday).
    DateWeekday {
        /// Day/month order of the column's dates.
        order: DateOrder,
    },
    /// Month of the date (code 0 = January … 11 = December).
    DateMonth {
        /// Day/month order of the column's dates.
        order: DateOrder,
    },
    /// The e-mail address's domain as a category.
    EmailDomain {
        /// Lower-cased domain → category code.
        codes: BTreeMap<String, u32>,
        /// The `(other)` code for domains not in `codes`.
        other: Option<u32>,
    },
    /// 1 when the e-mail address is at a free-mail provider, 0 for a company domain.
    FreeMail,
}

/// One model feature: its name, source column, kind and transform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    /// The feature's name (a column name, or `Column: derived part`).
    pub name: String,
    /// The CSV column it is computed from.
    pub source: String,
    /// Numeric or categorical (with category labels by code).
    pub kind: FeatureKind,
    /// How the value is computed from the cell text.
    pub transform: Transform,
}

/// How a model turns raw CSV columns or records into feature values; stored in model files.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Pipeline {
    /// The features, in model order.
    pub features: Vec<FeatureInfo>,
    /// Extra missing-value placeholders used in training (e.g. `Select`); defaults always apply.
    pub missing: Vec<String>,
}

/// What one cell text becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell {
    /// The feature's value.
    Value(f64),
    /// Missing: a placeholder, or a category (or e-mail domain) not in the model (NaN).
    Missing,
    /// Text the transform cannot read (not a number, date, yes/no or e-mail address): NaN,
    /// counted and reported by the streaming reader.
    Unreadable,
}

impl Cell {
    /// The value (NaN unless [`Cell::Value`]).
    pub(crate) fn value(self) -> f64 {
        match self {
            Cell::Value(v) => v,
            Cell::Missing | Cell::Unreadable => f64::NAN,
        }
    }
}

/// What a transform reads, in words (for messages about cells it cannot read).
pub(crate) fn reads(transform: &Transform) -> &'static str {
    match transform {
        Transform::Number(_) => "numbers",
        Transform::Boolean => "yes/no values",
        Transform::DateAge { .. } | Transform::DateWeekday { .. } | Transform::DateMonth { .. } => {
            "dates"
        }
        Transform::EmailDomain { .. } | Transform::FreeMail => "e-mail addresses",
        Transform::Category { .. } => "categories",
    }
}

/// Feature columns computed from a table, plus warnings (columns the table lacks).
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedTable {
    /// Column-major feature values in model order (NaN = missing or unseen category).
    pub columns: Vec<Vec<f64>>,
    /// Plain-words warnings, e.g. "the data has no column `Tags`: treated as missing".
    pub warnings: Vec<String>,
    /// Data rows encoded.
    pub n_rows: usize,
    /// The source columns the model reads that the data lacks (each once, model order).
    pub absent: Vec<String>,
}

/// The warning for a column the model reads that the data lacks.
pub(crate) fn absent_warning(source: &str) -> String {
    format!(
        "the data has no column `{source}` (the model uses it): its values are treated as missing"
    )
}

fn weekday(days: f64) -> f64 {
    (days.floor() as i64 + 3).rem_euclid(7) as f64
}

fn month(days: f64) -> f64 {
    let (_, m, _) = crate::data::parse::civil_from_days(days.floor() as i64);
    (m - 1) as f64
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as i64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            format!("-{out}")
        } else {
            out
        }
    } else if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

impl Pipeline {
    /// The model's features, in order.
    pub fn features(&self) -> &[FeatureInfo] {
        &self.features
    }

    /// The value of feature `feature` for one cell text (`None` = field absent).
    pub fn encode_cell(&self, feature: usize, cell: Option<&str>) -> f64 {
        let Some(info) = self.features.get(feature) else {
            return f64::NAN;
        };
        let Some(s) = cell.map(str::trim_ascii) else {
            return f64::NAN;
        };
        self.read_text(&info.transform, s).value()
    }

    /// One trimmed cell text through `transform`: missing placeholders first, then the
    /// transform. The one definition of a cell's value: [`Pipeline::encode_cell`] (records,
    /// tables) and the streaming reader (`encode_csv`) both call it.
    pub(crate) fn read_text(&self, transform: &Transform, s: &str) -> Cell {
        if parse::is_missing(s, &self.missing) {
            return Cell::Missing;
        }
        let read = |v: Option<f64>| v.map_or(Cell::Unreadable, Cell::Value);
        let code = |v: Option<&u32>| v.map_or(Cell::Missing, |&c| Cell::Value(c as f64));
        match transform {
            Transform::Number(f) => read(parse::parse_number(s, f.decimal_comma)),
            Transform::Boolean => read(parse::parse_bool(s).map(|b| b as u8 as f64)),
            Transform::Category {
                codes,
                other,
                unseen_is_other,
            } => match codes.get(&s.to_lowercase()) {
                Some(&c) => Cell::Value(c as f64),
                None if *unseen_is_other => code(other.as_ref()),
                None => Cell::Missing,
            },
            Transform::DateAge { order, reference } => {
                read(parse::parse_date(s, *order).map(|d| reference - d))
            }
            Transform::DateWeekday { order } => read(parse::parse_date(s, *order).map(weekday)),
            Transform::DateMonth { order } => read(parse::parse_date(s, *order).map(month)),
            Transform::EmailDomain { codes, other } => match pii::email_domain(s) {
                Some(d) => code(codes.get(&d).or(other.as_ref())),
                None => Cell::Unreadable,
            },
            Transform::FreeMail => {
                read(pii::email_domain(s).map(|d| pii::is_free_mail(&d) as u8 as f64))
            }
        }
    }

    /// One record's feature values in model order; `get` returns a field's raw text by CSV column
    /// name (`None` = absent). Cells are parsed exactly as in [`Pipeline::features_from_table`].
    pub fn encode_record(&self, get: &dyn Fn(&str) -> Option<String>) -> Vec<f64> {
        (0..self.features.len())
            .map(|f| {
                let cell = get(&self.features[f].source);
                self.encode_cell(f, cell.as_deref())
            })
            .collect()
    }

    /// Feature columns (column-major, model order) for every row of `table`, with warnings for
    /// the columns the table lacks (their features are all NaN: scoring tolerates missing fields).
    ///
    /// # Errors
    /// None today; the `Result` leaves room for limits on future formats.
    pub fn encode_table(&self, table: &Table) -> Result<EncodedTable> {
        let mut warnings: Vec<String> = Vec::new();
        let mut absent: Vec<String> = Vec::new();
        let mut columns = Vec::with_capacity(self.features.len());
        for (f, info) in self.features.iter().enumerate() {
            match table.column(&info.source) {
                Some(col) if col.is_dense() => {
                    // Numbers only: no texts to parse; other transforms see the number's text.
                    let values = col.values();
                    columns.push(match &info.transform {
                        Transform::Number(_) => values,
                        _ => values
                            .iter()
                            .map(|v| {
                                if v.is_nan() {
                                    f64::NAN
                                } else {
                                    self.encode_cell(f, Some(&format!("{v}")))
                                }
                            })
                            .collect(),
                    });
                }
                Some(col) => {
                    let per_distinct: Vec<f64> = (0..col.distinct.len())
                        .map(|d| {
                            if col.is_missing_distinct(d) {
                                f64::NAN
                            } else {
                                self.encode_cell(f, Some(&col.distinct[d]))
                            }
                        })
                        .collect();
                    columns.push(col.codes.map(&per_distinct));
                }
                None => {
                    if !absent.contains(&info.source) {
                        absent.push(info.source.clone());
                        warnings.push(absent_warning(&info.source));
                    }
                    columns.push(vec![f64::NAN; table.n_rows]);
                }
            }
        }
        Ok(EncodedTable {
            columns,
            warnings,
            n_rows: table.n_rows,
            absent,
        })
    }

    /// Feature columns (column-major, model order) for every row of `table`; see
    /// [`Pipeline::encode_table`] for the warnings about absent columns.
    ///
    /// # Errors
    /// None today (absent columns become NaN, not errors).
    pub fn features_from_table(&self, table: &Table) -> Result<Vec<Vec<f64>>> {
        Ok(self.encode_table(table)?.columns)
    }

    /// A feature value in words for explanations: the category label, the number formatted
    /// (with `%` or currency as in the data), `yes`/`no`, or `missing`.
    pub fn describe_value(&self, feature: usize, value: f64) -> String {
        let Some(info) = self.features.get(feature) else {
            return format_number(value);
        };
        if value.is_nan() {
            return "missing".into();
        }
        if let FeatureKind::Categorical { categories } = &info.kind {
            return categories
                .get(value as usize)
                .filter(|_| value >= 0.0 && value.fract() == 0.0)
                .cloned()
                .unwrap_or_else(|| "unknown".into());
        }
        match &info.transform {
            Transform::Boolean => if value >= 0.5 { "yes" } else { "no" }.into(),
            Transform::FreeMail => if value >= 0.5 {
                "free-mail address"
            } else {
                "company address"
            }
            .into(),
            Transform::DateAge { .. } => {
                let days = value.round() as i64;
                match days {
                    1 => "1 day old".into(),
                    d if d >= 0 => format!("{d} days old"),
                    d => format!("{} days after the training data's last date", -d),
                }
            }
            Transform::Number(f) => {
                let mut s = format_number(value);
                if let Some(c) = f.currency {
                    s = if value < 0.0 {
                        format!("-{c}{}", &s[1..])
                    } else {
                        format!("{c}{s}")
                    };
                }
                if f.percent {
                    s.push('%');
                }
                s
            }
            _ => format_number(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words() {
        assert_eq!(format_number(1200.0), "1,200");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(2.5), "2.50");
        assert_eq!(format_number(0.125), "0.125");
    }

    #[test]
    fn calendar_parts() {
        assert_eq!(weekday(0.0), 3.0, "1970-01-01 was a Thursday");
        assert_eq!(weekday(19786.0), 0.0, "2024-03-04 was a Monday");
        assert_eq!(month(19786.0), 2.0);
    }
}

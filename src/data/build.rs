//! Table → [`Dataset`]: the target, the feature columns (with derived date and e-mail features),
//! rare-category grouping, exclusions with reasons, and the [`Pipeline`] that repeats it all.

use std::collections::BTreeMap;

use super::dataset::{
    AllowedPersonal, ConstantColumn, Dataset, Feature, FeatureKind, PrivacyRecord,
};
use super::leak::{self, LeakFlag};
use super::parse::{self, DateOrder};
use super::pii;
use super::pipeline::{FeatureInfo, Pipeline, Transform, MONTHS, WEEKDAYS};
use super::table::{CellFormat, Column, ColumnKind, PersonalKind, Table};
use crate::{Error, Result};

/// The label of the category that groups rare values.
pub const OTHER: &str = "(other)";

/// Default [`DatasetOptions::min_category_rows`]: a value seen on fewer rows is never stored.
pub const DEFAULT_MIN_CATEGORY_ROWS: u64 = 10;
/// Default [`DatasetOptions::min_category_share`].
pub const DEFAULT_MIN_CATEGORY_SHARE: f64 = 0.0005;

impl DatasetOptions {
    /// The fewest rows a value needs to be stored, for a file of `rows` rows: the larger of
    /// [`DatasetOptions::min_category_rows`] and the share floor.
    pub fn min_value_rows(&self, rows: usize) -> u64 {
        let share = if self.min_category_share.is_finite() {
            self.min_category_share.clamp(0.0, 0.999)
        } else {
            0.0
        };
        self.min_category_rows
            .max(1)
            .max((share * rows as f64).ceil() as u64)
    }
}

/// How to build a [`Dataset`] from a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetOptions {
    /// The target column's name.
    pub target: String,
    /// Target values that count as positive (case-insensitive). Empty = automatic: the truthy
    /// value of a yes/no, true/false or 1/0 column; else, with exactly two values, the rarer
    /// one (stated in the notes); with more than two, a multi-class target.
    pub positive: Vec<String>,
    /// Columns (or derived features, e.g. `Created: month`) to leave out.
    pub drop: Vec<String>,
    /// Leave out the columns the leak scan flags (otherwise they are only flagged in the notes).
    pub exclude_leaky: bool,
    /// A category value (or e-mail domain) is stored in the model only when at least this many
    /// rows have it (default 10, at least 1); rarer values are grouped into `(other)` and their
    /// texts are not kept, so a model never names a value that only a few leads had.
    pub min_category_rows: u64,
    /// On large files, a value must also cover this share of the rows (default 0.0005, i.e. 1 in
    /// 2,000: 10 rows up to 20,000 rows, 50 rows at 100,000), in [0, 1).
    pub min_category_share: f64,
    /// Personal-data columns to train on anyway (as categories with the same rare-value rule, or
    /// dates for dates of birth); each is recorded in the model file's `privacy` section.
    pub allow_personal: Vec<String>,
    /// At most this many categories per feature (including `(other)`), in 2..=254.
    pub max_categories: usize,
    /// The date column whose dates order rows in time (`None` = the first date column, preferring
    /// names with "created" or "first").
    pub time_column: Option<String>,
}

impl Default for DatasetOptions {
    fn default() -> Self {
        DatasetOptions {
            target: String::new(),
            positive: Vec::new(),
            drop: Vec::new(),
            exclude_leaky: false,
            min_category_rows: DEFAULT_MIN_CATEGORY_ROWS,
            min_category_share: DEFAULT_MIN_CATEGORY_SHARE,
            allow_personal: Vec::new(),
            max_categories: 254,
            time_column: None,
        }
    }
}

impl DatasetOptions {
    /// Options for this target column, everything else default.
    pub fn target(target: &str) -> Self {
        DatasetOptions {
            target: target.to_string(),
            ..Self::default()
        }
    }
}

/// The target read from its column: a class per row (`None` = missing) and class names.
pub(crate) struct Target {
    pub(crate) classes: Vec<Option<u32>>,
    pub(crate) class_names: Vec<String>,
}

/// The columns for a message: at most 20 names (a 16,384-column file must not make a megabyte
/// of message), then how many more.
fn column_list(table: &Table) -> String {
    const SHOWN: usize = 20;
    let mut list = table
        .columns
        .iter()
        .take(SHOWN)
        .map(|c| format!("`{}`", super::guard::shorten(&c.name)))
        .collect::<Vec<_>>()
        .join(", ");
    if table.columns.len() > SHOWN {
        list.push_str(&format!(" and {} more", table.columns.len() - SHOWN));
    }
    list
}

/// Edit distance between two short strings (Levenshtein, by chars).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != cb) as usize)
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// "there is no column `x` …": up to three close names (a typo, other case or spacing, a name
/// that contains the other), else a short list of the columns.
fn no_such_column(table: &Table, what: &str, name: &str) -> Error {
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = key(name);
    let mut close: Vec<(usize, &str)> = table
        .columns
        .iter()
        .filter_map(|c| {
            let k = key(&c.name);
            if k.is_empty() || wanted.is_empty() || k.len() > 64 || wanted.len() > 64 {
                return None;
            }
            let d = edit_distance(&k, &wanted);
            let len = wanted.chars().count().min(k.chars().count());
            // A typo (about one edit per four letters), or one name inside the other.
            let near = d < len && d <= 1.max(len / 4);
            let inside = len >= 3 && (k.contains(&wanted) || wanted.contains(&k));
            (near || inside).then_some((d, c.name.as_str()))
        })
        .collect();
    close.sort_by_key(|&(d, _)| d);
    let hint = if close.is_empty() {
        format!("the columns are {}", column_list(table))
    } else {
        format!(
            "did you mean {}? ({} columns in all)",
            close
                .iter()
                .take(3)
                .map(|(_, n)| format!("`{}`", super::guard::shorten(n)))
                .collect::<Vec<_>>()
                .join(" or "),
            crate::limits::thousands(table.columns.len() as u64)
        )
    };
    Error::Data(format!(
        "there is no column `{}` {what}: {hint}",
        super::guard::shorten(name)
    ))
}

pub(crate) fn read_target(
    col: &Column,
    options: &DatasetOptions,
    notes: &mut Vec<String>,
) -> Result<Target> {
    // Distinct non-missing texts grouped case-insensitively, with row counts and first spelling.
    let mut groups: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for d in 0..col.distinct.len() {
        if !col.is_missing_distinct(d) {
            let e = groups
                .entry(col.distinct[d].to_lowercase())
                .or_insert((col.distinct[d].clone(), 0));
            e.1 += col.counts[d];
        }
    }
    let name = &col.name;
    if col.is_dense() {
        return Err(Error::Data(format!(
            "the target column `{name}` holds numbers with more than {} different values: \
             predicting an amount is not supported; choose a yes/no or category column",
            col.cardinality()
        )));
    }
    if groups.is_empty() {
        let rows: u64 = col.counts.iter().sum();
        return Err(Error::Data(if rows == 0 {
            "the file has a header but no data rows: it is empty below the header, so there is \
             nothing to train on"
                .to_string()
        } else {
            format!(
                "no rows are left to train on: the target column `{name}` has no value in any of \
                 its {rows} rows (empty or a missing placeholder); choose the column that \
                 records the outcome"
            )
        }));
    }
    let positive: Vec<String> = options
        .positive
        .iter()
        .map(|p| p.trim().to_lowercase())
        .collect();
    let class_of_key: BTreeMap<String, u32>;
    let class_names: Vec<String>;
    let values_list = || {
        groups
            .values()
            .map(|(s, _)| format!("`{s}`"))
            .take(20)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !positive.is_empty() {
        let pos: Vec<&String> = groups.keys().filter(|k| positive.contains(k)).collect();
        if pos.is_empty() {
            return Err(Error::Data(format!(
                "no row of `{name}` has the positive value {}: its values are {}",
                options
                    .positive
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                values_list()
            )));
        }
        if pos.len() == groups.len() {
            return Err(Error::Data(format!(
                "the target column `{name}` has only one outcome: every row is positive ({}); a model needs some negative rows too",
                values_list()
            )));
        }
        let pos_name = pos
            .iter()
            .map(|k| groups[*k].0.clone())
            .collect::<Vec<_>>()
            .join(" / ");
        let negs: Vec<&String> = groups.keys().filter(|k| !positive.contains(k)).collect();
        let neg_name = if negs.len() == 1 {
            groups[negs[0]].0.clone()
        } else {
            format!("not {pos_name}")
        };
        class_of_key = groups
            .keys()
            .map(|k| (k.clone(), positive.contains(k) as u32))
            .collect();
        class_names = vec![neg_name, pos_name];
    } else if groups.len() == 1 {
        return Err(Error::Data(format!(
            "the target column `{name}` has only one outcome ({}): a model needs at least two",
            values_list()
        )));
    } else if groups.keys().all(|k| parse::parse_bool(k).is_some()) {
        let truthy = |k: &String| parse::parse_bool(k) == Some(true);
        let name_of = |t: bool| {
            groups
                .iter()
                .filter(|(k, _)| truthy(k) == t)
                .max_by_key(|(_, v)| v.1)
                .map(|(_, v)| v.0.clone())
                .unwrap_or_default()
        };
        if !groups.keys().any(truthy) || groups.keys().all(truthy) {
            return Err(Error::Data(format!(
                "the target column `{name}` has only one outcome ({}): a model needs at least two",
                values_list()
            )));
        }
        class_of_key = groups
            .keys()
            .map(|k| (k.clone(), truthy(k) as u32))
            .collect();
        class_names = vec![name_of(false), name_of(true)];
    } else if groups.len() == 2 {
        let mut two: Vec<(&String, &(String, u64))> = groups.iter().collect();
        // Rarer value positive; ties: the later one alphabetically.
        two.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
        notes.push(format!(
            "target `{name}`: `{}` is taken as the positive outcome (the rarer of its two values; choose the positive value to change this)",
            two[1].1 .0
        ));
        class_of_key = [(two[0].0.clone(), 0), (two[1].0.clone(), 1)]
            .into_iter()
            .collect();
        class_names = vec![two[0].1 .0.clone(), two[1].1 .0.clone()];
    } else {
        const MAX_CLASSES: usize = crate::limits::MAX_CLASSES;
        if groups.len() > MAX_CLASSES {
            return Err(Error::Data(format!(
                "the target column `{name}` has {} different values (at most {MAX_CLASSES} classes): \
                 choose which values count as positive",
                groups.len()
            )));
        }
        notes.push(format!(
            "target `{name}` has {} classes: a multi-class model",
            groups.len()
        ));
        class_of_key = groups
            .keys()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
        class_names = groups.values().map(|v| v.0.clone()).collect();
    }
    let per_distinct: Vec<Option<u32>> = (0..col.distinct.len())
        .map(|d| {
            if col.is_missing_distinct(d) {
                None
            } else {
                class_of_key.get(&col.distinct[d].to_lowercase()).copied()
            }
        })
        .collect();
    Ok(Target {
        classes: col.codes.map(&per_distinct),
        class_names,
    })
}

/// A categorical transform for a column: codes for kept categories, `(other)` for the rest. A
/// category is kept when at least `min_rows` rows have it and (unless `allowed`, the user's
/// explicit choice) its text holds no personal data; the texts of the others are not stored.
fn category_transform(
    col: &Column,
    options: &DatasetOptions,
    min_rows: u64,
    allowed: bool,
    notes: &mut Vec<String>,
) -> (Vec<String>, Transform) {
    let cats = &col.categories; // sorted by rows, descending
    let max = options
        .max_categories
        .clamp(2, crate::limits::MAX_CATEGORIES);
    let personal: Vec<bool> = cats
        .iter()
        .map(|c| !allowed && pii::personal_in_value(&c.label).is_some())
        .collect();
    let eligible: Vec<usize> = (0..cats.len())
        .filter(|&i| cats[i].rows >= min_rows && !personal[i])
        .collect();
    let needs_other = eligible.len() < cats.len() || cats.len() > max;
    let keep = if needs_other {
        eligible.len().min(max - 1)
    } else {
        eligible.len()
    };
    // Category index → code.
    let mut code_of: Vec<Option<u32>> = vec![None; cats.len()];
    for (code, &i) in eligible[..keep].iter().enumerate() {
        code_of[i] = Some(code as u32);
    }
    let mut labels: Vec<String> = eligible[..keep]
        .iter()
        .map(|&i| cats[i].label.clone())
        .collect();
    let other = needs_other.then(|| {
        labels.push(OTHER.to_string());
        keep as u32
    });
    if needs_other {
        let grouped: Vec<usize> = (0..cats.len()).filter(|&i| code_of[i].is_none()).collect();
        let rows: u64 = grouped.iter().map(|&i| cats[i].rows).sum();
        let n_personal = grouped.iter().filter(|&&i| personal[i]).count();
        let n_rare = grouped
            .iter()
            .filter(|&&i| !personal[i] && cats[i].rows < min_rows)
            .count();
        let n_limit = grouped.len() - n_personal - n_rare;
        let mut why = Vec::new();
        if n_rare > 0 {
            why.push(format!("{n_rare} used by fewer than {min_rows} rows each"));
        }
        if n_personal > 0 {
            why.push(format!(
                "{n_personal} that contain personal data (an e-mail address, phone number, name…)"
            ));
        }
        if n_limit > 0 {
            why.push(format!("{n_limit} beyond the {max}-category limit"));
        }
        notes.push(format!(
            "`{}`: {} values ({rows} rows; {}) are grouped as `{OTHER}`; their texts are not stored in the model",
            col.name,
            grouped.len(),
            why.join(", ")
        ));
    }
    let mut codes = BTreeMap::new();
    for d in 0..col.distinct.len() {
        let t = col.typed[d];
        if !t.is_nan() {
            if let Some(code) = code_of.get(t as usize).copied().flatten() {
                codes.insert(col.distinct[d].to_lowercase(), code);
            }
        }
    }
    (
        labels,
        Transform::Category {
            codes,
            other,
            // Rare values are not in `codes` (their texts are not kept): they must still read as
            // `(other)` when scoring, as in training; so do values never seen.
            unseen_is_other: other.is_some(),
        },
    )
}

fn email_transform(
    col: &Column,
    options: &DatasetOptions,
    min_rows: u64,
    notes: &mut Vec<String>,
) -> (Vec<String>, Transform) {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for d in 0..col.distinct.len() {
        if let Some(dom) = pii::email_domain(&col.distinct[d]) {
            *counts.entry(dom).or_insert(0) += col.counts[d];
        }
    }
    let mut doms: Vec<(String, u64)> = counts.into_iter().collect();
    doms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let max = options
        .max_categories
        .clamp(2, crate::limits::MAX_CATEGORIES)
        - 1;
    let kept: Vec<(String, u64)> = doms
        .iter()
        .filter(|d| d.1 >= min_rows)
        .take(max)
        .cloned()
        .collect();
    let mut labels: Vec<String> = kept.iter().map(|d| d.0.clone()).collect();
    labels.push(OTHER.to_string());
    let codes = kept
        .iter()
        .enumerate()
        .map(|(i, d)| (d.0.clone(), i as u32))
        .collect();
    notes.push(format!(
        "`{}`: e-mail domains kept as a feature ({} common domains; the {} domains with fewer than {min_rows} rows are grouped as `{OTHER}` and not stored)",
        col.name,
        kept.len(),
        doms.len() - kept.len()
    ));
    (
        labels,
        Transform::EmailDomain {
            codes,
            other: Some(kept.len() as u32),
        },
    )
}

fn matches_name(list: &[String], name: &str) -> bool {
    list.iter().any(|d| d.trim().eq_ignore_ascii_case(name))
}

/// Refuses to train on a target with a class of fewer than [`crate::limits::MIN_CLASS_ROWS`]
/// rows: too few to split between training and validation rows (the metrics would otherwise fail
/// after training). `target` is the target column's name, for the message.
///
/// # Errors
/// `Error::Data` naming the column, the class and both counts.
pub fn check_class_rows(data: &Dataset, target: &str) -> Result<()> {
    check_class_counts(&data.labels, &data.class_names, target)
}

fn check_class_counts(labels: &[u32], class_names: &[String], target: &str) -> Result<()> {
    let mut counts = vec![0u64; class_names.len()];
    for &y in labels {
        if let Some(c) = counts.get_mut(y as usize) {
            *c += 1;
        }
    }
    let need = crate::limits::MIN_CLASS_ROWS;
    if let Some((i, &n)) = counts.iter().enumerate().find(|(_, &n)| n < need) {
        return Err(Error::Data(format!(
            "the target `{target}` has only {n} row{} of class `{}`; need at least {need} rows of \
             each outcome to train and validate a model: add rows with that outcome, or choose \
             which values count as positive",
            if n == 1 { "" } else { "s" },
            super::guard::shorten(&class_names[i])
        )));
    }
    Ok(())
}

/// At most how many features the table's columns can become (a date makes three, an e-mail
/// column two), for the memory limit before any feature is built.
fn feature_count_bound(table: &Table, target: &Column) -> usize {
    table
        .columns
        .iter()
        .filter(|c| !std::ptr::eq(*c, target))
        .map(|c| match c.kind {
            ColumnKind::Date => 3,
            ColumnKind::Personal(PersonalKind::Email) => 2,
            ColumnKind::Numeric | ColumnKind::Boolean | ColumnKind::Categorical => 1,
            _ => 0,
        })
        .sum()
}

/// Runs the leak scan (see [`super::leak`]) of every usable column against the target.
///
/// # Errors
/// As [`Dataset::new`] for the target (absent column, fewer than two outcomes, no positive row).
pub fn leak_scan(table: &Table, options: &DatasetOptions) -> Result<Vec<LeakFlag>> {
    let col = table
        .column(&options.target)
        .ok_or_else(|| no_such_column(table, "to predict", &options.target))?;
    let target = read_target(col, options, &mut Vec::new())?;
    Ok(leak::scan(
        &table.columns,
        &target.classes,
        &target.class_names,
        &col.name,
    ))
}

impl Dataset {
    /// Builds model-ready features and labels from a table.
    ///
    /// # Errors
    /// `Error::Data` when the target column does not exist, has fewer than two outcomes or no
    /// positive row, when a dropped or time column does not exist, or when no feature is left.
    pub fn new(table: &Table, options: &DatasetOptions) -> Result<Dataset> {
        let mut notes: Vec<String> = table.notes.clone();
        let mut constant_columns: Vec<ConstantColumn> = Vec::new();
        let target_col = table
            .column(&options.target)
            .ok_or_else(|| no_such_column(table, "to predict", &options.target))?;
        for d in &options.drop {
            let known = table.column(d).is_some()
                || d.contains(':') && table.column(d.split(':').next().unwrap_or("")).is_some();
            if !known {
                return Err(no_such_column(table, "to drop", d));
            }
        }
        let target = read_target(target_col, options, &mut notes)?;
        let leaks = leak::scan(
            &table.columns,
            &target.classes,
            &target.class_names,
            &target_col.name,
        );
        for flag in &leaks {
            if options.exclude_leaky {
                notes.push(format!(
                    "{} (left out: leaky columns are excluded)",
                    flag.message
                ));
            } else {
                notes.push(flag.message.clone());
            }
        }
        let leaky = |name: &str| options.exclude_leaky && leaks.iter().any(|f| f.column == name);
        let rows: Vec<usize> = (0..table.n_rows)
            .filter(|&r| target.classes[r].is_some())
            .collect();
        let missing_target = table.n_rows - rows.len();
        if missing_target > 0 {
            notes.push(format!(
                "{missing_target} rows have no value for `{}` and are left out",
                target_col.name
            ));
        }
        let labels: Vec<u32> = rows
            .iter()
            .map(|&r| target.classes[r].unwrap_or(0))
            .collect();
        crate::limits::check_rows(rows.len())?;
        crate::limits::check_training_cells(rows.len(), feature_count_bound(table, target_col))?;
        let mut features: Vec<Feature> = Vec::new();
        let mut infos: Vec<FeatureInfo> = Vec::new();
        let mut push = |name: String,
                        source: &str,
                        kind: FeatureKind,
                        transform: Transform,
                        values: Vec<f64>| {
            infos.push(FeatureInfo {
                name: name.clone(),
                source: source.to_string(),
                kind: kind.clone(),
                transform,
            });
            features.push(Feature {
                name,
                source: source.to_string(),
                kind,
                values,
            });
        };
        let pick = |all: Vec<f64>| -> Vec<f64> { rows.iter().map(|&r| all[r]).collect() };
        let min_rows = options.min_value_rows(table.n_rows);
        let mut privacy = PrivacyRecord {
            min_category_rows: min_rows,
            allowed_personal: Vec::new(),
        };
        for name in &options.allow_personal {
            match table.column(name) {
                None => return Err(no_such_column(table, "to allow", name)),
                Some(c) if !matches!(c.kind, ColumnKind::Personal(_)) => notes.push(format!(
                    "`{}` was allowed as personal data, but it is not taken as personal data: nothing to allow",
                    c.name
                )),
                Some(_) => {}
            }
        }
        for col in &table.columns {
            if std::ptr::eq(col, target_col) {
                continue;
            }
            if matches_name(&options.drop, &col.name) {
                notes.push(format!("`{}` left out as asked", col.name));
                continue;
            }
            if leaky(&col.name) {
                continue;
            }
            let allowed_copy;
            let allowed = match col.kind {
                ColumnKind::Personal(p) if matches_name(&options.allow_personal, &col.name) => {
                    notes.push(format!(
                        "`{}` holds personal data ({}): used as a feature because you allowed it explicitly; the model file records this (values used by fewer than {min_rows} rows are still not stored)",
                        col.name,
                        p.words()
                    ));
                    privacy.allowed_personal.push(AllowedPersonal {
                        column: col.name.clone(),
                        holds: p.words().to_string(),
                    });
                    true
                }
                _ => false,
            };
            let col = if allowed {
                allowed_copy = super::infer::as_allowed(col);
                &allowed_copy
            } else {
                col
            };
            match (col.kind, col.format) {
                (ColumnKind::Numeric, CellFormat::Number(f)) => {
                    push(
                        col.name.clone(),
                        &col.name,
                        FeatureKind::Numeric,
                        Transform::Number(f),
                        pick(col.values()),
                    );
                }
                (ColumnKind::Boolean, _) => {
                    push(
                        col.name.clone(),
                        &col.name,
                        FeatureKind::Numeric,
                        Transform::Boolean,
                        pick(col.values()),
                    );
                }
                (ColumnKind::Categorical, _) => {
                    let (categories, transform) =
                        category_transform(col, options, min_rows, allowed, &mut notes);
                    let Transform::Category { codes, other, .. } = &transform else {
                        continue;
                    };
                    let per_distinct: Vec<f64> = (0..col.distinct.len())
                        .map(|d| match col.typed[d] {
                            t if t.is_nan() => f64::NAN,
                            _ => codes
                                .get(&col.distinct[d].to_lowercase())
                                .or(other.as_ref())
                                .map_or(f64::NAN, |&c| c as f64),
                        })
                        .collect();
                    let values = pick(col.codes.map(&per_distinct));
                    push(
                        col.name.clone(),
                        &col.name,
                        FeatureKind::Categorical { categories },
                        transform,
                        values,
                    );
                }
                (ColumnKind::Date, CellFormat::Date(order)) => {
                    let days = pick(col.values());
                    let reference = days
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan())
                        .fold(f64::NEG_INFINITY, f64::max);
                    let reference = if reference.is_finite() {
                        reference.floor() + 1.0
                    } else {
                        0.0
                    };
                    let (ry, rm, rd) = crate::data::parse::civil_from_days(reference as i64 - 1);
                    notes.push(format!(
                        "`{}`: dates become the lead's age in days on {ry:04}-{rm:02}-{rd:02} (the latest date in the data), the day of the week and the month",
                        col.name
                    ));
                    let age: Vec<f64> = days.iter().map(|d| reference - d).collect();
                    let wd: Vec<f64> = days
                        .iter()
                        .map(|&d| {
                            if d.is_nan() {
                                d
                            } else {
                                (d.floor() as i64 + 3).rem_euclid(7) as f64
                            }
                        })
                        .collect();
                    let mo: Vec<f64> = days
                        .iter()
                        .map(|&d| {
                            if d.is_nan() {
                                d
                            } else {
                                (crate::data::parse::civil_from_days(d.floor() as i64).1 - 1) as f64
                            }
                        })
                        .collect();
                    let order: DateOrder = order;
                    push(
                        format!("{}: age (days)", col.name),
                        &col.name,
                        FeatureKind::Numeric,
                        Transform::DateAge { order, reference },
                        age,
                    );
                    let cats = |l: &[&str]| FeatureKind::Categorical {
                        categories: l.iter().map(|s| s.to_string()).collect(),
                    };
                    push(
                        format!("{}: day of week", col.name),
                        &col.name,
                        cats(&WEEKDAYS),
                        Transform::DateWeekday { order },
                        wd,
                    );
                    push(
                        format!("{}: month", col.name),
                        &col.name,
                        cats(&MONTHS),
                        Transform::DateMonth { order },
                        mo,
                    );
                }
                (ColumnKind::Personal(PersonalKind::Email), _) => {
                    notes.push(format!(
                        "`{}` excluded: {}",
                        col.name,
                        col.excluded_because.clone().unwrap_or_default()
                    ));
                    let (categories, transform) =
                        email_transform(col, options, min_rows, &mut notes);
                    let Transform::EmailDomain { codes, other } = &transform else {
                        continue;
                    };
                    let dom: Vec<f64> = (0..col.distinct.len())
                        .map(|d| match pii::email_domain(&col.distinct[d]) {
                            Some(x) if !col.is_missing_distinct(d) => codes
                                .get(&x)
                                .or(other.as_ref())
                                .map_or(f64::NAN, |&c| c as f64),
                            _ => f64::NAN,
                        })
                        .collect();
                    let free: Vec<f64> = (0..col.distinct.len())
                        .map(|d| match pii::email_domain(&col.distinct[d]) {
                            Some(x) if !col.is_missing_distinct(d) => {
                                pii::is_free_mail(&x) as u8 as f64
                            }
                            _ => f64::NAN,
                        })
                        .collect();
                    push(
                        format!("{}: domain", col.name),
                        &col.name,
                        FeatureKind::Categorical { categories },
                        transform,
                        pick(col.codes.map(&dom)),
                    );
                    push(
                        format!("{}: free mail", col.name),
                        &col.name,
                        FeatureKind::Numeric,
                        Transform::FreeMail,
                        pick(col.codes.map(&free)),
                    );
                }
                _ => {
                    let why = col
                        .excluded_because
                        .clone()
                        .unwrap_or_else(|| format!("its kind ({}) is not used", col.kind.name()));
                    notes.push(format!("`{}` excluded: {why}", col.name));
                    if col.kind == ColumnKind::Constant {
                        let value = col.top_values(1).into_iter().next().map(|(v, _)| v);
                        // A constant personal value is a personal column (see `infer`); this
                        // also keeps out any value with personal data in it, and a value seen
                        // on too few rows (a tiny file).
                        let personal = value
                            .as_deref()
                            .is_some_and(|v| pii::personal_in_value(v).is_some());
                        let rare = value.is_some() && (table.n_rows as u64) < min_rows;
                        if !personal && !rare {
                            constant_columns.push(ConstantColumn {
                                name: col.name.clone(),
                                value,
                            });
                        }
                    }
                }
            }
        }
        // Derived features named in `drop`.
        let mut i = 0;
        while i < features.len() {
            if features[i].name != features[i].source
                && matches_name(&options.drop, &features[i].name)
            {
                notes.push(format!("`{}` left out as asked", features[i].name));
                features.remove(i);
                infos.remove(i);
            } else {
                i += 1;
            }
        }
        let time_key = match &options.time_column {
            Some(t) => {
                let col = table
                    .column(t)
                    .ok_or_else(|| no_such_column(table, "to order rows in time", t))?;
                if let ColumnKind::Personal(p) = col.kind {
                    return Err(Error::Data(format!(
                        "the time column `{}` holds personal data ({}): it is never used to order rows in time; choose another date column",
                        col.name,
                        p.words()
                    )));
                }
                if col.kind != ColumnKind::Date {
                    return Err(Error::Data(format!(
                        "the time column `{}` does not hold dates (it looks {})",
                        col.name,
                        col.kind.name()
                    )));
                }
                Some(col)
            }
            None => {
                let all_dates: Vec<&Column> = table
                    .columns
                    .iter()
                    .filter(|c| c.kind == ColumnKind::Date && c.missing_fraction() < 0.5)
                    .collect();
                let named = |c: &&&Column| {
                    let n = c.name.to_lowercase();
                    n.contains("creat") || n.contains("first")
                };
                all_dates.iter().find(named).or(all_dates.first()).copied()
            }
        }
        .map(|c| {
            notes.push(format!("rows are ordered in time by `{}`", c.name));
            rows.iter().map(|&r| c.value(r)).collect()
        });
        if features.is_empty() {
            // A target that cannot be trained on is the first thing to fix.
            check_class_counts(&labels, &target.class_names, &target_col.name)?;
            return Err(Error::Data(format!(
                "no usable feature is left besides the target `{}`: every other column is excluded or dropped (see the notes)",
                target_col.name
            )));
        }
        Ok(Dataset {
            features,
            labels,
            class_names: target.class_names,
            time_key,
            pipeline: Pipeline {
                features: infos,
                missing: table.missing.clone(),
            },
            notes,
            constant_columns,
            privacy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn missing(header: &str, target: &str) -> String {
        let csv = format!(
            "{header}\n{}\n",
            header.split(',').map(|_| "1").collect::<Vec<_>>().join(",")
        );
        let table = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
        no_such_column(&table, "to predict", target).to_string()
    }

    #[test]
    fn a_missing_column_suggests_close_names_or_lists_a_few() {
        assert!(missing("Lead Source,Converted", "convrted").contains("did you mean `Converted`?"));
        assert!(
            missing("Lead Source,Converted", "lead_source").contains("did you mean `Lead Source`?")
        );
        let e = missing("a,b", "c");
        assert!(e.ends_with("the columns are `a`, `b`"), "{e}");
        let wide: Vec<String> = (0..30).map(|i| format!("col{i}")).collect();
        let e = missing(&wide.join(","), "zzz");
        assert!(
            e.contains("`col19` and 10 more") && !e.contains("col20"),
            "{e}"
        );
    }
}

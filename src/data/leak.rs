//! Leak scan: columns that predict the target too well to be known before the outcome.
//!
//! Column checks, all on the rows that have a target (flags are warnings in plain words, with the
//! evidence; a flagged column is only left out when the caller asks for it):
//! - **single-column AUC ≥ 0.95**: each value group (a category, a numeric quantile bin, or
//!   "missing") scores the rows with its smoothed positive rate; the AUC of that score (one class
//!   against the rest for multi-class targets, the best class counts) says how well the column
//!   alone separates the outcomes;
//! - **filled in for one class only**: at least 99% of the rows where the column is filled in
//!   belong to one class, while that class is under 90% of all rows;
//! - **a value that settles the outcome** (categorical and yes/no columns): a value on at least
//!   2% of the rows where one class, expected at least 20 times at its overall rate, occurs at
//!   most a tenth as often as expected (e.g. a status `Closed by Horizzon` that is 99% converted).
//!   Outcome codes written back into lead fields look like this; a genuine signal rarely does;
//! - **a range that settles the outcome** (numeric columns): the same test on every range
//!   `x ≤ v`, `x > v` and `x = v` of the column's values, with a 95% upper confidence bound
//!   instead of the raw count (so a chance gap in a small tail does not count): one class, expected
//!   at least 20 times in the range, occurs there at most a tenth as often as its overall rate
//!   predicts *even at the bound*, and the range holds at least 2% of the rows or at least 10% of
//!   the class it leaves. `spend > 0` ⇔ bought, or a call's `duration` under ~20 s ⇒ "no", are
//!   caught this way although their single-column AUC can be as low as 0.8; strong honest signals
//!   (time on site, visits, a campaign count) thin out a class gradually and stay above a tenth;
//! - **a strong single field** (categorical columns with at least three values on ≥ 1% of the
//!   rows): single-column AUC ≥ 0.68, with values under 1% of the rows pooled into one group so
//!   that a many-valued id cannot score by memorising small groups. One field chosen from a list
//!   that ranks leads this well on its own is typical of what the sales process writes back (a
//!   last activity, a disposition, a rep's rating): measured this way, early categorical signals
//!   (lead source, origin, landing page, channel, industry, month) score 0.60–0.66 on the shared
//!   datasets and 0.65 in both demo generators, post-contact fields 0.70–0.91; 0.68 sits in that
//!   gap. It is a prompt to check, not proof: an exceptionally strong honest list field can reach
//!   it. Yes/no and numeric columns are not held to this bar (a single yes/no split or time on
//!   site, ~0.77 honestly, are not list choices).
//!
//! [`model_warnings`] adds two model-level checks for after training: a held-out AUC ≥ 0.97
//! (implausible for lead scoring) and one column carrying most of the model's importance.

use serde::Serialize;

use super::table::{Column, ColumnKind};

/// Single-column AUC at or above this flags a column.
pub const LEAK_AUC: f64 = 0.95;
/// Single-column AUC (values under 1% of the rows pooled) at or above this flags a categorical
/// column with at least three values on 1% of the rows or more.
pub const STRONG_CATEGORY_AUC: f64 = 0.68;
/// A held-out AUC at or above this is flagged by [`model_warnings`].
pub const IMPLAUSIBLE_AUC: f64 = 0.97;
/// One column with at least this share of the model's total importance is flagged by
/// [`model_warnings`].
pub const DOMINANT_SHARE: f64 = 0.6;
/// Numeric columns are cut into at most this many quantile bins for the scan.
const BINS: usize = 64;
/// Smoothing (pseudo-rows at the overall rate) of each group's positive rate.
const PRIOR_ROWS: f64 = 10.0;
/// A class must be expected at least this many times in a value group or range to test it.
const MIN_EXPECTED: f64 = 20.0;
/// "Settles": the class occurs at most this share of its expected count.
const SETTLES_RATIO: f64 = 0.1;

/// Which check raised a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeakRule {
    /// Single-column AUC ≥ [`LEAK_AUC`].
    HighAuc,
    /// Filled in (almost) only for one class.
    OnlyFilledForOneClass,
    /// A category or yes/no value settles the outcome.
    DecidingValue,
    /// A numeric range settles the outcome.
    DecidingRange,
    /// A categorical or yes/no column with single-column AUC ≥ [`STRONG_CATEGORY_AUC`].
    StrongCategory,
    /// Model level: one column carries most of the importance.
    DominantColumn,
    /// Model level: the held-out AUC is implausibly high.
    ImplausibleAuc,
}

/// A column flagged by the leak scan (or, from [`model_warnings`], by the trained model).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeakFlag {
    /// The column's name.
    pub column: String,
    /// Its single-column AUC on the target, in [0.5, 1] (model-level flags: the model's held-out
    /// AUC, or 0.5 when unknown).
    pub auc: f64,
    /// When the column is filled in only for one class: that class's name.
    pub only_filled_for: Option<String>,
    /// A value that (almost) settles the outcome, if any.
    pub deciding_value: Option<String>,
    /// A numeric range that (almost) settles the outcome, in words (`above 0`, `22 or less`).
    pub deciding_range: Option<String>,
    /// The check that raised the flag (the strongest one when several did).
    pub rule: LeakRule,
    /// The finding in plain words, with its evidence and what to check.
    pub message: String,
}

/// Group index per row for a column (`u32::MAX` = leave the row out); the missing group is last.
fn groups(col: &Column, rows: &[usize]) -> (Vec<u32>, usize) {
    match col.kind {
        ColumnKind::Numeric | ColumnKind::Date => {
            let mut vals: Vec<f64> = rows
                .iter()
                .map(|&r| col.value(r))
                .filter(|v| !v.is_nan())
                .collect();
            vals.sort_by(f64::total_cmp);
            vals.dedup();
            // Bin edges at quantiles of the distinct values.
            let n_bins = vals.len().min(BINS);
            let edges: Vec<f64> = (1..n_bins).map(|i| vals[i * vals.len() / n_bins]).collect();
            let g = rows
                .iter()
                .map(|&r| {
                    let v = col.value(r);
                    if v.is_nan() {
                        n_bins as u32
                    } else {
                        edges.partition_point(|&e| e <= v) as u32
                    }
                })
                .collect();
            (g, n_bins + 1)
        }
        ColumnKind::Boolean | ColumnKind::Categorical => {
            let n = col.categories.len().max(2);
            let g = rows
                .iter()
                .map(|&r| {
                    let v = col.value(r);
                    if v.is_nan() {
                        n as u32
                    } else {
                        v as u32
                    }
                })
                .collect();
            (g, n + 1)
        }
        _ => (Vec::new(), 0),
    }
}

/// AUC of scoring each row by its group's smoothed rate of `class`.
fn group_auc(g: &[u32], n_groups: usize, labels: &[u32], class: u32) -> f64 {
    let mut pos = vec![0f64; n_groups];
    let mut all = vec![0f64; n_groups];
    for (&gi, &l) in g.iter().zip(labels) {
        all[gi as usize] += 1.0;
        if l == class {
            pos[gi as usize] += 1.0;
        }
    }
    let p_total: f64 = pos.iter().sum();
    let n_total: f64 = all.iter().sum::<f64>() - p_total;
    if p_total == 0.0 || n_total == 0.0 {
        return 0.5;
    }
    let base = p_total / (p_total + n_total);
    let mut order: Vec<(f64, f64, f64)> = (0..n_groups)
        .filter(|&i| all[i] > 0.0)
        .map(|i| {
            (
                (pos[i] + PRIOR_ROWS * base) / (all[i] + PRIOR_ROWS),
                pos[i],
                all[i] - pos[i],
            )
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Walk groups from the lowest score: each positive beats the negatives seen before it.
    let mut neg_below = 0.0;
    let mut wins = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        let (mut p, mut n) = (0.0, 0.0);
        while j < order.len() && order[j].0 == order[i].0 {
            p += order[j].1;
            n += order[j].2;
            j += 1;
        }
        wins += p * neg_below + 0.5 * p * n;
        neg_below += n;
        i = j;
    }
    let auc = wins / (p_total * n_total);
    auc.max(1.0 - auc)
}

/// Groups for the strong-field check: value groups with fewer than 1% of the rows are pooled
/// into one, so that many small groups cannot separate the outcomes by memorising them (a
/// 500-value landing-page id scores 0.73 in-sample and 0.66 this way). Returns the regrouped
/// rows, the number of groups and how many groups hold at least 1% of the rows.
fn pooled_groups(g: &[u32], n_groups: usize) -> (Vec<u32>, usize, usize) {
    let mut size = vec![0usize; n_groups];
    for &gi in g {
        size[gi as usize] += 1;
    }
    let min = g.len().div_ceil(100);
    let big = size.iter().filter(|&&s| s >= min).count();
    let pooled = g
        .iter()
        .map(|&gi| {
            if size[gi as usize] >= min {
                gi
            } else {
                n_groups as u32
            }
        })
        .collect();
    (pooled, n_groups + 1, big)
}

/// The largest value group of a categorical or yes/no column in which some class occurs at most
/// a tenth as often as its overall rate predicts (expected ≥ 20 rows, group ≥ 2% of rows).
/// Returns (category index, the dominant class, rows, the dominant class's share in the group).
fn deciding_value(
    col: &Column,
    g: &[u32],
    labels: &[u32],
    class_rows: &[u64],
) -> Option<(usize, usize, u64, f64)> {
    if !matches!(col.kind, ColumnKind::Categorical | ColumnKind::Boolean) {
        return None;
    }
    let n_groups = col.categories.len().max(2);
    let k = class_rows.len();
    let mut counts = vec![0u64; n_groups * k];
    for (&gi, &l) in g.iter().zip(labels) {
        if (gi as usize) < n_groups {
            counts[gi as usize * k + l as usize] += 1;
        }
    }
    let total = labels.len() as f64;
    let mut best: Option<(usize, usize, u64, f64)> = None;
    for grp in 0..n_groups {
        let row = &counts[grp * k..(grp + 1) * k];
        let rows: u64 = row.iter().sum();
        if (rows as f64) < 0.02 * total {
            continue;
        }
        let settles = (0..k).any(|c| {
            let expected = rows as f64 * class_rows[c] as f64 / total;
            expected >= 20.0 && (row[c] as f64) <= 0.1 * expected
        });
        if settles && best.is_none_or(|b| rows > b.2) {
            let dominant = (0..k).max_by_key(|&c| row[c]).unwrap_or(0);
            best = Some((grp, dominant, rows, row[dominant] as f64 / rows as f64));
        }
    }
    best
}

/// One-sided 95% upper confidence bound of a Poisson count observed `k` times
/// (Wilson–Hilferty; 3.0 for `k = 0`, 6.3 for `k = 2`).
fn poisson_upper(k: u64) -> f64 {
    let a = k as f64 + 1.0;
    let t = 1.0 - 1.0 / (9.0 * a) + 1.645 / (3.0 * a.sqrt());
    a * t * t * t
}

/// A number in words: thousands separators, at most 2 decimals (`1234.5` → `1,234.5`).
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = crate::limits::thousands(v.abs() as u64);
        return if v < 0.0 { format!("-{s}") } else { s };
    }
    let r = (v * 100.0).round() / 100.0;
    let whole = crate::limits::thousands(r.abs().trunc() as u64);
    let frac = format!("{:.2}", r.abs().fract());
    let frac = frac.trim_start_matches('0').trim_end_matches('0');
    format!("{}{whole}{frac}", if r < 0.0 { "-" } else { "" })
}

fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 99.0 && p < 100.0 {
        format!("{:.1}%", p.min(99.9))
    } else if p < 1.0 && p > 0.0 {
        format!("{:.2}%", p.max(0.01))
    } else {
        format!("{p:.0}%")
    }
}

/// A numeric range that settles the outcome.
struct Range {
    /// Its dominant class is the rarest class.
    rare: bool,
    /// The range in words (`above 0`).
    words: String,
    /// Rows in the range.
    rows: u64,
    /// The class that dominates the range and its rows there.
    dominant: usize,
    dominant_rows: u64,
    /// Share of the dominant class's rows (with a value) that the range holds.
    held: f64,
}

/// The numeric range (`x ≤ v`, `x > v` or `x = v`) that settles the outcome and holds the
/// largest share of the class it leaves (see the module docs), if any.
fn deciding_range(col: &Column, rows: &[usize], labels: &[u32], k: usize) -> Option<Range> {
    if col.kind != ColumnKind::Numeric {
        return None;
    }
    let mut vals: Vec<(f64, u32)> = rows
        .iter()
        .zip(labels)
        .map(|(&r, &l)| (col.value(r), l))
        .filter(|(v, _)| !v.is_nan())
        .collect();
    if vals.len() < 2 {
        return None;
    }
    vals.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Runs of equal values with their per-class counts.
    let mut runs: Vec<(f64, Vec<u64>)> = Vec::new();
    for &(v, l) in &vals {
        match runs.last_mut() {
            Some(run) if run.0 == v => run.1[l as usize] += 1,
            _ => {
                let mut c = vec![0u64; k];
                c[l as usize] += 1;
                runs.push((v, c));
            }
        }
    }
    if runs.len() < 2 {
        return None;
    }
    let n = vals.len() as u64;
    let mut totals = vec![0u64; k];
    for &(_, l) in &vals {
        totals[l as usize] += 1;
    }
    let mut best: Option<Range> = None;
    let mut consider = |counts: &[u64], words: &dyn Fn() -> String| {
        let rows: u64 = counts.iter().sum();
        if rows == 0 || rows == n {
            return;
        }
        let settles = (0..k).any(|c| {
            let expected = rows as f64 * totals[c] as f64 / n as f64;
            expected >= MIN_EXPECTED && poisson_upper(counts[c]) <= SETTLES_RATIO * expected
        });
        if !settles {
            return;
        }
        let dominant = (0..k).max_by_key(|&c| counts[c]).unwrap_or(0);
        let held = counts[dominant] as f64 / totals[dominant].max(1) as f64;
        if (rows as f64) < 0.02 * n as f64 && held < 0.1 {
            return;
        }
        // Prefer a range that settles the rarest class (`spend above 0` ⇒ bought over
        // `spend 0 or less` ⇒ did not), then the one holding more of its class, then the smaller.
        let rare = totals[dominant] == totals.iter().copied().min().unwrap_or(0);
        let key = (rare, held, std::cmp::Reverse(rows));
        if best.as_ref().is_none_or(|b| {
            let bkey = (b.rare, b.held, std::cmp::Reverse(b.rows));
            key.partial_cmp(&bkey) == Some(std::cmp::Ordering::Greater)
        }) {
            best = Some(Range {
                rare,
                words: words(),
                rows,
                dominant,
                dominant_rows: counts[dominant],
                held,
            });
        }
    };
    let mut below = vec![0u64; k];
    for (i, run) in runs.iter().enumerate() {
        consider(&run.1, &|| format!("equal to {}", number(run.0)));
        if i + 1 == runs.len() {
            break;
        }
        for (b, r) in below.iter_mut().zip(&run.1) {
            *b += r;
        }
        let above: Vec<u64> = (0..k).map(|c| totals[c] - below[c]).collect();
        consider(&below, &|| format!("{} or less", number(run.0)));
        consider(&above, &|| format!("above {}", number(run.0)));
    }
    best
}

/// The value group of a categorical or yes/no column whose rate of some class differs most from
/// the overall rate, weighted by its rows (for the evidence of a strong-field flag):
/// (category index, class, rows, the class's share in the group).
fn telling_value(
    col: &Column,
    g: &[u32],
    labels: &[u32],
    class_rows: &[u64],
) -> Option<(usize, usize, u64, f64)> {
    let n_groups = col.categories.len().max(2);
    let k = class_rows.len();
    let mut counts = vec![0u64; n_groups * k];
    for (&gi, &l) in g.iter().zip(labels) {
        if (gi as usize) < n_groups {
            counts[gi as usize * k + l as usize] += 1;
        }
    }
    let total = labels.len() as f64;
    let mut best: Option<(f64, (usize, usize, u64, f64))> = None;
    for grp in 0..n_groups {
        let row = &counts[grp * k..(grp + 1) * k];
        let rows: u64 = row.iter().sum();
        if rows == 0 {
            continue;
        }
        let classes: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        for c in classes {
            let share = row[c] as f64 / rows as f64;
            let gap = (share - class_rows[c] as f64 / total).abs() * rows as f64;
            if best.as_ref().is_none_or(|b| gap > b.0) {
                best = Some((gap, (grp, c, rows, share)));
            }
        }
    }
    best.map(|b| b.1)
}

/// Scans the feature-kind columns of a table against per-row classes (`None` = no target).
/// `skip` names columns to leave out (the target itself).
pub fn scan(
    columns: &[Column],
    classes: &[Option<u32>],
    class_names: &[String],
    skip: &str,
) -> Vec<LeakFlag> {
    let rows: Vec<usize> = (0..classes.len())
        .filter(|&r| classes[r].is_some())
        .collect();
    let labels: Vec<u32> = rows.iter().map(|&r| classes[r].unwrap_or(0)).collect();
    let n_classes = class_names.len() as u32;
    let mut class_rows = vec![0u64; n_classes as usize];
    for &l in &labels {
        class_rows[l as usize] += 1;
    }
    let n_rows = rows.len() as f64;
    let binary = n_classes == 2;
    let target = skip;
    let mut flags = Vec::new();
    for col in columns {
        if col.name == skip || !col.kind.is_feature() || rows.is_empty() {
            continue;
        }
        let (g, n_groups) = groups(col, &rows);
        if n_groups == 0 {
            continue;
        }
        let classes_to_check: Vec<u32> = if binary {
            vec![1]
        } else {
            (0..n_classes).collect()
        };
        let auc = classes_to_check
            .iter()
            .map(|&c| group_auc(&g, n_groups, &labels, c))
            .fold(0.5, f64::max);
        // Filled in for one class only.
        let missing_group = (n_groups - 1) as u32;
        let mut filled = vec![0u64; n_classes as usize];
        for (&gi, &l) in g.iter().zip(&labels) {
            if gi != missing_group {
                filled[l as usize] += 1;
            }
        }
        let total_filled: u64 = filled.iter().sum();
        let only = (0..n_classes as usize).find(|&c| {
            total_filled >= 10
                && total_filled < rows.len() as u64
                && filled[c] as f64 >= 0.99 * total_filled as f64
                && (class_rows[c] as f64) < 0.9 * rows.len() as f64
        });
        let deciding = deciding_value(col, &g, &labels, &class_rows);
        let range = if only.is_none() {
            deciding_range(col, &rows, &labels, n_classes as usize)
        } else {
            None
        };
        let categorical = matches!(col.kind, ColumnKind::Categorical | ColumnKind::Boolean);
        // A single-column AUC means little when the rarer outcome has only a handful of rows.
        let rarer = class_rows.iter().copied().min().unwrap_or(0) as f64;
        let strong_auc = if categorical && auc >= STRONG_CATEGORY_AUC && rarer >= MIN_EXPECTED {
            let (pooled, n_pooled, big) = pooled_groups(&g, n_groups);
            if big >= 3 {
                classes_to_check
                    .iter()
                    .map(|&c| group_auc(&pooled, n_pooled, &labels, c))
                    .fold(0.5, f64::max)
            } else {
                0.5
            }
        } else {
            0.5
        };
        let strong = strong_auc >= STRONG_CATEGORY_AUC;
        if auc < LEAK_AUC && only.is_none() && deciding.is_none() && range.is_none() && !strong {
            continue;
        }
        let name = &col.name;
        let label = |grp: usize| col.categories.get(grp).map_or("?", |c| c.label.as_str());
        let rate = |c: usize| class_rows[c] as f64 / n_rows;
        let check = "was it filled in after the sales contact? Leave it out unless it is known before the outcome";
        let (rule, message) = if let Some(c) = only {
            (
                LeakRule::OnlyFilledForOneClass,
                format!(
                    "{name} is filled in almost only for {} rows ({} of the {} rows where it is filled in; \
                     single-column AUC {auc:.2} over {} rows): it was probably recorded after the outcome. \
                     Leave it out unless it is known before",
                    class_names[c],
                    number(filled[c] as f64),
                    number(total_filled as f64),
                    number(n_rows),
                ),
            )
        } else if let Some(r) = &range {
            let d = r.dominant;
            let evidence = if r.dominant_rows == r.rows {
                format!(
                    "every row with {name} {} has {target} = {} ({} rows, against {} overall)",
                    r.words,
                    class_names[d],
                    number(r.rows as f64),
                    pct(rate(d))
                )
            } else {
                format!(
                    "{} of the {} rows with {name} {} have {target} = {} ({}, against {} overall)",
                    number(r.dominant_rows as f64),
                    number(r.rows as f64),
                    r.words,
                    class_names[d],
                    pct(r.dominant_rows as f64 / r.rows as f64),
                    pct(rate(d))
                )
            };
            (
                LeakRule::DecidingRange,
                format!(
                    "{name} almost settles the outcome: {evidence}; those rows are {} of the rows with {target} = {} \
                     where {name} is filled in. \
                     A number known only after the outcome (an amount paid, the length of a call) looks like this: {check}",
                    pct(r.held),
                    class_names[d],
                ),
            )
        } else if let Some((group, c, grp_rows, share)) = &deciding {
            (
                LeakRule::DecidingValue,
                format!(
                    "{name} = “{}” almost settles the outcome: {} of its {} rows have {target} = {} (against {} overall; \
                     single-column AUC {auc:.2}): {check}",
                    label(*group),
                    pct(*share),
                    number(*grp_rows as f64),
                    class_names[*c],
                    pct(rate(*c))
                ),
            )
        } else if auc >= LEAK_AUC {
            (
                LeakRule::HighAuc,
                format!(
                    "{name} predicts the outcome almost perfectly on its own (single-column AUC {auc:.2} over {} rows): {check}",
                    number(n_rows)
                ),
            )
        } else {
            let evidence = telling_value(col, &g, &labels, &class_rows)
                .map(|(grp, c, rows, share)| {
                    format!(
                        "; {} of the {} rows with “{}” have {target} = {}, against {} overall",
                        pct(share),
                        number(rows as f64),
                        label(grp),
                        class_names[c],
                        pct(rate(c))
                    )
                })
                .unwrap_or_default();
            (
                LeakRule::StrongCategory,
                format!(
                    "{name} alone separates the outcomes strongly for a single field (single-column AUC {strong_auc:.2} \
                     over {} rows{evidence}). Fields that the sales process fills in or updates (a last activity, \
                     a status, a rep's rating) look like this: {check}",
                    number(n_rows)
                ),
            )
        };
        flags.push(LeakFlag {
            column: name.clone(),
            auc,
            only_filled_for: only.map(|c| class_names[c].clone()),
            deciding_value: deciding.and_then(|d| col.categories.get(d.0).map(|c| c.label.clone())),
            deciding_range: range.map(|r| r.words),
            rule,
            message,
        });
    }
    flags
}

/// Model-level leak warnings after training: a held-out AUC ≥ [`IMPLAUSIBLE_AUC`] (`auc`: the
/// AUC and the held-out rows it was measured on), and one column with at least
/// [`DOMINANT_SHARE`] of the total importance (`importance`: per source column, e.g. mean |SHAP|
/// as from `explain::importance`, any order, measured on `importance_rows` rows).
/// Real lead scoring rarely goes above an AUC of 0.9; a column that carries most of what the
/// model knows is either the one real signal or, far more often, the outcome written down.
pub fn model_warnings(
    importance: &[(String, f64)],
    importance_rows: usize,
    auc: Option<(f64, usize)>,
) -> Vec<LeakFlag> {
    let mut flags = Vec::new();
    let total: f64 = importance.iter().map(|(_, v)| v.abs()).sum();
    let top = importance
        .iter()
        .filter(|(_, v)| v.is_finite())
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    let used = importance.iter().filter(|(_, v)| *v != 0.0).count();
    let model_auc = auc.map_or(0.5, |a| a.0).clamp(0.0, 1.0);
    if let Some((a, rows)) = auc.filter(|a| a.0 >= IMPLAUSIBLE_AUC) {
        let lead = top.map_or(String::new(), |(c, _)| {
            format!(" The column it relies on most is {c}.")
        });
        flags.push(LeakFlag {
            column: top.map_or(String::new(), |(c, _)| c.clone()),
            auc: a,
            only_filled_for: None,
            deciding_value: None,
            deciding_range: None,
            rule: LeakRule::ImplausibleAuc,
            message: format!(
                "The model ranks held-out leads almost perfectly (AUC {a:.3} on {} held-out rows). \
                 Lead scoring on information known before the outcome rarely goes above 0.9: a column probably \
                 records the outcome.{lead} Check when each strong column is filled in",
                number(rows as f64)
            ),
        });
    }
    if let Some((col, v)) = top {
        let share = if total > 0.0 { v.abs() / total } else { 0.0 };
        if used >= 2 && share >= DOMINANT_SHARE {
            flags.push(LeakFlag {
                column: col.clone(),
                auc: model_auc,
                only_filled_for: None,
                deciding_value: None,
                deciding_range: None,
                rule: LeakRule::DominantColumn,
                message: format!(
                    "{col} carries {} of the model's total importance (measured on {} rows): \
                     the model mostly repeats this one column. Check that it is known before the outcome",
                    pct(share),
                    number(importance_rows as f64)
                ),
            });
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_groups() {
        // Perfect separation.
        let g = [0, 0, 1, 1];
        assert_eq!(group_auc(&g, 2, &[0, 0, 1, 1], 1), 1.0);
        // No information.
        assert_eq!(group_auc(&[0, 0, 0, 0], 1, &[0, 1, 0, 1], 1), 0.5);
    }
}

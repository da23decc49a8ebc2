//! Deal value: a money column (amount, deal size, annual revenue) read like every other number
//! ([`crate::data::parse`]: `$1,200`, `1.5k`, `1.200,50`), the expected value of a lead
//! (probability × value), and the value-weighted gains: the share of the converted leads' total
//! value captured by working the top 5, 10, 20 and 50 % of leads by the model, against random
//! order.
//!
//! Managers weigh a model by the revenue it puts in front of sales, not by its AUC: a model that
//! finds many small deals and misses the big ones has a good AUC and a poor capture.

use crate::data::parse::{is_missing, parse_number};
use crate::data::{CellFormat, Table};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The shares of leads worked, in percent of all rows, that [`value_gains`] reports.
pub const TOP_PCTS: [u32; 4] = [5, 10, 20, 50];

/// A value column read from a table: one amount per row (`None` where the cell is empty or a
/// missing placeholder).
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// The column's name as found in the table.
    pub column: String,
    /// The amount per row, ≥ 0.
    pub values: Vec<Option<f64>>,
    /// Whether the column writes `,` as its decimal mark (`1.200,50`).
    pub decimal_comma: bool,
}

impl Values {
    /// Rows with no amount.
    pub fn missing(&self) -> usize {
        self.values.iter().filter(|v| v.is_none()).count()
    }
}

/// Reads the column `name` of `table` as amounts, the way the table reads numbers: the decimal
/// mark is the column's own (a decimal comma when every amount reads that way and not all of them
/// read with a decimal point).
///
/// # Errors
/// `Error::Data` when the table has no such column (listing its columns), when a cell is neither a
/// number nor a missing placeholder, or when an amount is negative — each naming the row (1-based,
/// the header not counted) and the cell.
pub fn read_values(table: &Table, name: &str) -> Result<Values> {
    let Some(col) = table.column(name) else {
        return Err(Error::Data(format!(
            "the data has no value column `{name}`; its columns are {}",
            table.names().join(", ")
        )));
    };
    let column = col.name.clone();
    let bad = |row: usize, text: &str, why: &str| {
        Error::Data(format!(
            "value column `{column}`, row {}: `{}` {why}",
            row + 1,
            text.chars().take(40).collect::<String>()
        ))
    };
    let not_a_number = "is not a number (amounts are read like other numbers: `1200`, `$1,200`, \
                        `1.5k`, `1.200,50`; leave the cell empty when the amount is unknown)";
    let negative = "is negative: a deal value must be 0 or more";
    let values: Vec<Option<f64>> = if col.is_dense() {
        // Numeric columns with very many distinct amounts keep numbers only; the reader counts
        // cells it could not read as numbers.
        if col.invalid > 0 {
            let first = (0..col.len()).find(|&r| col.value(r).is_nan());
            return Err(Error::Data(format!(
                "value column `{column}` has {} cells that are not numbers{}; amounts are read \
                 like other numbers (`1200`, `$1,200`, `1.5k`, `1.200,50`)",
                col.invalid,
                match (first, col.missing) {
                    (Some(r), 0) => format!(" (the first: row {})", r + 1),
                    _ => String::new(),
                }
            )));
        }
        (0..col.len())
            .map(|r| Some(col.value(r)).filter(|v| !v.is_nan()))
            .collect()
    } else {
        let comma = match col.format {
            CellFormat::Number(f) => f.decimal_comma,
            _ => decimal_comma(col, &table.missing),
        };
        let mut out = Vec::with_capacity(col.len());
        for r in 0..col.len() {
            let Some(text) = col.text(r) else {
                out.push(None);
                continue;
            };
            if is_missing(text.trim(), &table.missing) {
                out.push(None);
                continue;
            }
            match parse_number(text.trim(), comma) {
                Some(v) => out.push(Some(v)),
                None => return Err(bad(r, text, not_a_number)),
            }
        }
        out
    };
    if let Some(r) = values.iter().position(|v| v.is_some_and(|v| v < 0.0)) {
        let text = col
            .text(r)
            .map_or_else(|| format!("{}", values[r].unwrap_or(0.0)), str::to_string);
        return Err(bad(r, &text, negative));
    }
    let decimal_comma = match col.format {
        CellFormat::Number(f) => f.decimal_comma,
        _ => decimal_comma(col, &table.missing),
    };
    Ok(Values {
        column,
        values,
        decimal_comma,
    })
}

/// Whether a text column's amounts read with a decimal comma: every non-missing text reads that
/// way and at least one does not read with a decimal point.
fn decimal_comma(col: &crate::data::Column, missing: &[String]) -> bool {
    let texts: Vec<&str> = (0..col.len())
        .filter_map(|r| col.text(r))
        .map(str::trim)
        .filter(|t| !is_missing(t, missing))
        .collect();
    let all = |comma: bool| texts.iter().all(|t| parse_number(t, comma).is_some());
    !all(false) && all(true)
}

/// A lead's expected value: its probability of converting times its amount.
pub fn expected_value(probability: f64, value: f64) -> f64 {
    probability * value
}

/// The value captured by working one top share of the leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Captured {
    /// The share of leads worked, in percent of all rows (one of [`TOP_PCTS`]).
    pub top_pct: u32,
    /// Leads worked: `top_pct` % of the rows (fractional when the rows do not divide evenly).
    pub leads: f64,
    /// The converted leads' value among them.
    pub value: f64,
    /// `value` over the converted leads' total value, in [0, 1].
    pub share: f64,
    /// What random order captures on average: `top_pct / 100`.
    pub random_share: f64,
}

/// The value-weighted gains of a ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueGains {
    /// The value column's name.
    pub column: String,
    /// Rows ranked (the labelled rows evaluated).
    pub rows: u64,
    /// Converted rows among them.
    pub converted: u64,
    /// Converted rows whose amount is missing (they count as 0).
    pub converted_without_value: u64,
    /// Total value of the converted rows.
    pub converted_total: f64,
    /// What the ranking is by (`probability`: the model's calibrated probability, ties shared).
    pub ranked_by: String,
    /// The captured value at each of [`TOP_PCTS`].
    pub captured: Vec<Captured>,
}

/// The share of the converted leads' total value captured by working the top 5, 10, 20 and 50 %
/// of the rows by `scores` (highest first), against random order. Leads tied on the score at the
/// cut-off share it: each gets the same fraction of its value counted (the average over every
/// order of the ties), so the result does not depend on the input order.
///
/// # Errors
/// `Error::Data` when the lengths differ, when there are no rows, when no row converted, or when
/// the converted rows' total value is 0 (naming `column`).
pub fn value_gains(
    column: &str,
    scores: &[f64],
    converted: &[bool],
    values: &[Option<f64>],
) -> Result<ValueGains> {
    let n = scores.len();
    if converted.len() != n || values.len() != n {
        return Err(Error::Data(format!(
            "value gains need one score, outcome and amount per row: got {n} scores, {} \
             outcomes and {} amounts",
            converted.len(),
            values.len()
        )));
    }
    if n == 0 {
        return Err(Error::Data("value gains need at least one row".into()));
    }
    if let Some(r) = scores.iter().position(|s| s.is_nan()) {
        return Err(Error::Data(format!(
            "row {}: the score is not a number",
            r + 1
        )));
    }
    let won = |i: usize| -> f64 {
        if converted[i] {
            values[i].unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let n_converted = converted.iter().filter(|&&c| c).count() as u64;
    let without = (0..n)
        .filter(|&i| converted[i] && values[i].is_none())
        .count() as u64;
    let total: f64 = (0..n).map(won).sum();
    if n_converted == 0 {
        return Err(Error::Data(format!(
            "no row converted, so there is no value to capture in `{column}`"
        )));
    }
    if total <= 0.0 || !total.is_finite() {
        return Err(Error::Data(format!(
            "the {n_converted} converted rows have no value in `{column}` (total {total}): \
             choose the column that holds their amount"
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    // Groups of tied scores, best first: (rows, converted value).
    let mut groups: Vec<(f64, f64)> = Vec::new();
    let mut k = 0;
    while k < n {
        let s = scores[order[k]];
        let mut end = k;
        let mut value = 0.0;
        while end < n && scores[order[end]] == s {
            value += won(order[end]);
            end += 1;
        }
        groups.push(((end - k) as f64, value));
        k = end;
    }
    let captured = TOP_PCTS
        .iter()
        .map(|&pct| {
            let leads = n as f64 * pct as f64 / 100.0;
            let (mut taken, mut value) = (0.0, 0.0);
            for &(rows, group_value) in &groups {
                if taken >= leads {
                    break;
                }
                let part = ((leads - taken) / rows).min(1.0);
                value += group_value * part;
                taken += rows * part;
            }
            Captured {
                top_pct: pct,
                leads,
                value,
                share: (value / total).clamp(0.0, 1.0),
                random_share: pct as f64 / 100.0,
            }
        })
        .collect();
    Ok(ValueGains {
        column: column.to_string(),
        rows: n as u64,
        converted: n_converted,
        converted_without_value: without,
        converted_total: total,
        ranked_by: "probability".into(),
        captured,
    })
}

/// Thousands-grouped amount with at most two decimals (`1,234,567.5`), for text output.
pub fn format_amount(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    let whole = rounded.trunc().abs() as u64;
    let cents = ((rounded.abs() - whole as f64) * 100.0).round() as u64;
    let grouped = crate::limits::thousands(whole);
    let sign = if rounded < 0.0 { "-" } else { "" };
    match cents {
        0 => format!("{sign}{grouped}"),
        c if c % 10 == 0 => format!("{sign}{grouped}.{}", c / 10),
        c => format!("{sign}{grouped}.{c:02}"),
    }
}

impl ValueGains {
    /// One line per top share: "top 10 %: 43.0 % of the converted value (random: 10 %)".
    pub fn lines(&self) -> Vec<String> {
        self.captured
            .iter()
            .map(|c| {
                format!(
                    "top {:>2} % of leads: {:>5.1} % of the converted value ({}; random order: {} %)",
                    c.top_pct,
                    100.0 * c.share,
                    format_amount(c.value),
                    c.top_pct
                )
            })
            .collect()
    }

    /// Which rows the figures were measured on, in plain words.
    pub fn measured_on(&self) -> String {
        let missing = if self.converted_without_value > 0 {
            format!(
                "; {} converted rows have no amount and count as 0",
                self.converted_without_value
            )
        } else {
            String::new()
        };
        format!(
            "{} rows ranked by the model's probability; {} converted, worth {} in `{}`{missing}",
            crate::limits::thousands(self.rows),
            crate::limits::thousands(self.converted),
            format_amount(self.converted_total),
            self.column
        )
    }

    /// The report's section: a table of the captured shares against random order (every string
    /// from the data escaped).
    pub fn html_section(&self) -> String {
        use crate::report::escape;
        let mut h = String::from(
            "<section id=\"value\"><h2>Revenue captured</h2><p>Share of the converted leads' \
             total value found by working the top leads by score, against random order: ",
        );
        h.push_str(&escape(&self.measured_on()));
        h.push_str(
            ".</p><table><thead><tr><th>Leads worked</th><th class=\"n\">Leads</th>\
             <th class=\"n\">Value captured</th><th class=\"n\">Share</th>\
             <th class=\"n\">Random order</th></tr></thead><tbody>",
        );
        for c in &self.captured {
            h.push_str(&format!(
                "<tr><td>top {} %</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{:.1} %</td><td class=\"n\">{:.0} %</td></tr>",
                c.top_pct,
                format_amount(c.leads),
                escape(&format_amount(c.value)),
                100.0 * c.share,
                100.0 * c.random_share
            ));
        }
        h.push_str("</tbody></table></section>");
        h
    }
}

/// The value-weighted gains of `model` on a labelled table: its rows with a known outcome (the
/// model's target column), ranked by the model's calibrated probability, with the amounts of
/// `column`. What `eval --value` prints and the JS API's `Model.valueGains` returns.
///
/// # Errors
/// `Error::Data` for a multi-class model, a missing target or value column, a non-number
/// amount (naming the row), or no converted value to capture.
pub fn model_value_gains(
    model: &crate::model::Model,
    table: &Table,
    column: &str,
) -> Result<ValueGains> {
    if model.n_outputs() != 1 {
        return Err(Error::Data(format!(
            "value gains rank leads by one yes/no probability, but this model predicts {} classes",
            model.n_classes()
        )));
    }
    let values = read_values(table, column)?;
    let raw = model.score_table(table)?.probabilities;
    let labels = model.labels_from_table(table)?;
    let scoring = model.scoring.clone().unwrap_or_default();
    let rows: Vec<usize> = (0..labels.len()).filter(|&r| labels[r].is_some()).collect();
    let probabilities: Vec<f64> = rows
        .iter()
        .map(|&r| scoring.score(raw[r]).probability)
        .collect();
    let converted: Vec<bool> = rows.iter().map(|&r| labels[r] == Some(1)).collect();
    let amounts: Vec<Option<f64>> = rows.iter().map(|&r| values.values[r]).collect();
    value_gains(&values.column, &probabilities, &converted, &amounts)
}

/// Each row's expected value under `model`: calibrated probability × the amount in `column`
/// (`None` where the amount is missing). What `score --value` writes.
///
/// # Errors
/// `Error::Data` for a multi-class model, a missing column or a non-number amount (naming the
/// row).
pub fn expected_values(
    model: &crate::model::Model,
    table: &Table,
    column: &str,
) -> Result<Vec<Option<f64>>> {
    if model.n_outputs() != 1 {
        return Err(Error::Data(format!(
            "expected value needs a yes/no probability, but this model predicts {} classes",
            model.n_classes()
        )));
    }
    let values = read_values(table, column)?;
    let raw = model.score_table(table)?.probabilities;
    let scoring = model.scoring.clone().unwrap_or_default();
    Ok(values
        .values
        .iter()
        .zip(&raw)
        .map(|(v, &p)| v.map(|amount| expected_value(scoring.score(p).probability, amount)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn table(csv: &str) -> Table {
        Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap()
    }

    #[test]
    fn gains_by_hand() {
        // Ten leads, best score first after sorting. Converted: rows 0 (100), 2 (300), 5 (600);
        // total 1,000. Row 7 converted with no amount (counts 0).
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
        let conv = [
            true, false, true, false, false, true, false, true, false, false,
        ];
        let values = [
            Some(100.0),
            Some(5000.0), // not converted: never counted
            Some(300.0),
            None,
            Some(1.0),
            Some(600.0),
            None,
            None,
            Some(2.0),
            Some(3.0),
        ];
        let g = value_gains("Amount", &scores, &conv, &values).unwrap();
        assert_eq!(g.converted, 4);
        assert_eq!(g.converted_without_value, 1);
        assert_eq!(g.converted_total, 1000.0);
        let share: Vec<(u32, f64, f64)> = g
            .captured
            .iter()
            .map(|c| (c.top_pct, c.leads, c.share))
            .collect();
        // top 5 % = 0.5 lead: half of row 0's 100 → 50 / 1000.
        // top 10 % = 1 lead: row 0 → 0.1. top 20 % = 2 leads: rows 0, 1 → 0.1.
        // top 50 % = 5 leads: rows 0..5 → 100 + 300 = 0.4.
        assert_eq!(
            share,
            vec![
                (5, 0.5, 0.05),
                (10, 1.0, 0.1),
                (20, 2.0, 0.1),
                (50, 5.0, 0.4)
            ]
        );
        for c in &g.captured {
            assert_eq!(c.random_share, c.top_pct as f64 / 100.0);
        }
    }

    #[test]
    fn ties_at_the_cut_share_their_value() {
        // Four leads tied at the top, one of them converted with 400; 20 leads in all.
        let mut scores = vec![0.9; 4];
        scores.extend(std::iter::repeat_n(0.1, 16));
        let mut conv = vec![false; 20];
        conv[2] = true;
        conv[10] = true;
        let mut values = vec![Some(1.0); 20];
        values[2] = Some(400.0);
        values[10] = Some(600.0);
        let g = value_gains("Deal", &scores, &conv, &values).unwrap();
        // top 5 % = 1 of the 4 tied leads: a quarter of 400 → 100 of 1,000.
        // top 10 % = 2 leads: 200. top 20 % = 4 leads: 400.
        // top 50 % = 10 leads: 400 + 6 of the 16 tied at 0.1 (one of them 600): 400 + 225.
        let shares: Vec<f64> = g.captured.iter().map(|c| c.share).collect();
        assert_eq!(shares, vec![0.1, 0.2, 0.4, 0.625]);
        // The input order of tied rows does not matter.
        let mut conv2 = conv.clone();
        conv2.swap(2, 0);
        let mut values2 = values.clone();
        values2.swap(2, 0);
        assert_eq!(value_gains("Deal", &scores, &conv2, &values2).unwrap(), g);
    }

    #[test]
    fn refusals_name_the_problem() {
        let e = value_gains("A", &[0.5, 0.4], &[false, false], &[Some(1.0), Some(2.0)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("no row converted"), "{e}");
        let e = value_gains("A", &[0.5, 0.4], &[true, false], &[None, Some(2.0)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("no value in `A`"), "{e}");
        let e = value_gains("A", &[0.5], &[true, false], &[None])
            .unwrap_err()
            .to_string();
        assert!(e.contains("2 outcomes"), "{e}");
    }

    #[test]
    fn amounts_read_like_other_numbers() {
        let t = table("id,Amount\n1,\"$1,200\"\n2,1.5k\n3,\n4,n/a\n5,300\n");
        let v = read_values(&t, "amount").unwrap();
        assert_eq!(v.column, "Amount");
        assert_eq!(
            v.values,
            vec![Some(1200.0), Some(1500.0), None, None, Some(300.0)]
        );
        assert_eq!(v.missing(), 2);
        let t = table("id;Betrag\n1;1.200,50 €\n2;3,5\n3;7\n");
        let v = read_values(&t, "Betrag").unwrap();
        assert!(v.decimal_comma);
        assert_eq!(v.values, vec![Some(1200.5), Some(3.5), Some(7.0)]);
    }

    #[test]
    fn a_non_number_is_an_error_naming_the_row() {
        let t = table("id,Amount\n1,100\n2,200\n3,call me\n4,50\n");
        let e = read_values(&t, "Amount").unwrap_err().to_string();
        assert!(e.contains("row 3"), "{e}");
        assert!(e.contains("`call me` is not a number"), "{e}");
        let t = table("id,Amount\n1,100\n2,-20\n");
        let e = read_values(&t, "Amount").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("negative"), "{e}");
        let e = read_values(&t, "Revenue").unwrap_err().to_string();
        assert!(
            e.contains("no value column `Revenue`") && e.contains("id, Amount"),
            "{e}"
        );
    }

    #[test]
    fn amounts_are_formatted_for_people() {
        assert_eq!(format_amount(1234567.5), "1,234,567.5");
        assert_eq!(format_amount(999.0), "999");
        assert_eq!(format_amount(0.25), "0.25");
        assert_eq!(format_amount(-1000.0), "-1,000");
    }

    #[test]
    fn the_html_section_escapes_the_column() {
        let g = value_gains(
            "<b>Amount</b>",
            &[0.9, 0.1],
            &[true, false],
            &[Some(5.0), None],
        )
        .unwrap();
        let h = g.html_section();
        assert!(h.contains("&lt;b&gt;Amount"), "{h}");
        assert!(!h.contains("<b>"), "{h}");
    }
}

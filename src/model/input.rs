//! Scoring raw data: a whole [`Table`] or one record by column name goes through the model's
//! [`crate::data::Pipeline`] (the same encoding as in training), then the trees. A record can also
//! be read from JSON ([`record_from_json`], the JS API's `scoreRecord`/`scoreRecords`/`explain`).

use std::collections::BTreeMap;

use super::Model;
use crate::data::{EncodedCsv, EncodedTable, Table};
use crate::{Error, Result};

/// A lead record: field name → cell text (`None` = missing). Numbers and booleans from JSON
/// become the text a CSV would hold, so records are parsed exactly like CSV cells.
pub type Record = BTreeMap<String, Option<String>>;

/// Reads one record from a JSON object: strings as given, numbers and booleans as the text a CSV
/// would hold (`12.5`, `true`), `null` = missing.
///
/// # Errors
/// `Error::Data` when `value` is not an object ("expected an object of field name → value") or a
/// field holds an array or object (naming the field). Callers prefix the message with what was
/// being read.
pub fn record_from_json(value: serde_json::Value) -> Result<Record> {
    use serde_json::Value;
    let Value::Object(map) = value else {
        return Err(Error::Data(
            "expected an object of field name → value".into(),
        ));
    };
    map.into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::Null => None,
                Value::Bool(b) => Some(if b { "true" } else { "false" }.to_string()),
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) => Some(s),
                Value::Array(_) | Value::Object(_) => {
                    return Err(Error::Data(format!(
                        "field `{k}` must be a string, number, boolean or null"
                    )))
                }
            };
            Ok((k, text))
        })
        .collect()
}

/// Probabilities for the rows of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableScores {
    /// One probability per row (the positive class) for binary models; `n_classes` per row
    /// (row-major) for multi-class models.
    pub probabilities: Vec<f64>,
    /// Plain-words warnings, e.g. a column the model uses that the table lacks.
    pub warnings: Vec<String>,
}

impl Model {
    /// Scores every row of `table` (columns found by name; absent ones count as missing).
    ///
    /// # Errors
    /// `Error::Data` when the table has none of the columns the model uses.
    pub fn score_table(&self, table: &Table) -> Result<TableScores> {
        self.score_encoded(&self.pipeline.encode_table(table)?)
    }

    /// Reads CSV bytes straight through the model's stored pipeline (only the columns it
    /// reads, no type inference, rows converted as they are read): see
    /// [`crate::data::Pipeline::encode_csv`]. The rows score exactly as the same records do.
    ///
    /// # Errors
    /// As [`Table::from_csv`]: the file cannot be read (each error names the row, line and
    /// column).
    pub fn read_csv(&self, bytes: &[u8]) -> Result<EncodedCsv> {
        self.pipeline.encode_csv(bytes)
    }

    /// Scores rows already read through the pipeline ([`Model::read_csv`], or
    /// [`crate::data::Pipeline::encode_table`]).
    ///
    /// # Errors
    /// `Error::Data` when the data has none of the columns the model uses.
    pub fn score_encoded(&self, encoded: &EncodedTable) -> Result<TableScores> {
        if !self.features.is_empty()
            && self
                .features
                .iter()
                .all(|f| encoded.absent.contains(&f.source))
        {
            let wanted: Vec<String> = self
                .features
                .iter()
                .map(|f| format!("`{}`", f.source))
                .collect();
            return Err(Error::Data(format!(
                "the data has none of the columns the model uses ({}): is it the right file?",
                wanted.join(", ")
            )));
        }
        let raw = self.predict_columns(&encoded.columns);
        Ok(TableScores {
            probabilities: self.probabilities(&raw),
            warnings: encoded.warnings.clone(),
        })
    }

    /// Probabilities for one record; `get` returns a field's raw text by CSV column name (`None`
    /// = absent, scored as missing). One value for binary models, `n_classes` for multi-class.
    pub fn score_record(&self, get: &dyn Fn(&str) -> Option<String>) -> Vec<f64> {
        let row = self.pipeline.encode_record(get);
        let raw = self.predict_row(&row);
        self.probabilities(&raw)
    }

    /// The class index of each row of `table` from the model's target column (`None` where the
    /// label is missing or is not one of the model's classes).
    ///
    /// # Errors
    /// `Error::Data` naming the target column when the table lacks it.
    pub fn labels_from_table(&self, table: &Table) -> Result<Vec<Option<u32>>> {
        let target = &self.info.target;
        let col = table.column(target).ok_or_else(|| {
            Error::Data(format!(
                "the data has no target column `{target}`: evaluation needs the outcome the model was trained on"
            ))
        })?;
        let number = |s: &str| s.trim().parse::<f64>().ok();
        let truthy = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "t" => Some(true),
            "0" | "false" | "no" | "n" | "f" => Some(false),
            _ => None,
        };
        Ok((0..table.n_rows)
            .map(|r| {
                let text = col.text(r)?.trim();
                if let Some(i) = self
                    .class_names
                    .iter()
                    .position(|c| c.trim().eq_ignore_ascii_case(text))
                {
                    return Some(i as u32);
                }
                if let Some(x) = number(text) {
                    if let Some(i) = self.class_names.iter().position(|c| number(c) == Some(x)) {
                        return Some(i as u32);
                    }
                }
                if self.class_names.len() == 2 {
                    if let (Some(t), Some(pos)) = (truthy(text), truthy(&self.class_names[1])) {
                        return Some((t == pos) as u32);
                    }
                }
                None
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn record_from_json_gives_csv_cell_text() {
        let r = record_from_json(json!({
            "Company": "Acme", "Pages Viewed": 12.5, "Visits": 3, "Opted In": true,
            "Phone": null, "Empty": ""
        }))
        .unwrap();
        assert_eq!(r["Company"].as_deref(), Some("Acme"));
        assert_eq!(r["Pages Viewed"].as_deref(), Some("12.5"));
        assert_eq!(r["Visits"].as_deref(), Some("3"));
        assert_eq!(r["Opted In"].as_deref(), Some("true"));
        assert_eq!(r["Phone"], None);
        assert_eq!(r["Empty"].as_deref(), Some(""));
        assert_eq!(r.len(), 6);
    }

    #[test]
    fn record_from_json_refuses_non_objects_and_nested_values() {
        for bad in [json!([1, 2]), json!("lead"), json!(3), json!(null)] {
            let e = record_from_json(bad.clone()).unwrap_err().to_string();
            assert_eq!(e, "expected an object of field name → value", "{bad}");
        }
        let e = record_from_json(json!({"ok": 1, "Tags": ["a"]}))
            .unwrap_err()
            .to_string();
        assert_eq!(e, "field `Tags` must be a string, number, boolean or null");
        let e = record_from_json(json!({"Owner": {"name": "x"}}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("field `Owner`"), "{e}");
    }
}

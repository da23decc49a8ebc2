//! Scoring raw data: a whole [`Table`] or one record by column name goes through the model's
//! [`crate::data::Pipeline`] (the same encoding as in training), then the trees.

use super::Model;
use crate::data::Table;
use crate::{Error, Result};

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
        let encoded = self.pipeline.encode_table(table)?;
        if !self.features.is_empty()
            && self
                .features
                .iter()
                .all(|f| table.column(&f.source).is_none())
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
            warnings: encoded.warnings,
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

//! CRM import files: how HubSpot, Salesforce, Zoho CRM and Pipedrive name the record id in their
//! exports and in their imports, and the score fields under each CRM's custom-field names. One
//! implementation for the CLI's `score --for CRM` and the JS API's `Model.crmCsv`: the record ids
//! are read from a [`Table`] (duplicates refused, empty ones left out and reported), and
//! [`CrmWriter`] writes rows in input order as UTF-8, comma-separated, RFC 4180 quoting.
//! Field definitions and import steps: docs/crm-import.md.

use crate::data::Table;
use crate::{Error, Result};
use std::collections::HashMap;
use std::io::Write;

/// The CRMs an import file can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crm {
    /// HubSpot contacts (import: update existing records by `Record ID`).
    HubSpot,
    /// Salesforce leads or contacts (Data Loader / Data Import Wizard update by `Id`).
    Salesforce,
    /// Zoho CRM leads or contacts (import: update existing records by `Record Id`).
    Zoho,
    /// Pipedrive people (import: update existing people by their Pipedrive ID).
    Pipedrive,
}

/// How one CRM names things.
#[derive(Debug)]
pub struct Format {
    /// The CRM's name, for messages.
    pub name: &'static str,
    /// Record id column names in that CRM's exports, most likely first (matched exactly, then
    /// ignoring case and surrounding spaces).
    pub id_candidates: &'static [&'static str],
    /// The header its import maps to the record id.
    pub id_header: &'static str,
    /// Custom-field names: probability, score, tier, reasons, expected value.
    pub fields: [&'static str; 5],
    /// Characters the import refuses inside values, with their replacements.
    pub replace: &'static [(char, char)],
}

const HUBSPOT: Format = Format {
    name: "HubSpot",
    id_candidates: &["Record ID", "Contact ID", "hs_object_id"],
    id_header: "Record ID",
    fields: [
        "leadforest_probability",
        "leadforest_score",
        "leadforest_tier",
        "leadforest_reasons",
        "leadforest_expected_value",
    ],
    replace: &[],
};

const SALESFORCE: Format = Format {
    name: "Salesforce",
    id_candidates: &["Id", "Lead ID", "Contact ID", "Record ID"],
    id_header: "Id",
    fields: [
        "Leadforest_Probability__c",
        "Leadforest_Score__c",
        "Leadforest_Tier__c",
        "Leadforest_Reasons__c",
        "Leadforest_Expected_Value__c",
    ],
    replace: &[],
};

const ZOHO: Format = Format {
    name: "Zoho CRM",
    id_candidates: &["Record Id", "Lead Id", "Contact Id", "Id"],
    id_header: "Record Id",
    fields: [
        "Leadforest Probability",
        "Leadforest Score",
        "Leadforest Tier",
        "Leadforest Reasons",
        "Leadforest Expected Value",
    ],
    // Zoho's import checklist: no double quotes (except as delimiters), vertical bars or angle
    // brackets inside values.
    replace: &[('"', '\''), ('|', '/'), ('<', '‹'), ('>', '›')],
};

const PIPEDRIVE: Format = Format {
    name: "Pipedrive",
    id_candidates: &["Person - ID", "ID", "Person ID"],
    id_header: "Person - ID",
    fields: [
        "Person - Leadforest probability",
        "Person - Leadforest score",
        "Person - Leadforest tier",
        "Person - Leadforest reasons",
        "Person - Leadforest expected value",
    ],
    replace: &[],
};

impl Crm {
    /// Every CRM, in the order shown to users.
    pub const ALL: [Crm; 4] = [Crm::HubSpot, Crm::Salesforce, Crm::Zoho, Crm::Pipedrive];

    /// The CRM's naming.
    pub fn format(self) -> &'static Format {
        match self {
            Crm::HubSpot => &HUBSPOT,
            Crm::Salesforce => &SALESFORCE,
            Crm::Zoho => &ZOHO,
            Crm::Pipedrive => &PIPEDRIVE,
        }
    }

    /// The lowercase key (`hubspot`, `salesforce`, `zoho`, `pipedrive`).
    pub fn key(self) -> &'static str {
        match self {
            Crm::HubSpot => "hubspot",
            Crm::Salesforce => "salesforce",
            Crm::Zoho => "zoho",
            Crm::Pipedrive => "pipedrive",
        }
    }

    /// The CRM of a key, case-insensitively.
    ///
    /// # Errors
    /// `Error::Data` naming the keys accepted.
    pub fn from_key(key: &str) -> Result<Crm> {
        Crm::ALL
            .into_iter()
            .find(|c| c.key().eq_ignore_ascii_case(key.trim()))
            .ok_or_else(|| {
                Error::Data(format!(
                    "unknown CRM `{key}`: expected one of hubspot, salesforce, zoho, pipedrive"
                ))
            })
    }
}

/// Row numbers for a message: `3, 8, 12` or `3, 8, 12 … (40 rows)` (1-based data rows).
fn row_list(rows: &[usize]) -> String {
    let shown: Vec<String> = rows.iter().take(10).map(|r| (r + 1).to_string()).collect();
    if rows.len() > 10 {
        format!("{} … ({} rows)", shown.join(", "), rows.len())
    } else {
        shown.join(", ")
    }
}

/// The record ids of a CRM export.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordIds {
    /// The id column's name as found in the export.
    pub column: String,
    /// Per row, the id (trimmed; `None` where empty).
    pub ids: Vec<Option<String>>,
    /// Rows without an id (0-based), left out of the import file.
    pub left_out: Vec<usize>,
}

impl RecordIds {
    /// The note to show when rows are left out (`None` when every row has an id).
    pub fn note(&self, crm: Crm) -> Option<String> {
        (!self.left_out.is_empty()).then(|| {
            format!(
                "{} of {} rows left out: their `{}` is empty (or a missing-value placeholder), so \
                 {} cannot match them to a record (rows {}). Export them with their record id to \
                 score them in the CRM",
                self.left_out.len(),
                self.ids.len(),
                self.column,
                crm.format().name,
                row_list(&self.left_out)
            )
        })
    }
}

/// Finds the record id column of `table` — `chosen` (the user's `--id`), else the first of the
/// names `crm`'s exports use — and reads its ids.
///
/// # Errors
/// `Error::Data` when there is no such column (listing the names looked for, the table's
/// columns and `--id`), or when an id appears on more than one row (naming the id and rows).
pub fn record_ids(table: &Table, crm: Crm, chosen: Option<&str>) -> Result<RecordIds> {
    let format = crm.format();
    let columns = || {
        table
            .names()
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let col = match chosen {
        Some(name) => table.column(name).ok_or_else(|| {
            Error::Data(format!(
                "--id `{name}`: the data has no such column; its columns are {}",
                columns()
            ))
        })?,
        None => format
            .id_candidates
            .iter()
            .find_map(|c| table.column(c))
            .ok_or_else(|| {
                Error::Data(format!(
                    "no record id column for {}: looked for {} (the names its exports use); the \
                     data's columns are {}. Export the records with their id, or name the id \
                     column with --id COLUMN",
                    format.name,
                    format
                        .id_candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    columns()
                ))
            })?,
    };
    let ids: Vec<Option<String>> = (0..table.n_rows)
        .map(|r| {
            if col.is_dense() {
                let v = col.value(r);
                (!v.is_nan()).then(|| v.to_string())
            } else {
                col.text(r)
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            }
        })
        .collect();
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    for (r, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            seen.entry(id.as_str()).or_default().push(r);
        }
    }
    let mut dups: Vec<(&str, Vec<usize>)> = seen.into_iter().filter(|(_, r)| r.len() > 1).collect();
    if !dups.is_empty() {
        dups.sort_by_key(|(_, rows)| rows[0]);
        let (id, rows) = &dups[0];
        let more = match dups.len() - 1 {
            0 => String::new(),
            1 => " (and 1 more id appears more than once)".into(),
            k => format!(" (and {k} more ids appear more than once)"),
        };
        return Err(Error::Data(format!(
            "`{}` `{id}` appears on rows {}{more}: an import would update that {} record once \
             per row. Remove the duplicated rows, or name another id column with --id COLUMN",
            col.name,
            row_list(rows),
            format.name
        )));
    }
    let left_out = (0..ids.len()).filter(|&r| ids[r].is_none()).collect();
    Ok(RecordIds {
        column: col.name.clone(),
        ids,
        left_out,
    })
}

/// One lead's fields in an import file.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmRow<'a> {
    /// The record id, as exported.
    pub id: &'a str,
    /// Calibrated probability, in [0, 1].
    pub probability: f64,
    /// The 0–100 score.
    pub score: u8,
    /// The tier's name.
    pub tier: &'a str,
    /// The reasons, strongest first (written when the file has a reasons field).
    pub reasons: &'a [String],
    /// The expected value (written when the file has an expected-value field; `None` = unknown).
    pub expected_value: Option<f64>,
}

/// Writes a CRM import file: the header, then one row per lead.
pub struct CrmWriter<W: Write> {
    crm: Crm,
    writer: csv::Writer<W>,
    reasons: bool,
    value: bool,
    rows: usize,
}

/// The reasons as one field: `reason; reason; reason` (empty ones left out).
pub fn join_reasons(reasons: &[String]) -> String {
    reasons
        .iter()
        .filter(|r| !r.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An amount as written to files: plain digits, a decimal point, two decimals; empty when unknown.
pub fn amount_cell(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.2}"))
}

impl<W: Write> CrmWriter<W> {
    /// Starts the file for `crm` on `sink` and writes its header: the id, probability, score and
    /// tier, then the reasons (when `reasons`) and the expected value (when `value`).
    ///
    /// # Errors
    /// `Error::Csv` when the sink cannot be written.
    pub fn new(crm: Crm, sink: W, reasons: bool, value: bool) -> Result<Self> {
        let format = crm.format();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b',')
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(sink);
        let [probability, score, tier, reasons_field, expected] = format.fields;
        let mut header = vec![format.id_header, probability, score, tier];
        if reasons {
            header.push(reasons_field);
        }
        if value {
            header.push(expected);
        }
        writer.write_record(&header).map_err(write_error)?;
        Ok(CrmWriter {
            crm,
            writer,
            reasons,
            value,
            rows: 0,
        })
    }

    /// Writes one lead.
    ///
    /// # Errors
    /// `Error::Csv` when the sink cannot be written.
    pub fn write(&mut self, row: &CrmRow) -> Result<()> {
        let format = self.crm.format();
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    format
                        .replace
                        .iter()
                        .find(|(from, _)| *from == c)
                        .map_or(c, |(_, to)| *to)
                })
                .collect()
        };
        let mut out = vec![
            row.id.to_string(),
            format!("{:.6}", row.probability),
            row.score.to_string(),
            clean(row.tier),
        ];
        if self.reasons {
            out.push(clean(&join_reasons(row.reasons)));
        }
        if self.value {
            out.push(amount_cell(row.expected_value));
        }
        self.writer.write_record(&out).map_err(write_error)?;
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Flushes and returns the sink.
    ///
    /// # Errors
    /// `Error::Csv` when the sink cannot be written.
    pub fn finish(self) -> Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| Error::Csv(format!("cannot write the import file: {}", e.error())))
    }
}

fn write_error(e: csv::Error) -> Error {
    Error::Csv(format!("cannot write the import file: {e}"))
}

/// What to write in a CRM import file ([`crm_file`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrmOptions {
    /// `hubspot`, `salesforce`, `zoho` or `pipedrive`.
    pub crm: String,
    /// The record id column (default: the first of the names the CRM's exports use).
    #[serde(default)]
    pub id: Option<String>,
    /// A deal-value column: adds the expected value field.
    #[serde(default)]
    pub value: Option<String>,
    /// Reasons in the reasons field (default 3; 0 leaves the field out).
    #[serde(default)]
    pub reasons: Option<usize>,
}

/// A CRM import file and what was left out of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CrmFile {
    /// The file: UTF-8, comma-separated, header first.
    pub csv: String,
    /// Records written.
    pub rows: usize,
    /// The id column used, as found in the export.
    pub id_column: String,
    /// Rows without an id (0-based), left out.
    pub left_out: Vec<usize>,
    /// Why rows were left out, in words (`None` when none were).
    pub note: Option<String>,
    /// The file name to offer (`leadforest-hubspot.csv`, …).
    pub file_name: String,
}

/// The whole import file for `table` scored by `model` (the JS API's `Model.crmCsv`): the same
/// fields, in the same order and spelling, as the CLI's `score --for CRM`.
///
/// # Errors
/// `Error::Data` for an unknown CRM, a multi-class model, a missing or duplicated record id, or
/// a non-number amount.
pub fn crm_file(
    model: &crate::model::Model,
    table: &Table,
    options: &CrmOptions,
) -> Result<CrmFile> {
    let crm = Crm::from_key(&options.crm)?;
    if model.n_outputs() != 1 {
        return Err(Error::Data(format!(
            "a {} import file holds a yes/no model's score and tier, but this model predicts {} \
             classes",
            crm.format().name,
            model.n_classes()
        )));
    }
    let ids = record_ids(table, crm, options.id.as_deref())?;
    let values = match &options.value {
        Some(c) => Some(crate::value::read_values(table, c)?),
        None => None,
    };
    let k = options.reasons.unwrap_or(3);
    let raw = model.score_table(table)?.probabilities;
    let scoring = model.scoring.clone().unwrap_or_default();
    let columns = if k > 0 {
        model.pipeline.encode_table(table)?.columns
    } else {
        Vec::new()
    };
    let mut explainer =
        crate::explain::Explainer::new(model.trees(), &model.base_score, model.features.len())?;
    let mut writer = CrmWriter::new(crm, Vec::new(), k > 0, values.is_some())?;
    let (mut row_values, mut phi) = (vec![0.0; columns.len()], Vec::new());
    for (r, id) in ids.ids.iter().enumerate() {
        let Some(id) = id else { continue };
        let s = scoring.score(raw[r]);
        let reasons: Vec<String> = if k > 0 {
            for (slot, c) in row_values.iter_mut().zip(&columns) {
                *slot = c[r];
            }
            explainer.explain_into(&row_values, 0, &mut phi);
            let mut cells: Vec<String> =
                crate::explain::top_reasons(&phi, &row_values, &model.pipeline, k)
                    .into_iter()
                    .map(|r| r.text)
                    .collect();
            cells.resize(k, String::new());
            cells
        } else {
            Vec::new()
        };
        writer.write(&CrmRow {
            id,
            probability: s.probability,
            score: s.score,
            tier: scoring.tier_name(s.tier),
            reasons: &reasons,
            expected_value: values
                .as_ref()
                .and_then(|v| v.values[r].map(|a| crate::value::expected_value(s.probability, a))),
        })?;
    }
    let rows = writer.rows();
    let bytes = writer.finish()?;
    Ok(CrmFile {
        csv: String::from_utf8(bytes)
            .map_err(|_| Error::Csv("the import file is not UTF-8".into()))?,
        rows,
        note: ids.note(crm),
        id_column: ids.column,
        left_out: ids.left_out,
        file_name: format!("leadforest-{}.csv", crm.key()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CsvOptions;

    fn table(csv: &str) -> Table {
        Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap()
    }

    #[test]
    fn ids_found_under_each_crms_names() {
        let t = table("Name,lead id,Score\na,00Q1,1\nb,00Q2,2\n");
        let ids = record_ids(&t, Crm::Salesforce, None).unwrap();
        assert_eq!(ids.column, "lead id");
        assert_eq!(ids.ids, vec![Some("00Q1".into()), Some("00Q2".into())]);
        let e = record_ids(&t, Crm::HubSpot, None).unwrap_err().to_string();
        assert!(
            e.contains("`Record ID`, `Contact ID`, `hs_object_id`"),
            "{e}"
        );
        assert!(
            e.contains("`Name`, `lead id`, `Score`") && e.contains("--id COLUMN"),
            "{e}"
        );
        assert_eq!(
            record_ids(&t, Crm::HubSpot, Some("Name")).unwrap().ids[1],
            Some("b".into())
        );
    }

    #[test]
    fn duplicates_are_refused_and_empty_ids_reported() {
        let t = table("ID,x\n7,1\n8,2\n,3\n7,4\n9,5\n9,6\n");
        let e = record_ids(&t, Crm::Pipedrive, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`ID` `7` appears on rows 1, 4 (and 1 more id appears more than once)"),
            "{e}"
        );
        let t = table("ID,x\n7,1\n8,2\n,3\n10,4\n");
        let ids = record_ids(&t, Crm::Pipedrive, None).unwrap();
        assert_eq!(ids.left_out, vec![2]);
        let note = ids.note(Crm::Pipedrive).unwrap();
        assert!(
            note.starts_with("1 of 4 rows left out") && note.contains("(rows 3)"),
            "{note}"
        );
    }

    #[test]
    fn zoho_values_lose_the_characters_its_import_refuses() {
        let mut w = CrmWriter::new(Crm::Zoho, Vec::new(), true, true).unwrap();
        w.write(&CrmRow {
            id: "zcrm_1",
            probability: 0.25,
            score: 25,
            tier: "B",
            reasons: &["Source = <Partner|\"VIP\"> ↑".into(), String::new()],
            expected_value: None,
        })
        .unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "Record Id,Leadforest Probability,Leadforest Score,Leadforest Tier,Leadforest Reasons,\
             Leadforest Expected Value\nzcrm_1,0.250000,25,B,Source = ‹Partner/'VIP'› ↑,\n"
        );
        assert_eq!(Crm::from_key(" HubSpot ").unwrap(), Crm::HubSpot);
        assert!(Crm::from_key("dynamics").is_err());
    }
}

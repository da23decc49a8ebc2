//! `leadforest score MODEL DATA --for hubspot|salesforce|zoho|pipedrive`: a file the CRM's own
//! import updates existing records from — the record id (found in the export under the names
//! that CRM uses, or `--id COLUMN`) under the header its import maps to the record id, then the
//! score fields under that CRM's custom-field names, rows in input order, UTF-8, comma-separated
//! with RFC 4180 quoting. Also `--value COLUMN`: the expected value (probability × amount), and
//! the value-weighted gains `eval` and `report` show. Field definitions and import steps:
//! docs/crm-import.md.

use anyhow::{bail, Context, Result};
use leadforest::data::Table;
use leadforest::model::Model;
use leadforest::value::{self, ValueGains, Values};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// The CRMs `--for` writes for.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crm {
    /// HubSpot contacts (import: update existing records by `Record ID`).
    Hubspot,
    /// Salesforce leads or contacts (Data Loader / Data Import Wizard update by `Id`).
    Salesforce,
    /// Zoho CRM leads or contacts (import: update existing records by `Record Id`).
    Zoho,
    /// Pipedrive people (import: update existing records by their Pipedrive ID).
    Pipedrive,
}

/// The CRM options of `leadforest score` (flattened into its arguments).
#[derive(clap::Args, Debug, Default)]
pub struct CrmArgs {
    /// Write an import file for this CRM instead of the scored CSV: its record id column, then
    /// the score fields under its custom-field names (docs/crm-import.md).
    #[arg(
        long = "for",
        value_enum,
        value_name = "CRM",
        conflicts_with = "shadow"
    )]
    pub crm: Option<Crm>,
    /// The record id column (default: the first of the names the CRM's exports use, e.g.
    /// `Record ID` for HubSpot, `Id` or `Lead ID` for Salesforce).
    #[arg(long, value_name = "COLUMN", requires = "crm")]
    pub id: Option<String>,
    /// A deal-value column (amount, deal size, annual revenue; `$1,200`, `1.5k`, decimal comma):
    /// adds `expected_value` = probability × value.
    #[arg(long, value_name = "COLUMN")]
    pub value: Option<String>,
}

/// How one CRM names things.
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
    /// The CRM's naming.
    pub fn format(self) -> &'static Format {
        match self {
            Crm::Hubspot => &HUBSPOT,
            Crm::Salesforce => &SALESFORCE,
            Crm::Zoho => &ZOHO,
            Crm::Pipedrive => &PIPEDRIVE,
        }
    }
}

/// Finds the record id column in `header`: `chosen` (`--id`) or the first of the CRM's names.
fn find_id(header: &[String], format: &Format, chosen: Option<&str>) -> Result<usize> {
    let find = |name: &str| {
        header.iter().position(|h| h == name).or_else(|| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        })
    };
    let columns = || {
        header
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = chosen {
        return find(name).with_context(|| {
            format!(
                "--id `{name}`: the data has no such column; its columns are {}",
                columns()
            )
        });
    }
    if let Some(i) = format.id_candidates.iter().find_map(|c| find(c)) {
        return Ok(i);
    }
    bail!(
        "no record id column for {}: looked for {} (the names its exports use); the data's \
         columns are {}. Export the records with their id, or name the id column with --id COLUMN",
        format.name,
        format
            .id_candidates
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", "),
        columns()
    )
}

/// Row numbers for a message: `3, 8, 12` or `3, 8, 12 … (40 rows)`.
fn row_list(rows: &[usize]) -> String {
    let shown: Vec<String> = rows.iter().take(10).map(|r| (r + 1).to_string()).collect();
    if rows.len() > 10 {
        format!("{} … ({} rows)", shown.join(", "), rows.len())
    } else {
        shown.join(", ")
    }
}

/// The record ids of the first `n_rows` records (`None` where empty), after checking that no id
/// appears twice.
fn read_ids(
    bytes: &[u8],
    delimiter: u8,
    n_rows: usize,
    format: &Format,
    chosen: Option<&str>,
) -> Result<(String, Vec<Option<String>>)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let col = find_id(&header, format, chosen)?;
    let name = header[col].clone();
    let mut ids = Vec::with_capacity(n_rows);
    let mut record = csv::StringRecord::new();
    while ids.len() < n_rows && reader.read_record(&mut record)? {
        let id = record.get(col).unwrap_or("").trim();
        ids.push((!id.is_empty()).then(|| id.to_string()));
    }
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
        bail!(
            "`{name}` `{id}` appears on rows {}{more}: an import would update that {} record \
             once per row. Remove the duplicated rows, or name another id column with --id COLUMN",
            row_list(rows),
            format.name
        );
    }
    Ok((name, ids))
}

/// The model's outputs for one CRM row.
struct Fields<'a> {
    probability: f64,
    score: u8,
    tier: &'a str,
    reasons: Option<&'a [String]>,
    expected_value: Option<Option<f64>>,
}

/// A cell of the CRM's file: text with the characters its import refuses replaced.
fn clean(format: &Format, s: &str) -> String {
    if format.replace.is_empty() {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            format
                .replace
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect()
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

/// An expected value as written to files: plain digits, a decimal point, two decimals.
pub fn expected_cell(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.2}"))
}

/// Reads `--value`'s column (a clear error naming the row for a non-number).
pub fn read_values(table: &Table, column: &str, data: &Path) -> Result<Values> {
    let v = value::read_values(table, column).with_context(|| format!("{}", data.display()))?;
    if v.missing() > 0 {
        eprintln!(
            "note: {}: {} of {} rows have no amount in `{}`: their expected value is left empty",
            data.display(),
            v.missing(),
            v.values.len(),
            v.column
        );
    }
    Ok(v)
}

/// The value-weighted gains of labelled rows for `eval` and `report`: `rows` are the table rows
/// evaluated, `probabilities` their calibrated probabilities, `converted` their outcomes.
pub fn gains(
    table: &Table,
    column: &str,
    rows: &[usize],
    probabilities: &[f64],
    converted: &[bool],
) -> Result<ValueGains> {
    let all = value::read_values(table, column)?;
    let values: Vec<Option<f64>> = rows.iter().map(|&r| all.values[r]).collect();
    Ok(value::value_gains(
        &all.column,
        probabilities,
        converted,
        &values,
    )?)
}

/// Prints value gains as text (`eval`).
pub fn print_gains(g: &ValueGains) -> Result<()> {
    outln!("revenue captured ({}):", g.measured_on());
    for line in g.lines() {
        outln!("  {line}");
    }
    Ok(())
}

/// Runs `leadforest score … --for CRM`.
pub fn run(args: &crate::score::ScoreArgs, crm: Crm) -> Result<()> {
    let format = crm.format();
    let model: Model = crate::eval::read_model(&args.model)?;
    if model.n_outputs() != 1 {
        bail!(
            "--for {} writes a yes/no model's score and tier, but {} predicts {} classes ({})",
            format.name,
            args.model.display(),
            model.n_classes(),
            model.class_names.join(", ")
        );
    }
    let bytes = crate::read_file(&args.data)?;
    let table = Table::from_csv(
        &bytes,
        &leadforest::data::CsvOptions {
            missing: model.pipeline.missing.clone(),
            ..Default::default()
        },
    )
    .with_context(|| format!("{}", args.data.display()))?;
    let (id_name, ids) = read_ids(
        &bytes,
        table.delimiter as u8,
        table.n_rows,
        format,
        args.crm.id.as_deref(),
    )
    .with_context(|| format!("{}", args.data.display()))?;
    let values = match &args.crm.value {
        Some(c) => Some(read_values(&table, c, &args.data)?),
        None => None,
    };
    let scores = model
        .score_table(&table)
        .with_context(|| format!("{}", args.data.display()))?;
    for w in &scores.warnings {
        eprintln!("warning: {}: {w}", args.data.display());
    }
    let scoring = model.scoring.clone().unwrap_or_default();
    let mut reasons = if args.reasons > 0 {
        Some(
            crate::score::ReasonWriter::new(&model, &table, vec![0; table.n_rows], args.reasons)
                .with_context(|| format!("{}", args.data.display()))?,
        )
    } else {
        None
    };

    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b',')
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(sink);
    let [f_probability, f_score, f_tier, f_reasons, f_expected] = format.fields;
    let mut header = vec![format.id_header, f_probability, f_score, f_tier];
    if reasons.is_some() {
        header.push(f_reasons);
    }
    if values.is_some() {
        header.push(f_expected);
    }
    writer.write_record(&header)?;
    let mut left_out = Vec::new();
    let mut written = 0usize;
    for (row, id) in ids.iter().enumerate() {
        // Reasons are computed block by block in row order: ask for every row.
        let cells = reasons.as_mut().map(|r| r.cells(row).to_vec());
        let Some(id) = id else {
            left_out.push(row);
            continue;
        };
        let s = scoring.score(scores.probabilities[row]);
        let fields = Fields {
            probability: s.probability,
            score: s.score,
            tier: scoring.tier_name(s.tier),
            reasons: cells.as_deref(),
            expected_value: values
                .as_ref()
                .map(|v| v.values[row].map(|amount| value::expected_value(s.probability, amount))),
        };
        let mut out = vec![
            id.clone(),
            format!("{:.6}", fields.probability),
            fields.score.to_string(),
            clean(format, fields.tier),
        ];
        if let Some(r) = fields.reasons {
            out.push(clean(format, &join_reasons(r)));
        }
        if let Some(ev) = fields.expected_value {
            out.push(expected_cell(ev));
        }
        writer.write_record(&out)?;
        written += 1;
    }
    writer.flush()?;
    if !left_out.is_empty() {
        eprintln!(
            "note: {} of {} rows left out: their `{id_name}` is empty, so {} cannot match them \
             to a record (rows {}). Export them with their record id to score them in the CRM",
            left_out.len(),
            ids.len(),
            format.name,
            row_list(&left_out)
        );
    }
    if let Some(p) = &args.out {
        eprintln!(
            "wrote {written} {} records (id from `{id_name}`) → {}; import it as an update of \
             existing records (docs/crm-import.md)",
            format.name,
            p.display()
        );
    }
    Ok(())
}

/// `score --value COLUMN` without `--for`: the amounts, after checking the model is yes/no.
pub fn score_values(
    model: &Model,
    table: &Table,
    args: &crate::score::ScoreArgs,
) -> Result<Option<Values>> {
    let Some(column) = &args.crm.value else {
        return Ok(None);
    };
    if model.n_outputs() != 1 {
        bail!(
            "--value needs a yes/no model (expected value = probability × amount), but {} \
             predicts {} classes",
            args.model.display(),
            model.n_classes()
        );
    }
    read_values(table, column, &args.data).map(Some)
}

/// The `expected_value` cell of a row with raw probability `raw` (calibrated as in the
/// `probability` column).
pub fn expected_cell_of(
    scoring: &leadforest::model::scoring::Scoring,
    raw: f64,
    amount: Option<f64>,
) -> String {
    let p = scoring.score(raw).probability;
    expected_cell(amount.map(|a| value::expected_value(p, a)))
}

/// `eval --value COLUMN`: the value-weighted gains of the labelled rows, ranked by the model's
/// calibrated probability (`labels` per table row, `raw` the model's probabilities per row).
pub fn eval_gains(
    model: &Model,
    table: &Table,
    labels: &[Option<u32>],
    raw: &[f64],
    args: &crate::eval::EvalArgs,
) -> Result<Option<ValueGains>> {
    let Some(column) = &args.value else {
        return Ok(None);
    };
    if model.n_outputs() != 1 {
        bail!(
            "--value needs a yes/no model, but {} predicts {} classes",
            args.model.display(),
            model.n_classes()
        );
    }
    let scoring = model.scoring.clone().unwrap_or_default();
    let rows: Vec<usize> = (0..labels.len()).filter(|&r| labels[r].is_some()).collect();
    let probabilities: Vec<f64> = rows
        .iter()
        .map(|&r| scoring.score(raw[r]).probability)
        .collect();
    let converted: Vec<bool> = rows.iter().map(|&r| labels[r] == Some(1)).collect();
    gains(table, column, &rows, &probabilities, &converted)
        .with_context(|| format!("{}", args.data.display()))
        .map(Some)
}

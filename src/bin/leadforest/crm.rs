//! `leadforest score MODEL DATA --for hubspot|salesforce|zoho|pipedrive`: a file the CRM's own
//! import updates existing records from — the record id (found in the export under the names
//! that CRM uses, or `--id COLUMN`) under the header its import maps to the record id, then the
//! score fields under that CRM's custom-field names, rows in input order, UTF-8, comma-separated
//! with RFC 4180 quoting. Also `--value COLUMN`: the expected value (probability × amount), and
//! the value-weighted gains `eval` and `report` show. The naming and the id checks live in the
//! library (`leadforest::crm`, shared with the JS API); field definitions and import steps:
//! docs/crm-import.md.

use anyhow::{bail, Context, Result};
use leadforest::crm::{self, Crm, CrmRow, CrmWriter};
use leadforest::data::Table;
use leadforest::model::Model;
use leadforest::value::{self, ValueGains, Values};
use std::io::Write;
use std::path::Path;

/// The CRMs `--for` writes for.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrmArg {
    /// HubSpot contacts (import: update existing records by `Record ID`).
    Hubspot,
    /// Salesforce leads or contacts (Data Loader / Data Import Wizard update by `Id`).
    Salesforce,
    /// Zoho CRM leads or contacts (import: update existing records by `Record Id`).
    Zoho,
    /// Pipedrive people (import: update existing records by their Pipedrive ID).
    Pipedrive,
}

impl From<CrmArg> for Crm {
    fn from(c: CrmArg) -> Crm {
        match c {
            CrmArg::Hubspot => Crm::HubSpot,
            CrmArg::Salesforce => Crm::Salesforce,
            CrmArg::Zoho => Crm::Zoho,
            CrmArg::Pipedrive => Crm::Pipedrive,
        }
    }
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
    pub crm: Option<CrmArg>,
    /// The record id column (default: the first of the names the CRM's exports use, e.g.
    /// `Record ID` for HubSpot, `Id` or `Lead ID` for Salesforce).
    #[arg(long, value_name = "COLUMN", requires = "crm")]
    pub id: Option<String>,
    /// A deal-value column (amount, deal size, annual revenue; `$1,200`, `1.5k`, decimal comma):
    /// adds `expected_value` = probability × value.
    #[arg(long, value_name = "COLUMN")]
    pub value: Option<String>,
}

/// An expected value as written to files: plain digits, a decimal point, two decimals.
pub fn expected_cell(v: Option<f64>) -> String {
    leadforest::crm::amount_cell(v)
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
pub fn run(args: &crate::score::ScoreArgs, crm: CrmArg) -> Result<()> {
    let crm = Crm::from(crm);
    let format = crm.format();
    if args.threshold.is_some() || args.top.is_some() {
        // Never silently: the import file's tiers would differ from what was asked for.
        bail!(
            "--for {} writes the model's own tiers; --threshold and --top are not applied to \
             CRM files yet (score without --for to use them)",
            crm.key()
        );
    }
    let model: Model = crate::eval::read_model(&args.model)?;
    if model.n_outputs() != 1 {
        bail!(
            "--for {} writes a yes/no model's score and tier, but {} predicts {} classes ({})",
            crm.key(),
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
    let ids = crm::record_ids(&table, crm, args.crm.id.as_deref())
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
            crate::score::ReasonWriter::new(
                &model,
                model
                    .pipeline
                    .encode_table(&table)
                    .with_context(|| format!("{}", args.data.display()))?
                    .columns,
                vec![0; table.n_rows],
                args.reasons,
            )
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
    let mut writer = CrmWriter::new(crm, sink, reasons.is_some(), values.is_some())?;
    for (row, id) in ids.ids.iter().enumerate() {
        // Reasons are computed block by block in row order: ask for every row.
        let cells = reasons.as_mut().map(|r| r.cells(row).to_vec());
        let Some(id) = id else {
            continue;
        };
        let s = scoring.score(scores.probabilities[row]);
        writer.write(&CrmRow {
            id,
            probability: s.probability,
            score: s.score,
            tier: scoring.tier_name(s.tier),
            reasons: cells.as_deref().unwrap_or(&[]),
            expected_value: values.as_ref().and_then(|v| {
                v.values[row].map(|amount| value::expected_value(s.probability, amount))
            }),
        })?;
    }
    let written = writer.rows();
    writer.finish()?.flush()?;
    if let Some(note) = ids.note(crm) {
        eprintln!("note: {}: {note}", args.data.display());
    }
    if let Some(p) = &args.out {
        eprintln!(
            "wrote {written} {} records (id from `{}`) → {}; import it as an update of existing \
             records (docs/crm-import.md)",
            format.name,
            ids.column,
            p.display()
        );
    }
    Ok(())
}

/// `score --value COLUMN` without `--for`: each row's expected value (`None` where the amount
/// is missing), after checking the model is yes/no.
pub fn score_values(
    model: &Model,
    table: &Table,
    args: &crate::score::ScoreArgs,
) -> Result<Option<Vec<Option<f64>>>> {
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
    read_values(table, column, &args.data)?; // the note on missing amounts
    Ok(Some(
        value::expected_values(model, table, column)
            .with_context(|| format!("{}", args.data.display()))?,
    ))
}

/// `eval --value COLUMN`: the value-weighted gains of the labelled rows, ranked by the model's
/// calibrated probability.
pub fn eval_gains(
    model: &Model,
    table: &Table,
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
    value::model_value_gains(model, table, column)
        .with_context(|| format!("{}", args.data.display()))
        .map(Some)
}

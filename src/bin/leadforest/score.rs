//! `leadforest score`: the input CSV with probability, score (0–100), tier and each lead's
//! strongest reasons (`reason_1..reason_k`, exact TreeSHAP) added; multi-class models add
//! `p_<class>` per class and `predicted_class`, with the reasons for the predicted class.

use anyhow::{bail, Context, Result};
use leadforest::explain::{self, Explainer};
use leadforest::model::Model;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Rows explained per work item. Each row's reasons depend only on the row, and items are put
/// back in order, so the output never depends on the thread count.
const REASON_CHUNK: usize = 256;
/// Rows explained before they are written (bounds memory; progress is shown between blocks).
const REASON_BLOCK: usize = 8192;

/// Arguments of `leadforest score`.
#[derive(clap::Args)]
pub struct ScoreArgs {
    /// The model file.
    pub model: PathBuf,
    /// The CSV to score (same columns as for training; the target column is not needed).
    pub data: PathBuf,
    /// Output CSV (standard output if absent).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Add `reason_1..reason_K`: each lead's K strongest drivers either way, strongest first
    /// ("Lead Source = Reference ↑"; for multi-class models, of the predicted class); 0 leaves
    /// the columns out.
    #[arg(long, value_name = "K", default_value_t = 3)]
    pub reasons: usize,
    /// Shadow mode: the previous model, scored beside this one (`shadow_score`, `shadow_tier`,
    /// `tier_changed`); its rank correlation and tier changes are printed on stderr.
    #[arg(long, value_name = "OLD_MODEL")]
    pub shadow: Option<PathBuf>,
    /// Worker threads for the reasons (default: all cores); the output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Decision threshold (calibrated probability in [0, 1]) instead of the model's: the `tier`
    /// column follows it (tier A = at or above it).
    #[arg(long, value_name = "P", conflicts_with = "top")]
    pub threshold: Option<f64>,
    /// Capacity: tier A = the N best leads of this file (the other tiers share the rest).
    #[arg(long, value_name = "N")]
    pub top: Option<u64>,
    /// CRM import files (`--for`, `--id`) and deal value (`--value`): see crm.rs.
    #[command(flatten)]
    pub crm: crate::crm::CrmArgs,
}

/// The previous model's scores of the same leads (shadow mode).
struct Shadow {
    /// Calibrated probability per row.
    probabilities: Vec<f64>,
    /// 0–100 score per row.
    scores: Vec<u8>,
    /// Tier name per row.
    tiers: Vec<String>,
}

/// Scores the CSV `bytes` (read from `data`) with the previous model at `path`, after checking
/// that it predicts the same outcome as `model` (from `model_path`). The file is read through the
/// previous model's own pipeline (its columns, its missing placeholders).
fn shadow_scores(
    path: &Path,
    model: &Model,
    model_path: &Path,
    bytes: &[u8],
    data: &Path,
) -> Result<Shadow> {
    let old = crate::eval::read_model(path)?;
    for (m, p) in [(model, model_path), (&old, path)] {
        if m.n_outputs() != 1 {
            bail!(
                "shadow mode compares yes/no models, but {} predicts {} classes ({})",
                p.display(),
                m.n_classes(),
                m.class_names.join(", ")
            );
        }
    }
    let (new_target, old_target) = (&model.info.target, &old.info.target);
    if !new_target.is_empty() && !old_target.is_empty() && new_target != old_target {
        bail!(
            "{} predicts `{new_target}` but the previous model {} predicts `{old_target}`: \
             shadow mode compares two models of the same outcome",
            model_path.display(),
            path.display()
        );
    }
    let (new_yes, old_yes) = (&model.class_names[1], &old.class_names[1]);
    if !new_yes.eq_ignore_ascii_case(old_yes) {
        bail!(
            "{} scores the outcome `{new_yes}` but the previous model {} scores `{old_yes}`: \
             shadow mode compares two models of the same outcome",
            model_path.display(),
            path.display()
        );
    }
    let context = || {
        format!(
            "{} with the previous model {}",
            data.display(),
            path.display()
        )
    };
    let input = old.read_csv(bytes).with_context(context)?;
    let raw = old.score_encoded(&input.features).with_context(context)?;
    for w in &raw.warnings {
        eprintln!(
            "warning: {} (previous model {}): {w}",
            data.display(),
            path.display()
        );
    }
    let n_rows = input.features.n_rows;
    let scoring = old.scoring.clone().unwrap_or_default();
    let mut shadow = Shadow {
        probabilities: Vec::with_capacity(n_rows),
        scores: Vec::with_capacity(n_rows),
        tiers: Vec::with_capacity(n_rows),
    };
    for &p in &raw.probabilities {
        let s = scoring.score(p);
        shadow.probabilities.push(s.probability);
        shadow.scores.push(s.score);
        shadow.tiers.push(scoring.tier_name(s.tier).to_string());
    }
    Ok(shadow)
}

/// Prints shadow mode's comparison on stderr: (calibrated probabilities, tiers) of the new and
/// of the previous model, row by row.
fn print_shadow_summary(new: (&[f64], &[String]), old: (&[f64], &[String])) -> Result<()> {
    let rho = leadforest::shadow::spearman(new.0, old.0)?;
    fn names(t: &[String]) -> Vec<&str> {
        t.iter().map(String::as_str).collect()
    }
    let changes = leadforest::shadow::TierChanges::count(&names(old.1), &names(new.1))?;
    let n = changes.leads;
    match rho {
        Some(r) => eprintln!(
            "shadow: Spearman rank correlation between the new and the previous scores: {r:.4} ({n} leads)"
        ),
        None => eprintln!(
            "shadow: rank correlation undefined ({n} leads; one model gives every lead the same probability)"
        ),
    }
    eprintln!(
        "shadow: {} of {n} leads changed tier ({:.1}%){}",
        changes.changed,
        100.0 * changes.changed as f64 / n.max(1) as f64,
        if changes.moves.is_empty() { "" } else { ":" }
    );
    for m in &changes.moves {
        eprintln!("  {} → {}  {}", m.from, m.to, m.leads);
    }
    Ok(())
}

/// The reason columns of a range of rows, computed block by block.
pub(crate) struct ReasonWriter<'a> {
    model: &'a Model,
    explainer: Explainer<'a>,
    /// Encoded feature columns, model order.
    columns: Vec<Vec<f64>>,
    /// Output (class) explained per row.
    outputs: Vec<usize>,
    k: usize,
    /// Reasons of rows `start..start + block.len()`.
    block: Vec<Vec<String>>,
    start: usize,
    /// Draw progress on stderr.
    progress: bool,
}

impl<'a> ReasonWriter<'a> {
    /// `columns`: the rows' feature columns in model order (as read through the pipeline).
    pub(crate) fn new(
        model: &'a Model,
        columns: Vec<Vec<f64>>,
        outputs: Vec<usize>,
        k: usize,
    ) -> Result<Self> {
        let explainer = Explainer::new(model.trees(), &model.base_score, model.features.len())?;
        let progress = std::io::stderr().is_terminal() && outputs.len() > REASON_BLOCK;
        Ok(ReasonWriter {
            model,
            explainer,
            columns,
            outputs,
            k,
            block: Vec::new(),
            start: 0,
            progress,
        })
    }

    /// The reason cells of row `row` (rows are asked for in order), `k` of them, empty when the
    /// lead has fewer reasons.
    pub(crate) fn cells(&mut self, row: usize) -> &[String] {
        if row >= self.start + self.block.len() {
            self.start = row;
            let end = (row + REASON_BLOCK).min(self.outputs.len());
            self.block = self.explain(row..end);
            if self.progress {
                eprint!("\rexplaining leads: {end} / {}   ", self.outputs.len());
                let _ = std::io::stderr().flush();
                if end == self.outputs.len() {
                    eprint!("\r{:60}\r", "");
                }
            }
        }
        &self.block[row - self.start]
    }

    fn explain(&self, rows: std::ops::Range<usize>) -> Vec<Vec<String>> {
        let chunks: Vec<std::ops::Range<usize>> = rows
            .clone()
            .step_by(REASON_CHUNK)
            .map(|s| s..(s + REASON_CHUNK).min(rows.end))
            .collect();
        let one = |chunk: &std::ops::Range<usize>| -> Vec<Vec<String>> {
            let mut ex = self.explainer.clone();
            let nf = self.columns.len();
            let rows: Vec<f64> = chunk
                .clone()
                .flat_map(|r| self.columns.iter().map(move |c| c[r]))
                .collect();
            let mut phis = Vec::new();
            ex.explain_rows(&rows, &self.outputs[chunk.clone()], &mut phis);
            (0..chunk.len())
                .map(|i| {
                    let (row, phi) = (&rows[i * nf..(i + 1) * nf], &phis[i * nf..(i + 1) * nf]);
                    let mut cells: Vec<String> =
                        explain::top_reasons(phi, row, &self.model.pipeline, self.k)
                            .into_iter()
                            .map(|r| r.text)
                            .collect();
                    cells.resize(self.k, String::new());
                    cells
                })
                .collect()
        };
        #[cfg(feature = "parallel")]
        let parts: Vec<Vec<Vec<String>>> = {
            use rayon::prelude::*;
            chunks.par_iter().map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let parts: Vec<Vec<Vec<String>>> = chunks.iter().map(one).collect();
        parts.into_iter().flatten().collect()
    }
}

/// Runs `leadforest score`.
pub fn run(args: ScoreArgs) -> Result<()> {
    crate::train::set_threads(args.threads)?;
    if let Some(crm) = args.crm.crm {
        return crate::crm::run(&args, crm);
    }
    let model = crate::eval::read_model(&args.model)?;
    let bytes = crate::read_file(&args.data)?;
    // Straight through the model's stored pipeline: only its columns, no type inference.
    let mut input = model
        .read_csv(&bytes)
        .with_context(|| format!("{}", args.data.display()))?;
    let n_rows = input.features.n_rows;
    let k = if model.n_classes() == 2 {
        1
    } else {
        model.n_classes()
    };
    // The model's calibration and tiers (defaults for models trained without held-out rows).
    // Probability → calibration → score → tier, composed by the library exactly as the JS API's
    // scoreCsv does (the one ScoreOptions; reasons are written below).
    let options = leadforest::model::leads::ScoreOptions {
        reasons: Some(0),
        threshold: args.threshold,
        capacity: args.top.map(|top| {
            leadforest::model::leads::Capacity::Top(leadforest::model::leads::TopLeads { top })
        }),
        percentile: false,
    };
    let composed = model
        .score_encoded_leads(&input.features, &options, 0)
        .with_context(|| format!("{}", args.data.display()))?;
    for w in &composed.warnings {
        eprintln!("warning: {}: {w}", args.data.display());
    }
    let tier_name = |l: &leadforest::model::leads::Lead| -> String {
        composed
            .decision
            .as_ref()
            .zip(l.tier)
            .and_then(|(d, t)| d.tiers.tiers.get(t))
            .map_or(String::new(), |t| t.name.clone())
    };
    // `--value` reads its amounts column as a typed table column (formats inferred from the
    // whole column), so only then is the file also read as a table.
    let values = match &args.crm.value {
        Some(_) => {
            let table = leadforest::data::Table::from_csv(
                &bytes,
                &leadforest::data::CsvOptions {
                    missing: model.pipeline.missing.clone(),
                    ..Default::default()
                },
            )
            .with_context(|| format!("{}", args.data.display()))?;
            crate::crm::score_values(&model, &table, &args)?
        }
        None => None,
    };
    // Multi-class: the most likely class per row (binary models explain their one output).
    let predicted: Vec<usize> = composed
        .leads
        .iter()
        .map(|l| l.predicted_class.unwrap_or(0))
        .collect();
    let shadow = match &args.shadow {
        Some(path) => Some(shadow_scores(
            path,
            &model,
            &args.model,
            &bytes,
            &args.data,
        )?),
        None => None,
    };
    // The new model's calibrated probabilities and tiers, kept for the shadow comparison.
    let mut new_probabilities = Vec::new();
    let mut new_tiers = Vec::new();
    #[allow(clippy::disallowed_methods)] // the CLI may read the clock (native only)
    let started = std::time::Instant::now();
    let mut reasons = if args.reasons > 0 {
        // Binary models explain their one output; multi-class ones the predicted class.
        let outputs = if k == 1 {
            vec![0; n_rows]
        } else {
            predicted.clone()
        };
        let columns = std::mem::take(&mut input.features.columns);
        Some(
            ReasonWriter::new(&model, columns, outputs, args.reasons)
                .with_context(|| format!("{}", args.data.display()))?,
        )
    } else {
        None
    };

    // Re-read the records so every input column and row comes back unchanged: from the text as
    // the reader decoded it (BOM dropped, UTF-16 and Windows-1252 as UTF-8), the rows it scored
    // in the same order — blank rows are not leads, and the empty extra fields it accepts
    // (`a,b,c,`) are left out so the added columns stay under their headers.
    let delimiter = input.delimiter as u8;
    let text =
        leadforest::data::csv_text(&bytes).with_context(|| format!("{}", args.data.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let blank = |r: &csv::StringRecord| r.iter().all(|f| f.trim_ascii().is_empty());
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(sink);
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .with_context(|| format!("{}: the header", args.data.display()))?
    {
        if !blank(&record) {
            break;
        }
    }
    let n_cols = record.len();
    let mut header: Vec<String> = record.iter().map(str::to_string).collect();
    if k == 1 {
        header.extend(["probability".into(), "score".into(), "tier".into()]);
        if shadow.is_some() {
            header.extend([
                "shadow_score".into(),
                "shadow_tier".into(),
                "tier_changed".into(),
            ]);
        }
    } else {
        // Multi-class: one probability per class and the most likely class (scores and tiers
        // rank leads by one yes/no outcome, so they are for binary models only).
        header.extend(model.class_names.iter().map(|c| format!("p_{c}")));
        header.push("predicted_class".into());
    }
    header.extend((1..=args.reasons).map(|i| format!("reason_{i}")));
    if values.is_some() {
        header.push("expected_value".into());
    }
    writer.write_record(&header)?;
    let mut row = 0usize;
    while reader
        .read_record(&mut record)
        .with_context(|| format!("{}: row {}", args.data.display(), row + 1))?
    {
        if blank(&record) {
            continue;
        }
        if row >= n_rows {
            break;
        }
        let mut out: Vec<String> = record.iter().take(n_cols).map(str::to_string).collect();
        if k == 1 {
            let s = &composed.leads[row];
            out.push(format!("{:.6}", s.probability));
            out.push(s.score.to_string());
            let tier = tier_name(s);
            out.push(tier.clone());
            if let Some(sh) = &shadow {
                out.push(sh.scores[row].to_string());
                out.push(sh.tiers[row].clone());
                out.push(if sh.tiers[row] == tier { "no" } else { "yes" }.into());
                new_probabilities.push(s.probability);
                new_tiers.push(tier.to_string());
            }
        } else {
            let p = composed.leads[row]
                .class_probabilities
                .as_deref()
                .unwrap_or(&[]);
            out.extend(p.iter().map(|x| format!("{x:.6}")));
            out.push(model.class_names[predicted[row]].clone());
        }
        if let Some(r) = reasons.as_mut() {
            out.extend_from_slice(r.cells(row));
        }
        if let Some(v) = &values {
            out.push(crate::crm::expected_cell(v[row]));
        }
        writer.write_record(&out)?;
        row += 1;
    }
    writer.flush()?;
    if let Some(sh) = &shadow {
        let n = new_probabilities.len();
        print_shadow_summary(
            (&new_probabilities, &new_tiers),
            (&sh.probabilities[..n], &sh.tiers[..n]),
        )?;
    }
    if let Some(p) = &args.out {
        eprintln!(
            "scored {row} rows in {:.1} s → {}",
            started.elapsed().as_secs_f64(),
            p.display()
        );
    }
    Ok(())
}

//! `leadforest score`: the input CSV with probability, score (0–100) and tier added.

use anyhow::{Context, Result};
use leadforest::model::scoring::Scoring;
use std::io::Write;
use std::path::PathBuf;

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
}

/// Runs `leadforest score`.
pub fn run(args: ScoreArgs) -> Result<()> {
    let model = crate::eval::read_model(&args.model)?;
    let bytes = crate::read_file(&args.data)?;
    let table = leadforest::data::Table::from_csv(
        &bytes,
        &leadforest::data::CsvOptions {
            missing: model.pipeline.missing.clone(),
            ..Default::default()
        },
    )
    .with_context(|| format!("{}", args.data.display()))?;
    let scores = model
        .score_table(&table)
        .with_context(|| format!("{}", args.data.display()))?;
    for w in &scores.warnings {
        eprintln!("warning: {}: {w}", args.data.display());
    }
    let k = if model.n_classes() == 2 {
        1
    } else {
        model.n_classes()
    };
    // The model's calibration and tiers (defaults for models trained without held-out rows).
    let scoring: Scoring = model.scoring.clone().unwrap_or_default();

    // Re-read the raw records so every input column and row comes back unchanged.
    let delimiter = table.delimiter as u8;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(sink);
    let mut header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}", args.data.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    if k == 1 {
        header.extend(["probability".into(), "score".into(), "tier".into()]);
    } else {
        header.extend(model.class_names.iter().map(|c| format!("probability_{c}")));
        header.extend(["predicted".into(), "score".into(), "tier".into()]);
    }
    writer.write_record(&header)?;
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    while reader
        .read_record(&mut record)
        .with_context(|| format!("{}: row {}", args.data.display(), row + 1))?
    {
        if row >= table.n_rows {
            break;
        }
        let mut out: Vec<String> = record.iter().map(str::to_string).collect();
        let p = &scores.probabilities[row * k..(row + 1) * k];
        if k == 1 {
            let s = scoring.score(p[0]);
            out.push(format!("{:.6}", s.probability));
            out.push(s.score.to_string());
            out.push(scoring.tier_name(s.tier).to_string());
        } else {
            let best = (0..k).fold(0, |b, c| if p[c] > p[b] { c } else { b });
            out.extend(p.iter().map(|x| format!("{x:.6}")));
            out.push(model.class_names[best].clone());
            let s = scoring.score(p[best]);
            out.push(s.score.to_string());
            out.push(scoring.tier_name(s.tier).to_string());
        }
        writer.write_record(&out)?;
        row += 1;
    }
    writer.flush()?;
    if let Some(p) = &args.out {
        eprintln!("scored {row} rows → {}", p.display());
    }
    Ok(())
}

//! `leadforest demo --kind messy --rows 45000 --seed 1 --out leads.csv`: writes a generated
//! dataset (the built-in demo leads, or the wide messy CRM export with a planted leak).

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Which generator to run.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// The wide, messy CRM export (37 columns, ~10 % converted, `Contract Value` leaks).
    Messy,
    /// The built-in demo leads (same as `demo-data`).
    Leads,
}

/// Arguments of `leadforest demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Which dataset to generate.
    #[arg(long, value_enum, default_value = "messy")]
    pub kind: Kind,
    /// Number of rows (default: 45,000 for `messy`, 5,000 for `leads`).
    #[arg(long)]
    pub rows: Option<usize>,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file (standard output if absent).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Generates the dataset and writes it.
pub fn run(args: DemoArgs) -> Result<()> {
    let csv = match args.kind {
        Kind::Messy => leadforest::demo::messy_csv(
            args.rows.unwrap_or(leadforest::demo::messy::DEFAULT_ROWS),
            args.seed,
        ),
        Kind::Leads => leadforest::demo::demo_csv(args.rows.unwrap_or(5000), args.seed),
    };
    match args.out {
        Some(path) => std::fs::write(&path, csv)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => out!("{csv}"),
    }
    Ok(())
}

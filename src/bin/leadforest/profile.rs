//! `leadforest profile DATA.csv`: what is in each column, what would be excluded and why, leaks.

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

use leadforest::data::{CsvOptions, DatasetOptions, Profile, Table};

/// Arguments of `leadforest profile`.
#[derive(Args)]
pub struct ProfileArgs {
    /// The CSV file.
    pub data: PathBuf,
    /// The column to predict: adds class counts and the leak scan.
    #[arg(long)]
    pub target: Option<String>,
    /// Target values that count as positive (repeatable; default: automatic).
    #[arg(long)]
    pub positive: Vec<String>,
    /// Extra placeholders read as missing, e.g. `--missing Select` (repeatable).
    #[arg(long)]
    pub missing: Vec<String>,
    /// The field separator (default: sniffed among `,` `;` tab `|`).
    #[arg(long)]
    pub delimiter: Option<char>,
    /// Skip rows with the wrong number of fields (counted) instead of failing.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Reads the file, profiles it and prints the profile.
pub fn run(args: ProfileArgs) -> Result<()> {
    let bytes = super::read_file(&args.data)?;
    let name = args.data.display().to_string();
    let csv = CsvOptions {
        delimiter: args.delimiter,
        missing: args.missing,
        skip_bad_rows: args.skip_bad_rows,
        ..CsvOptions::default()
    };
    let table = Table::from_csv(&bytes, &csv).with_context(|| name.clone())?;
    drop(bytes);
    let options = DatasetOptions {
        target: args.target.unwrap_or_default(),
        positive: args.positive,
        ..DatasetOptions::default()
    };
    let profile = Profile::new(&table, &options).with_context(|| name.clone())?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&profile)?);
    } else {
        out!("{name}: {}", profile.to_text());
    }
    Ok(())
}

//! The `leadforest` command-line tool: the only place that touches the file system and the terminal.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// `println!` that returns the write error (`?`) instead of panicking, e.g. on a closed pipe.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}

/// `print!` that returns the write error (`?`) instead of panicking, e.g. on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*)?
    }};
}

mod crm;
mod demo;
mod drift;
mod eval;
mod explain;
mod export;
mod import;
mod inspect;
mod leaks;
mod profile;
mod report;
mod retrain;
mod score;
mod strings;
mod train;

/// Privacy-first lead scoring: train, score and explain decision forests on CRM exports.
#[derive(Parser)]
#[command(name = "leadforest", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Why one lead got its score: its strongest reasons each way (exact TreeSHAP).
    Explain(explain::ExplainArgs),
    /// Write an offline HTML report: ROC, gains, calibration, importance, tiers, segments.
    Report(report::ReportArgs),
    /// Write the built-in demo dataset (B2B leads with a known ground truth) as CSV.
    DemoData {
        /// Number of leads.
        #[arg(long, default_value_t = 5000)]
        rows: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Output file (standard output if absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a generated dataset: `demo --kind messy --rows 45000 --seed 1 --out leads.csv`.
    Demo(demo::DemoArgs),
    /// Turn a LightGBM text or XGBoost JSON model into a leadforest model file.
    Import(import::ImportArgs),
    /// Write a model as ONNX (ai.onnx.ml TreeEnsembleClassifier) for batch scoring elsewhere.
    Export(export::ExportArgs),
    /// Train a model: `train DATA.csv --target COL --out MODEL` (prints held-out metrics).
    Train(train::TrainArgs),
    /// Metrics of a model on labelled data (`--json`: one JSON object).
    Eval(eval::EvalArgs),
    /// Score a CSV: its columns and rows plus probability, score (0-100) and tier.
    Score(score::ScoreArgs),
    /// What is inside a model file.
    Inspect(inspect::InspectArgs),
    /// Drift of newer leads from the training data: PSI per input and for the score.
    Drift(drift::DriftArgs),
    /// Train a challenger on old + new outcomes and compare it with the model: keep or switch.
    Retrain(retrain::RetrainArgs),
    /// Profile a CSV: each column's kind, missing share, values, exclusions and leak flags.
    Profile(profile::ProfileArgs),
}

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        if is_broken_pipe(&e) {
            // The reader went away (`leadforest eval ... | head`): nothing left to say.
            std::process::exit(0);
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Whether the error comes from writing to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(pipe)
            || c.downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if pipe(io)))
    })
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Explain(args) => explain::run(args)?,
        Command::Report(args) => report::run(args)?,
        Command::DemoData { rows, seed, out } => {
            let csv = leadforest::demo::demo_csv(rows, seed);
            match out {
                Some(path) => std::fs::write(&path, csv)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => out!("{csv}"),
            }
        }
        Command::Demo(args) => demo::run(args)?,
        Command::Export(args) => export::run(args)?,
        Command::Import(args) => import::run(args)?,
        Command::Profile(args) => profile::run(args)?,
        Command::Train(args) => train::run(args)?,
        Command::Eval(args) => eval::run(args)?,
        Command::Score(args) => score::run(args)?,
        Command::Inspect(args) => inspect::run(args)?,
        Command::Drift(args) => drift::run(args)?,
        Command::Retrain(args) => retrain::run(args)?,
    }
    Ok(())
}

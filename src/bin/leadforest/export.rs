//! `leadforest export`: write a model in another format (ONNX) for batch scoring elsewhere.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

/// Arguments of `leadforest export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The model: a LightGBM text model or an XGBoost JSON model.
    pub model: PathBuf,
    /// Output format (only `onnx`).
    #[arg(long, default_value = "onnx")]
    pub format: String,
    /// Output file.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `leadforest export`.
pub fn run(args: ExportArgs) -> Result<()> {
    if args.format != "onnx" {
        bail!(
            "unknown --format {:?}: the only export format is `onnx`",
            args.format
        );
    }
    let bytes = crate::read_file(&args.model)?;
    let model = leadforest::interop::ImportedEnsemble::parse(&bytes)
        .with_context(|| format!("{}", args.model.display()))?;
    let onnx = model
        .to_onnx()
        .with_context(|| format!("{}", args.model.display()))?;
    std::fs::write(&args.out, &onnx)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    println!(
        "wrote {} ({} bytes, {} trees): input `features` double[N, {}] = {}; outputs `label`, `probabilities`",
        args.out.display(),
        onnx.len(),
        model.trees.len(),
        names.len(),
        names.join(", ")
    );
    Ok(())
}

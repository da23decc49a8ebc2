//! `leadforest export`: write a model in another format (ONNX) for batch scoring elsewhere.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

/// Arguments of `leadforest export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The model: a leadforest model file, a LightGBM text model or an XGBoost JSON model.
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
    let what = args.model.display().to_string();
    let (onnx, n_trees, names) = if bytes.starts_with(leadforest::model::MAGIC) {
        let model = leadforest::model::Model::from_bytes(&bytes).with_context(|| what.clone())?;
        let onnx = leadforest::interop::model_to_onnx(&model).with_context(|| what.clone())?;
        let names: Vec<String> = model.features.iter().map(|f| f.name.clone()).collect();
        (onnx, model.trees().len(), names)
    } else {
        let model =
            leadforest::interop::ImportedEnsemble::parse(&bytes).with_context(|| what.clone())?;
        let onnx = model.to_onnx().with_context(|| what.clone())?;
        let names: Vec<String> = model.features.iter().map(|f| f.name.clone()).collect();
        (onnx, model.trees.len(), names)
    };
    std::fs::write(&args.out, &onnx)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    outln!(
        "wrote {} ({} bytes, {n_trees} trees): input `features` double[N, {}] = {}; outputs `label`, `probabilities`",
        args.out.display(),
        onnx.len(),
        names.len(),
        names.join(", ")
    );
    outln!("  categorical features are passed as their category codes (NaN = missing)");
    Ok(())
}

//! `leadforest import`: turn a LightGBM or XGBoost model into a leadforest model file.

use anyhow::{Context, Result};
use leadforest::interop::{lightgbm, xgboost, ConvertOptions, ImportedEnsemble, Source};
use std::path::PathBuf;

/// The library that wrote the model.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Library {
    /// A LightGBM text model (`booster.save_model('model.txt')`).
    Lightgbm,
    /// An XGBoost JSON model (`booster.save_model('m.json')`).
    Xgboost,
}

/// Arguments of `leadforest import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Which library wrote the model.
    pub library: Library,
    /// The model file.
    pub file: PathBuf,
    /// Where to write the leadforest model.
    #[arg(long)]
    pub out: PathBuf,
    /// A CSV with the model's columns (e.g. the training data): maps features to column names and
    /// supplies category labels the model file lacks.
    #[arg(long)]
    pub schema: Option<PathBuf>,
}

/// Runs `leadforest import`.
pub fn run(args: ImportArgs) -> Result<()> {
    let bytes = crate::read_file(&args.file)?;
    let what = args.file.display().to_string();
    let imported: ImportedEnsemble = match args.library {
        Library::Lightgbm => {
            let text =
                std::str::from_utf8(&bytes).with_context(|| format!("{what}: not UTF-8 text"))?;
            lightgbm::parse(text)
        }
        Library::Xgboost => xgboost::parse(&bytes),
    }
    .with_context(|| what.clone())?;
    let schema = match &args.schema {
        Some(path) => {
            let csv = crate::read_file(path)?;
            Some(
                imported
                    .read_schema(&csv)
                    .with_context(|| format!("{}", path.display()))?,
            )
        }
        None => None,
    };
    let origin = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let model = imported
        .to_model(&ConvertOptions {
            schema: schema.as_ref(),
            origin: &origin,
        })
        .with_context(|| what.clone())?;
    let out = model.to_bytes();
    std::fs::write(&args.out, &out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let library = match imported.source {
        Source::LightGbm => "LightGBM",
        Source::XgBoost => "XGBoost",
    };
    outln!(
        "imported {library} model {what}: {} trees, {} classes -> {} ({} bytes)",
        imported.trees.len(),
        model.n_classes(),
        args.out.display(),
        out.len()
    );
    for (f, p) in model.features.iter().zip(&model.pipeline.features) {
        let kind = match &f.kind {
            leadforest::data::FeatureKind::Numeric => "numeric".to_string(),
            leadforest::data::FeatureKind::Categorical { categories } => {
                format!("categorical, {} labels", categories.len())
            }
        };
        outln!("  {} <- column `{}` ({kind})", f.name, p.source);
    }
    if schema.is_none()
        && imported
            .features
            .iter()
            .any(|f| f.categories.as_ref().is_some_and(Vec::is_empty))
    {
        outln!("  note: some categorical features have no labels in the file; the CSV must hold their integer codes (or pass --schema DATA.csv)");
    }
    if args.schema.is_none() && imported.source == Source::LightGbm {
        outln!("  note: LightGBM writes spaces in names as `_`; pass --schema DATA.csv to read columns by their CSV names");
    }
    Ok(())
}

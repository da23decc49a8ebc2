//! `leadforest report MODEL DATA.csv --out report.html`: the offline HTML evaluation report,
//! and the loading helpers `explain` shares.

use anyhow::{bail, Context, Result};
use clap::Args;
use leadforest::data::{CsvOptions, FeatureKind, Table};
use leadforest::explain::{self, Explainer};
use leadforest::model::scoring::Scoring;
use leadforest::model::threshold::ThresholdRule;
use leadforest::model::{Model, ModelKind};
use leadforest::report::{Report, ReportInput};
use std::path::{Path, PathBuf};

/// Rows explained for the importance chart (evenly spaced through the file).
const IMPORTANCE_ROWS: usize = 2000;

/// Arguments of `leadforest report`.
#[derive(Args)]
pub struct ReportArgs {
    /// The model file (from `leadforest train`).
    pub model: PathBuf,
    /// Labelled leads (CSV with the model's target column).
    pub data: PathBuf,
    /// Where to write the HTML report.
    #[arg(long)]
    pub out: PathBuf,
    /// The target column (default: the one the model records; needed for models that do not).
    #[arg(long)]
    pub target: Option<String>,
    /// A column to break results down by (industry, company size, country…).
    #[arg(long)]
    pub segment: Option<String>,
    /// A deal-value column (amount, deal size): adds the revenue captured by the top leads.
    #[arg(long, value_name = "COLUMN")]
    pub value: Option<String>,
}

/// A model with the rows of a CSV encoded the way it was trained.
pub struct Loaded {
    /// The model.
    pub model: Model,
    /// The CSV as read.
    pub table: Table,
    /// Feature columns in model order.
    pub columns: Vec<Vec<f64>>,
    /// The model's scoring add-ons (defaults when the file has none).
    pub scoring: Scoring,
}

/// Reads a model and a CSV and encodes the CSV's rows for the model.
pub fn load(model_path: &Path, data_path: &Path) -> Result<Loaded> {
    let bytes = super::read_file(model_path)?;
    let model = Model::from_bytes(&bytes).with_context(|| format!("{}", model_path.display()))?;
    let data = super::read_file(data_path)?;
    let options = CsvOptions {
        missing: model.pipeline.missing.clone(),
        ..CsvOptions::default()
    };
    let table =
        Table::from_csv(&data, &options).with_context(|| format!("{}", data_path.display()))?;
    let encoded = model
        .pipeline
        .encode_table(&table)
        .with_context(|| format!("{}", data_path.display()))?;
    for w in &encoded.warnings {
        eprintln!("warning: {}: {w}", data_path.display());
    }
    let scoring = model.scoring.clone().unwrap_or_default();
    Ok(Loaded {
        model,
        table,
        columns: encoded.columns,
        scoring,
    })
}

impl Loaded {
    /// The model's probability of the positive class per row, before calibration.
    pub fn raw_probabilities(&self) -> Result<Vec<f64>> {
        if self.model.n_outputs() != 1 {
            bail!(
                "this model predicts {} classes; reports and reasons are for yes/no targets",
                self.model.n_classes()
            );
        }
        Ok(self
            .model
            .probabilities(&self.model.predict_columns(&self.columns)))
    }

    /// Feature values of data row `row` (0-based), in model order.
    pub fn row(&self, row: usize) -> Vec<f64> {
        self.columns.iter().map(|c| c[row]).collect()
    }

    /// Outcome per row from the target column — `target` when given, else the one the model
    /// records — (`None` where it is empty).
    pub fn labels(&self, target: Option<&str>) -> Result<Vec<Option<bool>>> {
        let recorded = self.model.info.target.as_str();
        let target = match target {
            Some(t) if !t.is_empty() => t,
            _ if !recorded.is_empty() => recorded,
            _ => bail!(
                "this model does not record its target column (older or imported models): \
                 name it with --target COLUMN"
            ),
        };
        let Some(col) = self.table.column(target) else {
            let hint = if recorded == target {
                "the model was trained on it; if the outcome has another name here, pass \
                 --target COLUMN"
            } else {
                "check the --target name"
            };
            bail!(
                "the data has no target column `{target}` ({hint}); its columns are {}",
                self.table.names().join(", ")
            );
        };
        let positive: Vec<String> = self.model.class_names[1]
            .split(" / ")
            .map(|s| s.trim().to_lowercase())
            .collect();
        let truthy = |s: &str| match s {
            "1" | "yes" | "y" | "true" | "t" => Some(true),
            "0" | "no" | "n" | "false" | "f" => Some(false),
            _ => None,
        };
        let pos_truth = positive.first().and_then(|p| truthy(p));
        let labels: Vec<Option<bool>> = (0..self.table.n_rows)
            .map(|r| {
                col.text(r).map(|t| {
                    let t = t.trim().to_lowercase();
                    positive.contains(&t) || (pos_truth.is_some() && truthy(&t) == pos_truth)
                })
            })
            .collect();
        let pos = labels.iter().filter(|l| **l == Some(true)).count();
        let known = labels.iter().filter(|l| l.is_some()).count();
        if pos == 0 || pos == known {
            bail!(
                "the target column `{target}` needs both outcomes to evaluate: found {pos} `{}` of {known} labelled rows",
                self.model.class_names[1]
            );
        }
        Ok(labels)
    }

    /// SHAP contributions (row-major, rows × features) of `rows`.
    pub fn contributions(&self, rows: &[usize]) -> Result<Vec<f64>> {
        let n = self.model.features.len();
        let mut ex = Explainer::new(self.model.trees(), &self.model.base_score, n)?;
        let mut out = Vec::with_capacity(rows.len() * n);
        let mut phi = Vec::new();
        for &r in rows {
            ex.explain_into(&self.row(r), 0, &mut phi);
            out.extend_from_slice(&phi);
        }
        Ok(out)
    }
}

pub fn run(args: ReportArgs) -> Result<()> {
    let loaded = load(&args.model, &args.data)?;
    let raw = loaded.raw_probabilities()?;
    let labels = loaded
        .labels(args.target.as_deref())
        .with_context(|| format!("{}", args.data.display()))?;
    // Keep the labelled rows.
    let keep: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
    let y: Vec<bool> = keep.iter().map(|&i| labels[i] == Some(true)).collect();
    let raw_kept: Vec<f64> = keep.iter().map(|&i| raw[i]).collect();
    let scoring = &loaded.scoring;
    let probs = scoring.calibrator.apply_all(&raw_kept);
    let columns: Vec<Vec<f64>> = loaded
        .columns
        .iter()
        .map(|c| keep.iter().map(|&i| c[i]).collect())
        .collect();
    let categorical: Vec<bool> = loaded
        .model
        .features
        .iter()
        .map(|f| matches!(f.kind, FeatureKind::Categorical { .. }))
        .collect();
    let points = leadforest::baseline::points_cross_fitted(&columns, &categorical, &y);
    let step = (keep.len() / IMPORTANCE_ROWS).max(1);
    let sample: Vec<usize> = keep.iter().step_by(step).copied().collect();
    let contributions = loaded.contributions(&sample)?;
    let importance = explain::importance(&contributions, &loaded.model.pipeline);
    let segments = match &args.segment {
        Some(name) => {
            let Some(col) = loaded.table.column(name) else {
                bail!(
                    "the data has no column `{name}` to break down by; its columns are {}",
                    loaded.table.names().join(", ")
                );
            };
            Some((
                name.as_str(),
                keep.iter()
                    .map(|&i| col.text(i).map(str::to_string))
                    .collect(),
            ))
        }
        None => None,
    };
    let m = &loaded.model;
    let summary = vec![
        (
            "Kind".to_string(),
            match m.kind {
                ModelKind::GradientBoosting => "gradient-boosted trees",
                ModelKind::RandomForest => "random forest",
            }
            .to_string(),
        ),
        ("Trees".into(), m.trees().len().to_string()),
        ("Features".into(), m.features.len().to_string()),
        ("Trained on".into(), format!("{} rows", m.info.rows)),
        ("Positive outcome".into(), m.class_names[1].clone()),
        ("Calibration".into(), scoring.calibrator.name().to_string()),
    ];
    let title = args.data.file_name().map_or_else(
        || args.data.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let mut report = Report::build(&ReportInput {
        title: &title,
        summary,
        probabilities: &probs,
        labels: &y,
        threshold: ThresholdRule::Fixed(scoring.threshold),
        tiers: &scoring.tiers,
        calibration: scoring.calibration_report.clone(),
        uncalibrated: (scoring.calibrator.name() != "none").then_some(raw_kept.as_slice()),
        importance,
        points: points.as_deref(),
        segments,
        validation: Some(crate::inspect::validated_at_training(&loaded.model)),
    })?;
    if let Some(c) = &args.value {
        report.value = Some(
            crate::crm::gains(&loaded.table, c, &keep, &probs, &y)
                .with_context(|| format!("{}", args.data.display()))?,
        );
    }
    std::fs::write(&args.out, report.to_html())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let r = &report.metrics;
    outln!(
        "{}: {} leads, AUC {:.3}, PR AUC {:.3}, ECE {:.3}; report written to {}",
        args.data.display(),
        r.rows,
        r.auc,
        r.pr_auc,
        r.ece,
        args.out.display()
    );
    outln!(
        "validated at training: {}",
        crate::inspect::validated_at_training(&loaded.model)
    );
    if let Some(e) = &loaded.model.evaluation {
        crate::eval::print_evaluation("evaluated at training", e)?;
    }
    Ok(())
}

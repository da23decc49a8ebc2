//! An [`ImportedEnsemble`] as a leadforest [`Model`]: the trees (round-major), the base margin and
//! a data [`Pipeline`] that reads each feature from a CSV column by name, so scoring, TreeSHAP
//! reasons, tiers, the web app and the widget work on imported models.

use super::{lightgbm_name, onnx, ImportedEnsemble, Objective, Source};
use crate::data::{Column, ColumnKind, CsvOptions, FeatureKind, Table};
use crate::data::{FeatureInfo as PipelineFeature, NumberFormat, Pipeline, Transform};
use crate::model::tree::{Node, Split, Tree, LEAF};
use crate::model::{FeatureInfo, Model, ModelKind, ModelParts, TrainingInfo};
use crate::{Error, Result};
use std::collections::BTreeMap;

/// Options for [`ImportedEnsemble::to_model`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ConvertOptions<'a> {
    /// A table read from data with the model's columns (`--schema DATA.csv`): maps features to
    /// the CSV's column names (LightGBM writes spaces as `_`) and supplies category labels that
    /// the model file lacks (taken in sorted order, pandas' default category order).
    pub schema: Option<&'a Table>,
    /// Where the model came from (file name), kept in the model's training info.
    pub origin: &'a str,
}

impl ImportedEnsemble {
    /// Reads `--schema` data for [`ConvertOptions::schema`]: the CSV's columns that feed the
    /// model's categorical features are read as categories whatever their inferred kind.
    ///
    /// # Errors
    /// The CSV reader's errors (`Error::Csv`, naming the row).
    pub fn read_schema(&self, csv_bytes: &[u8]) -> Result<Table> {
        let table = Table::from_csv(csv_bytes, &CsvOptions::default())?;
        let mut kinds = Vec::new();
        for f in self.features.iter().filter(|f| f.categories.is_some()) {
            if let Some(c) = find_column(&table, &f.name) {
                if c.kind != ColumnKind::Categorical && c.kind != ColumnKind::Numeric {
                    kinds.push((c.name.clone(), ColumnKind::Categorical));
                }
            }
        }
        if kinds.is_empty() {
            return Ok(table);
        }
        let options = CsvOptions {
            kinds,
            ..CsvOptions::default()
        };
        Table::from_csv(csv_bytes, &options)
    }

    /// Converts to a leadforest [`Model`].
    ///
    /// # Errors
    /// `Error::Model` for LightGBM `zero_as_missing` models (no such input rule in leadforest
    /// pipelines), for category labels that differ only in case (pipelines match labels
    /// case-insensitively), or when a categorical feature's labels are unknown and `--schema`
    /// has the column as something other than numeric codes or categories.
    pub fn to_model(&self, options: &ConvertOptions<'_>) -> Result<Model> {
        if let Some(f) = self.features.iter().find(|f| f.zero_is_missing) {
            return Err(Error::Model(format!(
                "feature `{}` uses LightGBM's zero_as_missing, which leadforest models cannot \
                 express; retrain with zero_as_missing=false",
                f.name
            )));
        }
        let mut model_features = Vec::with_capacity(self.features.len());
        let mut pipeline_features = Vec::with_capacity(self.features.len());
        for f in &self.features {
            let column = options.schema.and_then(|t| find_column(t, &f.name));
            let source = column.map_or_else(|| f.name.clone(), |c| c.name.clone());
            let labels: Option<Vec<String>> = match (&f.categories, column) {
                (None, _) => None,
                (Some(v), _) if !v.is_empty() => Some(v.clone()),
                (Some(_), Some(c)) if c.kind == ColumnKind::Categorical => {
                    let mut l: Vec<String> = c.categories.iter().map(|c| c.label.clone()).collect();
                    l.sort();
                    Some(l)
                }
                // No labels anywhere: the CSV holds the integer codes the library saw.
                (Some(_), _) => None,
            };
            let (kind, transform) = match labels {
                None => (
                    FeatureKind::Numeric,
                    Transform::Number(NumberFormat::default()),
                ),
                Some(labels) => {
                    let mut codes = BTreeMap::new();
                    for (code, label) in labels.iter().enumerate() {
                        if codes.insert(label.to_lowercase(), code as u32).is_some() {
                            return Err(Error::Model(format!(
                                "feature `{}`: categories `{label}` and another differ only in \
                                 case; leadforest matches categories case-insensitively",
                                f.name
                            )));
                        }
                    }
                    (
                        FeatureKind::Categorical { categories: labels },
                        Transform::Category {
                            codes,
                            other: None,
                            unseen_is_other: false,
                        },
                    )
                }
            };
            model_features.push(FeatureInfo {
                name: f.name.clone(),
                source: source.clone(),
                kind: kind.clone(),
            });
            pipeline_features.push(PipelineFeature {
                name: f.name.clone(),
                source,
                kind,
                transform,
            });
        }
        let k = self.objective.n_outputs();
        let trees = round_major(&self.trees, &self.tree_class, k);
        let class_names = match self.objective {
            Objective::Binary => vec!["0".to_string(), "1".to_string()],
            Objective::Multiclass(n) => (0..n).map(|c| c.to_string()).collect(),
        };
        let library = match self.source {
            Source::LightGbm => "LightGBM",
            Source::XgBoost => "XGBoost",
        };
        let info = TrainingInfo {
            leadforest_version: crate::VERSION.to_string(),
            target: String::new(),
            rows: 0,
            seed: 0,
            config: serde_json::json!({
                "imported_from": library,
                "file": options.origin,
                "trees": self.trees.len(),
            })
            .to_string(),
            rounds: (trees.len() / k) as u32,
            metrics: Vec::new(),
        };
        let model = Model::new(ModelParts {
            kind: ModelKind::GradientBoosting,
            features: model_features,
            pipeline: Pipeline {
                features: pipeline_features,
                missing: Vec::new(),
            },
            class_names,
            base_score: self.base_margin.clone(),
            trees,
            info,
        });
        // The same checks as a model file gets when it loads: every later walk trusts them.
        model.validate()?;
        Ok(model)
    }
}

/// The column feeding feature `name`: same name, or the same once whitespace is `_` (LightGBM).
fn find_column<'t>(table: &'t Table, name: &str) -> Option<&'t Column> {
    table.column(name).or_else(|| {
        let norm = lightgbm_name(name);
        table
            .columns
            .iter()
            .find(|c| lightgbm_name(&c.name) == norm)
    })
}

/// A leadforest [`Model`] as ONNX bytes (see [`onnx`]): inputs are the model's features in
/// order (categorical ones as their codes, as the model's pipeline encodes them).
///
/// # Errors
/// `Error::Model` for random-forest models (their margins are class frequencies, which the
/// exported `LOGISTIC`/`SOFTMAX` transform would distort) and [`onnx::export`]'s errors.
pub fn model_to_onnx(model: &Model) -> Result<Vec<u8>> {
    if model.kind != ModelKind::GradientBoosting {
        return Err(Error::Model(
            "ONNX export supports gradient-boosted models; this is a random forest".into(),
        ));
    }
    let k = model.n_outputs() as u32;
    let tree_class: Vec<u32> = (0..model.trees().len() as u32)
        .map(|i| i % k.max(1))
        .collect();
    let doc = model
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let inputs: Vec<(String, Option<Vec<String>>)> = model
        .features
        .iter()
        .map(|f| {
            let cats = match &f.kind {
                crate::data::FeatureKind::Categorical { categories } => Some(categories.clone()),
                crate::data::FeatureKind::Numeric => None,
            };
            (f.name.clone(), cats)
        })
        .collect();
    onnx::export(&onnx::OnnxInput {
        inputs: &inputs,
        trees: model.trees(),
        tree_class: &tree_class,
        base_margin: &model.base_score,
        n_features: model.features.len(),
        doc: &format!("inputs (double, in order; categorical as codes): {doc}"),
    })
}

/// Orders trees so tree `i` adds to output `i % k`, padding classes that have fewer trees with
/// single-leaf zero trees (which change no score).
fn round_major(trees: &[Tree], tree_class: &[u32], k: usize) -> Vec<Tree> {
    let mut per_class: Vec<Vec<&Tree>> = vec![Vec::new(); k];
    for (t, &c) in trees.iter().zip(tree_class) {
        per_class[c as usize].push(t);
    }
    let rounds = per_class.iter().map(Vec::len).max().unwrap_or(0);
    let zero = Tree {
        nodes: vec![Node {
            feature: LEAF,
            split: Split::Leaf,
            left: 0,
            right: 0,
            default_left: false,
            value: 0.0,
            cover: 1.0,
        }],
    };
    let mut out = Vec::with_capacity(rounds * k);
    for r in 0..rounds {
        for class in &per_class {
            out.push(class.get(r).map_or_else(|| zero.clone(), |t| (*t).clone()));
        }
    }
    out
}

//! Models from other libraries: LightGBM text models and XGBoost JSON models in, ONNX out.
//!
//! Importers turn a foreign model into an [`ImportedEnsemble`]: flat [`Tree`]s in leadforest's
//! scoring contract (`x <= threshold` goes left, NaN follows `default_left`, categorical codes in a
//! bitset go left), which class each tree votes for, the base margin and the feature names and
//! category vocabularies. Every foreign routing rule is converted exactly (see each importer's
//! notes), so the trees score the same rows the same way as the library that wrote them.

pub mod convert;
pub mod lightgbm;
pub mod onnx;
pub mod xgboost;

pub use convert::{model_to_onnx, ConvertOptions};

use crate::model::tree::{Node, Split, Tree};
use crate::{Error, Result};

/// Which library wrote an imported model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// LightGBM (`save_model('model.txt')`).
    LightGbm,
    /// XGBoost (`save_model('m.json')`).
    XgBoost,
}

/// What the model's outputs mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Two classes: one margin (log-odds of the positive class); probability = sigmoid(margin).
    Binary,
    /// `n` classes (n ≥ 3): one margin per class; probabilities = softmax(margins).
    Multiclass(u32),
}

impl Objective {
    /// Number of margins per row: 1 for binary, the number of classes otherwise.
    pub fn n_outputs(&self) -> usize {
        match self {
            Objective::Binary => 1,
            Objective::Multiclass(k) => *k as usize,
        }
    }
}

/// A model input as the foreign model saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFeature {
    /// The feature's name as stored in the model file (LightGBM replaces spaces with `_`).
    pub name: String,
    /// `None` for numeric features; for categorical ones the labels by code, when the model file
    /// stores them (LightGBM `pandas_categorical`, XGBoost ≥ 3.1 `cats`), else an empty list
    /// (codes are then the integers the library was given).
    pub categories: Option<Vec<String>>,
    /// LightGBM `zero_as_missing`: values in `[-1e-35, 1e-35]` count as missing (NaN).
    pub zero_is_missing: bool,
}

/// A tree ensemble read from another library, in leadforest's tree contract.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEnsemble {
    /// Which library wrote it.
    pub source: Source,
    /// Binary or multiclass.
    pub objective: Objective,
    /// The inputs, in the model's column order (`row[f]` is feature `f`).
    pub features: Vec<ImportedFeature>,
    /// The trees; leaf values are in margin units with shrinkage and averaging folded in.
    pub trees: Vec<Tree>,
    /// Which output (class) each tree adds to, `0..objective.n_outputs()`.
    pub tree_class: Vec<u32>,
    /// Margin before any tree, per output.
    pub base_margin: Vec<f64>,
}

/// LightGBM's `kZeroThreshold` (`1e-35f` widened to double): inputs this close to 0 are 0.
pub(crate) const LGB_ZERO: f64 = 1.000_000_018_002_509_5e-35;

impl ImportedEnsemble {
    /// Applies the library's input conventions to a row of raw values (NaN = missing) in model
    /// order: LightGBM reads `|x| <= 1e-35` as 0, or as missing for `zero_as_missing` features.
    pub fn prepare_row(&self, row: &mut [f64]) {
        if self.source != Source::LightGbm {
            return;
        }
        for (x, f) in row.iter_mut().zip(&self.features) {
            if f.zero_is_missing && (x.is_nan() || x.abs() <= LGB_ZERO) {
                *x = f64::NAN;
            } else if x.abs() <= LGB_ZERO {
                *x = 0.0;
            }
        }
    }

    /// Raw margins for one prepared row (see [`Self::prepare_row`]), one per output. XGBoost
    /// sums in `f32` as XGBoost does; LightGBM in `f64`.
    pub fn margins(&self, row: &[f64]) -> Vec<f64> {
        let k = self.objective.n_outputs();
        match self.source {
            Source::LightGbm => {
                let mut m = self.base_margin.clone();
                for (t, &c) in self.trees.iter().zip(&self.tree_class) {
                    m[c as usize] += t.predict(row);
                }
                m
            }
            Source::XgBoost => {
                let mut m: Vec<f32> = self.base_margin.iter().map(|&b| b as f32).collect();
                for (t, &c) in self.trees.iter().zip(&self.tree_class) {
                    m[c as usize] += t.predict(row) as f32;
                }
                m.truncate(k);
                m.into_iter().map(f64::from).collect()
            }
        }
    }

    /// Class probabilities from margins: `[p(positive)]` for binary, softmax for multiclass.
    pub fn probabilities(&self, margins: &[f64]) -> Vec<f64> {
        match self.objective {
            Objective::Binary => vec![1.0 / (1.0 + (-margins[0]).exp())],
            Objective::Multiclass(_) => {
                let max = margins.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let e: Vec<f64> = margins.iter().map(|m| (m - max).exp()).collect();
                let s: f64 = e.iter().sum();
                e.into_iter().map(|v| v / s).collect()
            }
        }
    }

    /// The index of the feature called `name`: exact match first, then LightGBM's spelling
    /// (whitespace replaced by `_`).
    pub fn feature_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.features
            .iter()
            .position(|f| f.name == name)
            .or_else(|| {
                let norm = lightgbm_name(name);
                self.features
                    .iter()
                    .position(|f| lightgbm_name(&f.name) == norm)
            })
    }
}

impl ImportedEnsemble {
    /// Reads CSV bytes (header row, `,` separator) into rows of model inputs, matching columns
    /// to features by name ([`Self::feature_index`] rules) and applying [`Self::prepare_row`].
    /// Empty cells and `NA`/`NaN`/`null` are missing; categorical labels outside the model's
    /// vocabulary are missing (unseen), as the libraries' pandas front ends treat them; without
    /// a vocabulary the cell must hold the integer code the library was trained on.
    ///
    /// # Errors
    /// `Error::Data` naming the feature missing from the header, or the row (counting data rows
    /// from 1) and column of a cell that is not a number; `Error::Csv` for unreadable CSV.
    pub fn rows_from_csv(&self, csv_bytes: &[u8]) -> Result<Vec<Vec<f64>>> {
        let mut reader = csv::ReaderBuilder::new().from_reader(csv_bytes);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Error::Csv(format!("cannot read the header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        // For each feature, the CSV column that feeds it.
        let mut columns = Vec::with_capacity(self.features.len());
        for f in &self.features {
            let norm = lightgbm_name(&f.name);
            let col = headers
                .iter()
                .position(|h| *h == f.name)
                .or_else(|| headers.iter().position(|h| lightgbm_name(h) == norm))
                .ok_or_else(|| {
                    Error::Data(format!(
                        "the model needs a column `{}`, which the CSV does not have (its columns: {})",
                        f.name,
                        headers.join(", ")
                    ))
                })?;
            columns.push(col);
        }
        let mut rows = Vec::new();
        for (r, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::Csv(format!("row {}: {e}", r + 1)))?;
            let mut row = Vec::with_capacity(self.features.len());
            for (f, &col) in self.features.iter().zip(&columns) {
                let cell = record.get(col).unwrap_or("").trim();
                let missing = cell.is_empty()
                    || ["na", "nan", "null", "none"].contains(&cell.to_ascii_lowercase().as_str());
                let value = match &f.categories {
                    _ if missing => f64::NAN,
                    Some(vocab) if !vocab.is_empty() => vocab
                        .iter()
                        .position(|c| c == cell)
                        .map_or(f64::NAN, |code| code as f64),
                    _ => cell.parse::<f64>().map_err(|_| {
                        Error::Data(format!(
                            "row {}, column `{}`: {cell:?} is not a number",
                            r + 1,
                            headers[col]
                        ))
                    })?,
                };
                row.push(value);
            }
            self.prepare_row(&mut row);
            rows.push(row);
        }
        Ok(rows)
    }
}

impl ImportedEnsemble {
    /// Detects the format (LightGBM text starts with `tree`, XGBoost JSON with `{`) and parses.
    ///
    /// # Errors
    /// `Error::Model` when the bytes are neither, or the importer's own errors.
    pub fn parse(bytes: &[u8]) -> Result<ImportedEnsemble> {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        match bytes.get(start) {
            Some(b'{') => xgboost::parse(bytes),
            Some(b't') => {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| Error::Model("LightGBM model: the text is not UTF-8".into()))?;
                lightgbm::parse(text)
            }
            _ => Err(Error::Model(
                "not a LightGBM text model (`tree` first line) nor an XGBoost JSON model (`{`)"
                    .into(),
            )),
        }
    }

    /// The ensemble as ONNX bytes (see [`onnx`]); its input columns are [`Self::features`] in
    /// order, categorical features as codes.
    ///
    /// # Errors
    /// `Error::Model` for LightGBM `zero_as_missing` models (ONNX has no "zero is missing" input
    /// rule; retrain without it) and the exporter's own errors.
    pub fn to_onnx(&self) -> Result<Vec<u8>> {
        if let Some(f) = self.features.iter().find(|f| f.zero_is_missing) {
            return Err(Error::Model(format!(
                "ONNX export: feature `{}` uses LightGBM's zero_as_missing, which ONNX cannot \
                 express; retrain with zero_as_missing=false",
                f.name
            )));
        }
        let doc = self
            .features
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let inputs: Vec<(String, Option<Vec<String>>)> = self
            .features
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    f.categories.clone().filter(|c| !c.is_empty()),
                )
            })
            .collect();
        onnx::export(&onnx::OnnxInput {
            inputs: &inputs,
            trees: &self.trees,
            tree_class: &self.tree_class,
            base_margin: &self.base_margin,
            n_features: self.features.len(),
            doc: &format!("inputs (double, in order; categorical as codes): {doc}"),
        })
    }
}

/// A name as LightGBM writes it in `feature_names` (whitespace becomes `_`).
pub(crate) fn lightgbm_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_whitespace() { '_' } else { c })
        .collect()
}

/// One node of a foreign tree, as an importer reads it before conversion.
pub(crate) enum SourceNode {
    /// A leaf with its output (margin units) and cover.
    Leaf { value: f64, cover: f64 },
    /// A split; `left`/`right` are source node ids.
    Split {
        feature: u32,
        split: Split,
        default_left: bool,
        left: usize,
        right: usize,
    },
}

/// Flattens a foreign tree (root `root`, nodes looked up by id) into a [`Tree`] in pre-order, so
/// children always follow their parent; internal covers are the sums of their leaves' covers and
/// internal values the cover-weighted means (the contract TreeSHAP relies on).
///
/// # Errors
/// `Error::Model` when a node id is out of range or a node is reached twice (not a tree).
pub(crate) fn flatten(
    n_source: usize,
    what: &str,
    node: impl Fn(usize) -> Result<SourceNode>,
) -> Result<Tree> {
    let mut seen = vec![false; n_source];
    let mut nodes: Vec<Node> = Vec::new();
    // (source id, index of the parent in `nodes`, whether this is its left child)
    let mut stack: Vec<(usize, Option<(usize, bool)>)> = vec![(0, None)];
    while let Some((id, parent)) = stack.pop() {
        if id >= n_source || seen[id] {
            return Err(Error::Model(format!(
                "{what}: node {id} is out of range or reached twice; the file is corrupt"
            )));
        }
        seen[id] = true;
        let here = nodes.len();
        if let Some((p, is_left)) = parent {
            if is_left {
                nodes[p].left = here as u32;
            } else {
                nodes[p].right = here as u32;
            }
        }
        match node(id)? {
            SourceNode::Leaf { value, cover } => nodes.push(Node::leaf(value, cover)),
            SourceNode::Split {
                feature,
                split,
                default_left,
                left,
                right,
            } => {
                nodes.push(Node {
                    feature,
                    split,
                    left: 0,
                    right: 0,
                    default_left,
                    value: 0.0,
                    cover: 0.0,
                });
                stack.push((right, Some((here, false))));
                stack.push((left, Some((here, true))));
            }
        }
    }
    for i in (0..nodes.len()).rev() {
        if nodes[i].is_leaf() {
            continue;
        }
        let (l, r) = (
            &nodes[nodes[i].left as usize],
            &nodes[nodes[i].right as usize],
        );
        let cover = l.cover + r.cover;
        let value = if cover > 0.0 {
            (l.value * l.cover + r.value * r.cover) / cover
        } else {
            (l.value + r.value) / 2.0
        };
        nodes[i].cover = cover;
        nodes[i].value = value;
    }
    Ok(Tree { nodes })
}

/// Sets bit `code` in a `u64` bitset, growing it as needed.
pub(crate) fn set_bit(bits: &mut Vec<u64>, code: u64) {
    let word = (code / 64) as usize;
    if bits.len() <= word {
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1u64 << (code % 64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_orders_preorder_and_sums_covers() {
        // Source ids deliberately not in pre-order: root 0 → (2, 1); 2 → (3, 4).
        let tree = flatten(5, "t", |id| {
            Ok(match id {
                0 => SourceNode::Split {
                    feature: 0,
                    split: Split::Numeric { threshold: 1.0 },
                    default_left: true,
                    left: 2,
                    right: 1,
                },
                2 => SourceNode::Split {
                    feature: 1,
                    split: Split::Numeric { threshold: 5.0 },
                    default_left: false,
                    left: 3,
                    right: 4,
                },
                1 => SourceNode::Leaf {
                    value: 3.0,
                    cover: 2.0,
                },
                3 => SourceNode::Leaf {
                    value: 1.0,
                    cover: 1.0,
                },
                _ => SourceNode::Leaf {
                    value: -1.0,
                    cover: 3.0,
                },
            })
        })
        .unwrap();
        assert_eq!(tree.nodes.len(), 5);
        assert_eq!(tree.nodes[0].cover, 6.0);
        assert!((tree.nodes[0].value - (1.0 - 3.0 + 6.0) / 6.0).abs() < 1e-12);
        for (i, n) in tree.nodes.iter().enumerate() {
            if !n.is_leaf() {
                assert!(n.left as usize > i && n.right as usize > i);
            }
        }
        assert_eq!(tree.predict(&[0.5, 9.0]), -1.0);
        assert_eq!(tree.predict(&[f64::NAN, 1.0]), 1.0);
        assert_eq!(tree.predict(&[2.0, 1.0]), 3.0);
    }

    #[test]
    fn flatten_rejects_cycles() {
        let e = flatten(2, "tree 3", |_| {
            Ok(SourceNode::Split {
                feature: 0,
                split: Split::Numeric { threshold: 0.0 },
                default_left: true,
                left: 1,
                right: 0,
            })
        })
        .unwrap_err();
        assert!(e.to_string().contains("tree 3"), "{e}");
    }
}

//! LightGBM text models (`booster.save_model('model.txt')`, format `v2`–`v4`).
//!
//! Routing, as LightGBM's `Tree::NumericalDecision` / `CategoricalDecision` do it:
//! - numeric, missing type *None*: NaN is read as 0, so it goes where 0 goes (`default_left = 0 <= t`);
//! - missing type *NaN*: NaN follows the `default_left` bit;
//! - missing type *Zero* (`zero_as_missing`): NaN and `|x| <= 1e-35` follow `default_left` — the
//!   feature is flagged [`ImportedFeature::zero_is_missing`] and [`ImportedEnsemble::prepare_row`]
//!   turns such values into NaN;
//! - categorical: the code's bit in `cat_threshold` (32-bit words) sends it left; NaN, negative and
//!   codes beyond the bitset go right.
//!
//! Shrinkage is already folded into `leaf_value`; `boost_from_average` is folded into the first
//! tree; random-forest models (`average_output`) divide every leaf by the number of iterations.

use super::{flatten, ImportedEnsemble, ImportedFeature, Objective, Source, SourceNode};
use crate::limits::{
    check_count, MAX_BITSET_WORDS, MAX_CATEGORY_CODES, MAX_CLASSES, MAX_FEATURES, MAX_TREES,
    MAX_TREE_LEAVES,
};
use crate::model::tree::{Split, Tree};
use crate::{Error, Result};
use std::collections::BTreeMap;

const CATEGORICAL_MASK: u8 = 1;
const DEFAULT_LEFT_MASK: u8 = 2;
const MISSING_ZERO: u8 = 1;
const MISSING_NAN: u8 = 2;

fn err(msg: impl std::fmt::Display) -> Error {
    Error::Model(format!("LightGBM model: {msg}"))
}

/// Reads a LightGBM text model (what `save_model` writes).
///
/// # Errors
/// `Error::Model` naming the tree and field when the text is not a LightGBM model, a field is
/// missing or malformed, or the model uses something leadforest cannot score exactly (linear
/// trees, objectives other than binary and multiclass softmax).
pub fn parse(text: &str) -> Result<ImportedEnsemble> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().map(str::trim_end);
    if lines.next().map(str::trim) != Some("tree") {
        return Err(err(
            "the first line is not `tree`; expected a file written by LightGBM's save_model",
        ));
    }
    let mut header: BTreeMap<&str, &str> = BTreeMap::new();
    let mut average_output = false;
    let mut blocks: Vec<BTreeMap<&str, &str>> = Vec::new();
    let mut pandas_categorical: Option<&str> = None;
    let mut in_trees = true;
    for line in lines {
        if let Some(rest) = line.strip_prefix("pandas_categorical:") {
            pandas_categorical = Some(rest);
            continue;
        }
        if line == "end of trees" {
            in_trees = false;
            continue;
        }
        if !in_trees || line.is_empty() {
            continue;
        }
        if line == "average_output" {
            average_output = true;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key == "Tree" {
            blocks.push(BTreeMap::new());
        } else if let Some(block) = blocks.last_mut() {
            block.insert(key, value);
        } else {
            header.insert(key, value);
        }
    }
    let get = |k: &str| {
        header
            .get(k)
            .copied()
            .ok_or_else(|| err(format!("the header has no `{k}=` line")))
    };
    let max_feature_idx: usize = parse_num(get("max_feature_idx")?, "max_feature_idx")?;
    check_count(
        "LightGBM model: max_feature_idx",
        "features",
        max_feature_idx.saturating_add(1),
        MAX_FEATURES,
    )?;
    let n_features = max_feature_idx + 1;
    let names: Vec<&str> = get("feature_names")?.split(' ').collect();
    if names.len() != n_features {
        return Err(err(format!(
            "feature_names has {} names but max_feature_idx says {n_features} features",
            names.len()
        )));
    }
    let infos: Vec<&str> = header
        .get("feature_infos")
        .map(|s| s.split(' ').collect())
        .unwrap_or_default();
    let num_class: usize = parse_num(header.get("num_class").copied().unwrap_or("1"), "num_class")?;
    check_count(
        "LightGBM model: num_class",
        "classes",
        num_class,
        MAX_CLASSES,
    )?;
    let per_iter: usize = parse_num(
        header.get("num_tree_per_iteration").copied().unwrap_or("1"),
        "num_tree_per_iteration",
    )?;
    let objective_line = get("objective")?;
    let mut parts = objective_line.split(' ');
    let objective_name = parts.next().unwrap_or_default();
    let sigmoid: f64 = parts
        .find_map(|p| p.strip_prefix("sigmoid:"))
        .map(|s| parse_num(s, "objective sigmoid"))
        .transpose()?
        .unwrap_or(1.0);
    let objective = match objective_name {
        "binary" if per_iter == 1 => Objective::Binary,
        "multiclass" | "softmax" if num_class >= 2 && per_iter == num_class => {
            Objective::Multiclass(num_class as u32)
        }
        other => {
            return Err(err(format!(
                "objective `{other}` (num_class {num_class}) is not supported: leadforest imports \
                 `binary` and `multiclass` models"
            )))
        }
    };
    // Categorical features: their feature_infos list categories (`a:b:c`), numeric ones a range.
    let is_cat: Vec<bool> = (0..n_features)
        .map(|f| {
            infos
                .get(f)
                .is_some_and(|i| *i != "none" && !i.starts_with('['))
        })
        .collect();
    let vocabularies =
        pandas_vocabularies(pandas_categorical, is_cat.iter().filter(|c| **c).count())?;
    let mut vocab_iter = vocabularies.into_iter();
    let mut features: Vec<ImportedFeature> = names
        .iter()
        .zip(&is_cat)
        .map(|(name, &cat)| ImportedFeature {
            name: name.to_string(),
            categories: if cat {
                Some(vocab_iter.next().unwrap_or_default())
            } else {
                None
            },
            zero_is_missing: false,
        })
        .collect();
    check_count(
        "LightGBM model",
        "trees",
        blocks.len(),
        (MAX_TREES as usize).saturating_mul(per_iter.max(1)),
    )?;
    let n_iter = blocks.len() / per_iter.max(1);
    let scale = if average_output && n_iter > 0 {
        sigmoid / n_iter as f64
    } else {
        sigmoid
    };
    let mut trees = Vec::with_capacity(blocks.len());
    let mut tree_class = Vec::with_capacity(blocks.len());
    // Bitset words over all categorical splits so far: splits may share one `cat_threshold`
    // range, so the text's size alone does not bound them.
    let mut words = 0usize;
    for (i, block) in blocks.iter().enumerate() {
        let tree = parse_tree(block, i, scale, &mut features, &mut words)?;
        tree.check(n_features, &format!("LightGBM model: tree {i}"))?;
        trees.push(tree);
        tree_class.push((i % per_iter) as u32);
    }
    if trees.is_empty() {
        return Err(err("the file has no trees"));
    }
    Ok(ImportedEnsemble {
        source: Source::LightGbm,
        objective,
        features,
        trees,
        tree_class,
        base_margin: vec![0.0; objective.n_outputs()],
    })
}

fn parse_num<T: std::str::FromStr>(s: &str, what: &str) -> Result<T> {
    s.trim()
        .parse()
        .map_err(|_| err(format!("`{what}` has a malformed number {s:?}")))
}

fn parse_list<T: std::str::FromStr>(
    block: &BTreeMap<&str, &str>,
    key: &str,
    tree: usize,
    len: usize,
) -> Result<Vec<T>> {
    let s = block
        .get(key)
        .ok_or_else(|| err(format!("tree {tree} has no `{key}=` line")))?;
    let v: Vec<T> = s
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| parse_num(t, &format!("tree {tree} {key}")))
        .collect::<Result<_>>()?;
    if v.len() != len {
        return Err(err(format!(
            "tree {tree} `{key}` has {} values, expected {len}",
            v.len()
        )));
    }
    Ok(v)
}

/// `pandas_categorical:[["a","b"],[1,2]]` → one label list per categorical feature, in order.
fn pandas_vocabularies(line: Option<&str>, n_cat: usize) -> Result<Vec<Vec<String>>> {
    let Some(line) = line
        .map(str::trim)
        .filter(|l| *l != "null" && !l.is_empty())
    else {
        return Ok(Vec::new());
    };
    let lists: Vec<Vec<serde_json::Value>> = serde_json::from_str(line).map_err(|e| {
        err(format!(
            "pandas_categorical is not a JSON list of lists: {e}"
        ))
    })?;
    if lists.len() != n_cat {
        // Some categorical features were integer codes, not pandas categories: we cannot tell
        // which list belongs to which feature, so codes are used as given.
        return Ok(Vec::new());
    }
    Ok(lists
        .into_iter()
        .map(|l| {
            l.into_iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect()
        })
        .collect())
}

fn parse_tree(
    block: &BTreeMap<&str, &str>,
    index: usize,
    scale: f64,
    features: &mut [ImportedFeature],
    words: &mut usize,
) -> Result<Tree> {
    let num_leaves: usize = parse_num(
        block
            .get("num_leaves")
            .ok_or_else(|| err(format!("tree {index} has no `num_leaves=` line")))?,
        "num_leaves",
    )?;
    if num_leaves == 0 {
        return Err(err(format!(
            "tree {index} has num_leaves=0; a tree has at least one leaf"
        )));
    }
    check_count(
        &format!("LightGBM model: tree {index} num_leaves"),
        "leaves",
        num_leaves,
        MAX_TREE_LEAVES,
    )?;
    if block.get("is_linear").is_some_and(|v| v.trim() == "1") {
        return Err(err(format!(
            "tree {index} is a linear tree (linear_tree=true); leadforest imports constant leaves only"
        )));
    }
    let leaf_value: Vec<f64> = parse_list(block, "leaf_value", index, num_leaves)?;
    // The cover is what LightGBM's own TreeSHAP (`pred_contrib`) weighs children by: the
    // training rows that reached each leaf (`leaf_count`; internal nodes' `internal_count` are
    // their sums), not the hessian sums in `leaf_weight`. A single leaf needs none.
    let leaf_cover: Vec<f64> = if num_leaves == 1 && !block.contains_key("leaf_count") {
        vec![1.0]
    } else {
        parse_list(block, "leaf_count", index, num_leaves)?
    };
    if num_leaves <= 1 {
        return flatten(1, &format!("tree {index}"), |_| {
            Ok(SourceNode::Leaf {
                value: leaf_value[0] * scale,
                cover: leaf_cover[0],
            })
        });
    }
    let n = num_leaves - 1;
    let split_feature: Vec<u32> = parse_list(block, "split_feature", index, n)?;
    let threshold: Vec<f64> = parse_list(block, "threshold", index, n)?;
    let decision_type: Vec<u8> = parse_list(block, "decision_type", index, n)?;
    let left_child: Vec<i64> = parse_list(block, "left_child", index, n)?;
    let right_child: Vec<i64> = parse_list(block, "right_child", index, n)?;
    let (cat_boundaries, cat_threshold): (Vec<usize>, Vec<u32>) =
        if block.contains_key("cat_boundaries") {
            let num_cat: usize = parse_num(
                block
                    .get("num_cat")
                    .ok_or_else(|| err(format!("tree {index} has no `num_cat=` line")))?,
                &format!("tree {index} num_cat"),
            )?;
            check_count(
                &format!("LightGBM model: tree {index} num_cat"),
                "categorical splits",
                num_cat,
                n,
            )?;
            let bounds: Vec<usize> = parse_list(block, "cat_boundaries", index, num_cat + 1)?;
            let n_words = bounds.last().copied().unwrap_or(0);
            (bounds, parse_list(block, "cat_threshold", index, n_words)?)
        } else {
            (Vec::new(), Vec::new())
        };
    let n_features = features.len();
    let mut splits = Vec::with_capacity(n);
    for i in 0..n {
        let f = split_feature[i] as usize;
        if f >= n_features {
            return Err(err(format!(
                "tree {index} node {i} splits on feature {f}, but the model has {n_features} features"
            )));
        }
        let dt = decision_type[i];
        let missing = (dt >> 2) & 3;
        let bit_left = dt & DEFAULT_LEFT_MASK != 0;
        if dt & CATEGORICAL_MASK != 0 {
            let k = threshold[i] as usize;
            let (lo, hi) = match (cat_boundaries.get(k), cat_boundaries.get(k + 1)) {
                (Some(&lo), Some(&hi)) if lo <= hi && hi <= cat_threshold.len() => (lo, hi),
                _ => {
                    return Err(err(format!(
                        "tree {index} node {i}: categorical split {k} is outside cat_boundaries"
                    )))
                }
            };
            check_count(
                &format!("LightGBM model: tree {index} node {i} cat_threshold"),
                "category codes",
                (hi - lo).saturating_mul(32),
                MAX_CATEGORY_CODES,
            )?;
            *words = words.saturating_add((hi - lo).div_ceil(2));
            check_count(
                "LightGBM model: categorical splits",
                "bitset words",
                *words,
                MAX_BITSET_WORDS,
            )?;
            // Two 32-bit words per u64 word; no trailing empty words (as if set bit by bit).
            let mut left = vec![0u64; (hi - lo).div_ceil(2)];
            for (w, &word) in cat_threshold[lo..hi].iter().enumerate() {
                left[w / 2] |= u64::from(word) << (32 * (w % 2));
            }
            while left.last() == Some(&0) {
                left.pop();
            }
            // NaN always goes right in LightGBM's CategoricalDecision.
            splits.push((f as u32, Split::Categorical { left }, false));
        } else {
            let t = threshold[i];
            let default_left = match missing {
                MISSING_NAN => bit_left,
                MISSING_ZERO => {
                    features[f].zero_is_missing = true;
                    bit_left
                }
                _ => 0.0 <= t,
            };
            splits.push((f as u32, Split::Numeric { threshold: t }, default_left));
        }
    }
    // Source ids: internal node i → i; leaf j (child index -(j+1)) → n + j.
    let id = |c: i64| -> usize {
        if c < 0 {
            n + (-(c + 1)) as usize
        } else {
            c as usize
        }
    };
    flatten(n + num_leaves, &format!("tree {index}"), |s| {
        if s < n {
            let (feature, split, default_left) = splits[s].clone();
            Ok(SourceNode::Split {
                feature,
                split,
                default_left,
                left: id(left_child[s]),
                right: id(right_child[s]),
            })
        } else {
            Ok(SourceNode::Leaf {
                value: leaf_value[s - n] * scale,
                cover: leaf_cover[s - n],
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n\
max_feature_idx=1\nobjective=binary sigmoid:1\nfeature_names=x Lead_Source\n\
feature_infos=[0:10] 0:1:2:40\ntree_sizes=1\n\nTree=0\nnum_leaves=3\nnum_cat=1\n\
split_feature=0 1\nsplit_gain=1 1\nthreshold=2.5 0\ndecision_type=2 1\nleft_child=-1 -2\n\
right_child=1 -3\nleaf_value=0.5 -0.25 1\nleaf_weight=2 3 5\nleaf_count=2 3 5\n\
internal_value=0 0\ninternal_weight=10 8\ninternal_count=10 8\ncat_boundaries=0 2\n\
cat_threshold=5 256\nis_linear=0\nshrinkage=1\n\n\nend of trees\n\n\
pandas_categorical:[[\"a\", \"b\", \"c\"]]\n";

    #[test]
    fn tiny_model_routes_like_lightgbm() {
        let m = parse(TINY).unwrap();
        assert_eq!(m.objective, Objective::Binary);
        assert_eq!(m.features[1].categories.as_deref().unwrap().len(), 3);
        let t = &m.trees[0];
        assert_eq!(t.predict(&[2.5, 0.0]), 0.5);
        // Missing type None on node 0: NaN reads as 0 → 0 <= 2.5 → left.
        assert_eq!(t.predict(&[f64::NAN, 0.0]), 0.5);
        // Codes 0 and 2 (word 0 = 5) and 40 (word 1 = 256 → bit 8 → 32 + 8) go left.
        assert_eq!(t.predict(&[3.0, 0.0]), -0.25);
        assert_eq!(t.predict(&[3.0, 2.0]), -0.25);
        assert_eq!(t.predict(&[3.0, 40.0]), -0.25);
        assert_eq!(t.predict(&[3.0, 1.0]), 1.0);
        assert_eq!(t.predict(&[3.0, 99.0]), 1.0);
        assert_eq!(t.predict(&[3.0, f64::NAN]), 1.0);
        assert_eq!(m.feature_index("Lead Source"), Some(1));
    }

    #[test]
    fn zero_as_missing_routes_zeros_to_the_default_side() {
        // decision_type 4 = missing Zero, default right; threshold -1 would send 0 right anyway,
        // so use 2 (decision_type 4): 0 and NaN must go right although 0 <= 2.5.
        let text = TINY.replace("decision_type=2 1", "decision_type=4 1");
        let m = parse(&text).unwrap();
        assert!(m.features[0].zero_is_missing);
        let mut row = [0.0, 1.0];
        m.prepare_row(&mut row);
        assert_eq!(m.margins(&row)[0], 1.0);
        let mut row = [1e-36, 1.0];
        m.prepare_row(&mut row);
        assert_eq!(m.margins(&row)[0], 1.0);
        let mut row = [1.0, 1.0];
        m.prepare_row(&mut row);
        assert_eq!(m.margins(&row)[0], 0.5);
    }

    #[test]
    fn bad_files_are_errors_that_say_where() {
        assert!(parse("{}").unwrap_err().to_string().contains("save_model"));
        let e = parse(&TINY.replace("left_child=-1 -2", "left_child=-1")).unwrap_err();
        assert!(e.to_string().contains("tree 0 `left_child`"), "{e}");
        let e = parse(&TINY.replace("objective=binary", "objective=regression")).unwrap_err();
        assert!(e.to_string().contains("regression"), "{e}");
        let e = parse(&TINY.replace("split_feature=0 1", "split_feature=0 7")).unwrap_err();
        assert!(e.to_string().contains("feature 7"), "{e}");
        let e = parse(&TINY.replace("left_child=-1 -2", "left_child=-1 0")).unwrap_err();
        assert!(e.to_string().contains("reached twice"), "{e}");
    }
}

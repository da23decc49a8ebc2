//! XGBoost JSON models (`booster.save_model('m.json')`, XGBoost 1.6 – 3.x, `gbtree`).
//!
//! Routing, as XGBoost's predictor does it:
//! - inputs are cast to `f32` and a row goes left when `x < condition` (strictly, in `f32`). The
//!   importer converts each condition `c` to the `f64` threshold `T` for which `x <= T` ⇔
//!   `(x as f32) < c` holds for every finite `f64` x (see [`f32_lt_threshold`]);
//! - NaN follows `default_left`;
//! - categorical splits list the categories that go **right**; every other code (including codes
//!   unseen in training) goes left. leadforest's bitset sends listed codes left, so the importer
//!   swaps the two children and flips `default_left`.
//!
//! `base_score` is stored in probability space for `binary:logistic` (margin = logit, computed in
//! `f32` like XGBoost) and in margin space for `multi:softprob`/`multi:softmax`. XGBoost ≥ 3.1
//! writes it as a list (one per class); older versions as one number.

use super::{flatten, set_bit, ImportedEnsemble, ImportedFeature, Objective, Source, SourceNode};
use crate::limits::{
    check_count, MAX_BITSET_WORDS, MAX_CATEGORY_CODES, MAX_CLASSES, MAX_FEATURES, MAX_TREES,
    MAX_TREE_NODES,
};
use crate::model::tree::{Split, Tree};
use crate::{Error, Result};
use serde_json::Value;

fn err(msg: impl std::fmt::Display) -> Error {
    Error::Model(format!("XGBoost model: {msg}"))
}

/// The `f64` threshold `T` such that, for every `f64` x that is not NaN, `x <= T` exactly when
/// `(x as f32) < c` (round-to-nearest-even, as XGBoost casts its inputs).
pub fn f32_lt_threshold(c: f32) -> f64 {
    if c.is_nan() {
        // Nothing compares below NaN: every non-missing value goes right.
        return f64::NEG_INFINITY;
    }
    if c == f32::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    // Half the gap between f32::MAX and the next power of two: beyond it values round to ±inf.
    let half_top_ulp = 2f64.powi(103);
    if c == f32::MIN {
        // Only values rounding to -inf are below the lowest finite f32.
        let m = f64::from(f32::MIN) - half_top_ulp;
        return if (m as f32) < c { m } else { next_down_f64(m) };
    }
    if c == f32::INFINITY {
        // Everything that rounds to a finite f32 goes left.
        let m = f64::from(f32::MAX) + half_top_ulp;
        return if (m as f32) < c { m } else { next_down_f64(m) };
    }
    // p = the largest f32 below c; values rounding to p or lower go left.
    let p = next_down_f32(c);
    // The midpoint of p and c is exact in f64; ties round to the even one of the two.
    let m = (f64::from(p) + f64::from(c)) / 2.0;
    if (m as f32) < c {
        m
    } else {
        next_down_f64(m)
    }
}

fn next_down_f32(x: f32) -> f32 {
    if x == 0.0 {
        return -f32::from_bits(1);
    }
    let b = x.to_bits();
    if x > 0.0 {
        f32::from_bits(b - 1)
    } else {
        f32::from_bits(b + 1)
    }
}

fn next_down_f64(x: f64) -> f64 {
    if x == 0.0 {
        return -f64::from_bits(1);
    }
    let b = x.to_bits();
    if x > 0.0 {
        f64::from_bits(b - 1)
    } else {
        f64::from_bits(b + 1)
    }
}

fn field<'a>(v: &'a Value, path: &[&str]) -> Result<&'a Value> {
    let mut cur = v;
    for (i, k) in path.iter().enumerate() {
        cur = cur.get(k).ok_or_else(|| {
            err(format!(
                "no `{}`; expected a file written by XGBoost's save_model('m.json')",
                path[..=i].join(".")
            ))
        })?;
    }
    Ok(cur)
}

/// A number that XGBoost may write as a JSON number, a string ("5E-1") or a bool.
fn num(v: &Value, what: &str) -> Result<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
    .ok_or_else(|| err(format!("`{what}` is not a number: {v}")))
}

fn list<'a>(tree: &'a Value, key: &str, index: usize) -> Result<&'a Vec<Value>> {
    tree.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| err(format!("tree {index} has no `{key}` list")))
}

fn nums(tree: &Value, key: &str, index: usize, len: usize) -> Result<Vec<f64>> {
    let l = list(tree, key, index)?;
    if l.len() != len {
        return Err(err(format!(
            "tree {index} `{key}` has {} values, expected {len}",
            l.len()
        )));
    }
    l.iter()
        .map(|v| num(v, &format!("tree {index} {key}")))
        .collect()
}

/// Reads an XGBoost JSON model.
///
/// # Errors
/// `Error::Model` naming the tree and field when the JSON is not an XGBoost model, a field is
/// missing or malformed, or the model uses something leadforest cannot score exactly (`dart`,
/// `gblinear`, multi-output trees, objectives other than `binary:logistic`, `binary:logitraw`,
/// `reg:logistic`, `multi:softprob`, `multi:softmax`).
pub fn parse(json: &[u8]) -> Result<ImportedEnsemble> {
    let root: Value = serde_json::from_slice(json).map_err(|e| {
        err(format!(
            "not JSON ({e}); expected a file written by save_model('m.json') (not .ubj)"
        ))
    })?;
    let learner = field(&root, &["learner"])?;
    let booster = field(learner, &["gradient_booster"])?;
    let booster_name = booster
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("gbtree");
    if booster_name != "gbtree" {
        return Err(err(format!(
            "booster `{booster_name}` is not supported: leadforest imports `gbtree` models"
        )));
    }
    let model = field(booster, &["model"])?;
    let params = field(learner, &["learner_model_param"])?;
    let n_features = count(
        num(field(params, &["num_feature"])?, "num_feature")?,
        "num_feature",
        "features",
        MAX_FEATURES,
    )?;
    let num_class = count(
        num(
            params.get("num_class").unwrap_or(&Value::from(0)),
            "num_class",
        )?,
        "num_class",
        "classes",
        MAX_CLASSES,
    )? as u32;
    let objective_name = field(learner, &["objective", "name"])?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let objective = match objective_name.as_str() {
        "binary:logistic" | "binary:logitraw" | "reg:logistic" => Objective::Binary,
        "multi:softprob" | "multi:softmax" if num_class >= 2 => Objective::Multiclass(num_class),
        other => {
            return Err(err(format!(
                "objective `{other}` is not supported: leadforest imports `binary:logistic` and \
                 `multi:softprob` models"
            )))
        }
    };
    let k = objective.n_outputs();
    let base = base_scores(field(params, &["base_score"])?)?;
    let base_margin: Vec<f64> = (0..k)
        .map(|c| {
            let b = *base.get(c).or(base.first()).unwrap_or(&0.5) as f32;
            f64::from(match objective {
                // ProbToMargin in f32: -log(1/p - 1); logitraw keeps its base_score as a margin.
                Objective::Binary if objective_name != "binary:logitraw" => {
                    -(1.0f32 / b - 1.0).ln()
                }
                _ => b,
            })
        })
        .collect();

    let names: Vec<String> = match learner.get("feature_names").and_then(Value::as_array) {
        Some(a) if a.len() == n_features => a
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect(),
        _ => (0..n_features).map(|i| format!("f{i}")).collect(),
    };
    let types: Vec<String> = learner
        .get("feature_types")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let vocab = category_vocabularies(model.get("cats"), n_features);
    let features: Vec<ImportedFeature> = names
        .into_iter()
        .enumerate()
        .map(|(f, name)| ImportedFeature {
            name,
            categories: (types.get(f).map(String::as_str) == Some("c"))
                .then(|| vocab.get(f).cloned().unwrap_or_default()),
            zero_is_missing: false,
        })
        .collect();

    let trees_json = field(model, &["trees"])?
        .as_array()
        .ok_or_else(|| err("`trees` is not a list"))?;
    let tree_info: Vec<u32> = match model.get("tree_info").and_then(Value::as_array) {
        Some(a) => a
            .iter()
            .map(|v| num(v, "tree_info").map(|x| x as u32))
            .collect::<Result<_>>()?,
        None => vec![0; trees_json.len()],
    };
    if tree_info.len() != trees_json.len() {
        return Err(err(format!(
            "tree_info has {} entries for {} trees",
            tree_info.len(),
            trees_json.len()
        )));
    }
    check_count(
        "XGBoost model",
        "trees",
        trees_json.len(),
        (MAX_TREES as usize).saturating_mul(k),
    )?;
    let mut trees = Vec::with_capacity(trees_json.len());
    // Bitset words over all categorical splits so far (see `parse_tree`).
    let mut words = 0usize;
    for (i, t) in trees_json.iter().enumerate() {
        if tree_info[i] as usize >= k {
            return Err(err(format!(
                "tree {i} is for class {}, but the model has {k} outputs",
                tree_info[i]
            )));
        }
        let tree = parse_tree(t, i, n_features, &mut words)?;
        tree.check(n_features, &format!("XGBoost model: tree {i}"))?;
        trees.push(tree);
    }
    if trees.is_empty() {
        return Err(err("the model has no trees"));
    }
    Ok(ImportedEnsemble {
        source: Source::XgBoost,
        objective,
        features,
        trees,
        tree_class: tree_info,
        base_margin,
    })
}

/// A count field (`num_feature`, `num_class`): a whole number from 0 to `max`.
fn count(x: f64, field: &str, what: &str, max: usize) -> Result<usize> {
    if !(x >= 0.0 && x.fract() == 0.0) {
        return Err(err(format!("`{field}` is {x}, not a count")));
    }
    if x > max as f64 {
        return Err(Error::Limit(format!(
            "XGBoost model: `{field}` is {x}: at most {} {what} are supported (see the Limits \
             section of the README)",
            crate::limits::thousands(max as u64)
        )));
    }
    Ok(x as usize)
}

/// `"5E-1"`, `"[5E-1]"` or `"[1E-2,3E-2,-8E-2]"` → the numbers.
fn base_scores(v: &Value) -> Result<Vec<f64>> {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            t.trim().parse::<f64>().map_err(|_| {
                err(format!(
                    "base_score {s:?} is not a number or list of numbers"
                ))
            })
        })
        .collect()
}

/// XGBoost ≥ 3.1 stores each categorical feature's labels under `cats.enc`: strings as UTF-8
/// bytes split by `offsets`, numbers as `values` alone.
fn category_vocabularies(cats: Option<&Value>, n_features: usize) -> Vec<Vec<String>> {
    let Some(enc) = cats.and_then(|c| c.get("enc")).and_then(Value::as_array) else {
        return Vec::new();
    };
    if enc.len() != n_features {
        return Vec::new();
    }
    enc.iter()
        .map(|e| {
            let values: Vec<f64> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            let offsets: Vec<usize> = e
                .get("offsets")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_u64().map(|x| x as usize))
                        .collect()
                })
                .unwrap_or_default();
            if offsets.len() >= 2 {
                let bytes: Vec<u8> = values.iter().map(|&v| v as u8).collect();
                offsets
                    .windows(2)
                    .map(|w| {
                        bytes
                            .get(w[0]..w[1])
                            .map(|b| String::from_utf8_lossy(b).into_owned())
                            .unwrap_or_default()
                    })
                    .collect()
            } else {
                values.iter().map(|v| v.to_string()).collect()
            }
        })
        .collect()
}

fn parse_tree(t: &Value, index: usize, n_features: usize, words: &mut usize) -> Result<Tree> {
    if let Some(p) = t.get("tree_param").and_then(|p| p.get("size_leaf_vector")) {
        if num(p, "size_leaf_vector")? > 1.0 {
            return Err(err(format!(
                "tree {index} has vector leaves (multi_strategy=multi_output_tree); not supported"
            )));
        }
    }
    let n = list(t, "left_children", index)?.len();
    if n == 0 {
        return Err(err(format!("tree {index} has no nodes")));
    }
    check_count(
        &format!("XGBoost model: tree {index} left_children"),
        "nodes",
        n,
        MAX_TREE_NODES,
    )?;
    let left = nums(t, "left_children", index, n)?;
    let right = nums(t, "right_children", index, n)?;
    let cond = nums(t, "split_conditions", index, n)?;
    let feat = nums(t, "split_indices", index, n)?;
    let default_left = nums(t, "default_left", index, n)?;
    let hess = nums(t, "sum_hessian", index, n)?;
    let split_type = match t.get("split_type") {
        Some(_) => nums(t, "split_type", index, n)?,
        None => vec![0.0; n],
    };
    // Categories (going right) per categorical node.
    let mut cat_sets: Vec<Option<Vec<u64>>> = vec![None; n];
    if split_type.contains(&1.0) {
        let cnodes_len = list(t, "categories_nodes", index)?.len();
        let cnodes = nums(t, "categories_nodes", index, cnodes_len)?;
        let cats_len = list(t, "categories", index)?.len();
        let segs = nums(t, "categories_segments", index, cnodes.len())?;
        let sizes = nums(t, "categories_sizes", index, cnodes.len())?;
        let cats = nums(t, "categories", index, cats_len)?;
        for ((&node, &seg), &size) in cnodes.iter().zip(&segs).zip(&sizes) {
            let (node, seg, size) = (node as usize, seg as usize, size as usize);
            let codes = cats
                .get(seg..seg + size)
                .filter(|_| node < n)
                .ok_or_else(|| {
                    err(format!(
                        "tree {index}: categories of node {node} are out of range"
                    ))
                })?;
            let mut bits = Vec::new();
            for &c in codes {
                if !(c >= 0.0 && c.fract() == 0.0) {
                    return Err(err(format!(
                        "tree {index} node {node}: category {c} is invalid"
                    )));
                }
                if c >= MAX_CATEGORY_CODES as f64 {
                    return Err(Error::Limit(format!(
                        "XGBoost model: tree {index} node {node} `categories`: code {c} is past \
                         the largest supported category code, {} (see the Limits section of the \
                         README)",
                        crate::limits::thousands(MAX_CATEGORY_CODES as u64 - 1)
                    )));
                }
                let before = bits.len();
                set_bit(&mut bits, c as u64);
                *words = words.saturating_add(bits.len() - before);
            }
            check_count(
                "XGBoost model: categorical splits",
                "bitset words",
                *words,
                MAX_BITSET_WORDS,
            )?;
            cat_sets[node] = Some(bits);
        }
    }
    let what = format!("tree {index}");
    flatten(n, &what, |i| {
        if left[i] < 0.0 {
            return Ok(SourceNode::Leaf {
                value: f64::from(cond[i] as f32),
                cover: hess[i],
            });
        }
        let f = feat[i] as usize;
        if f >= n_features {
            return Err(err(format!(
                "tree {index} node {i} splits on feature {f}, but the model has {n_features}"
            )));
        }
        let (l, r) = (left[i] as usize, right[i] as usize);
        let dl = default_left[i] != 0.0;
        if split_type[i] == 1.0 {
            let bits = cat_sets[i].clone().ok_or_else(|| {
                err(format!(
                    "tree {index} node {i} is categorical but lists no categories"
                ))
            })?;
            // Listed categories go right in XGBoost: make them our "left" by swapping children.
            Ok(SourceNode::Split {
                feature: f as u32,
                split: Split::Categorical { left: bits },
                default_left: !dl,
                left: r,
                right: l,
            })
        } else {
            Ok(SourceNode::Split {
                feature: f as u32,
                split: Split::Numeric {
                    threshold: f32_lt_threshold(cond[i] as f32),
                },
                default_left: dl,
                left: l,
                right: r,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: f32, x: f64) {
        let t = f32_lt_threshold(c);
        assert_eq!(x <= t, (x as f32) < c, "c={c:e} x={x:e} T={t:e}");
    }

    #[test]
    fn threshold_matches_f32_comparison_at_edges() {
        for c in [
            0.5f32,
            1.0,
            -1.0,
            0.0,
            -0.0,
            3.0,
            27.877985,
            1e-45,
            -1e-45,
            1e30,
            -1e30,
            0.1,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            16_777_216.0,
            f32::INFINITY,
        ] {
            let p = f64::from(next_down_f32(c));
            let cd = f64::from(c);
            let mid = (p + cd) / 2.0;
            for x in [
                cd,
                p,
                mid,
                next_down_f64(mid),
                f64::from_bits(mid.to_bits().wrapping_add(1)),
                -mid,
                next_down_f64(cd),
                f64::from_bits(cd.to_bits().wrapping_add(1)),
                0.0,
                -0.0,
                1e300,
                -1e300,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ] {
                if x.is_finite() && p.is_finite() {
                    check(c, x);
                }
            }
        }
        // Ties go to the even neighbour: 1 + 2^-24 rounds to 1.0 (even), so it is < 1.0000001.
        let c = f32::from_bits(1.0f32.to_bits() + 1);
        assert!(1.0 + 2f64.powi(-24) <= f32_lt_threshold(c));
        let c = f32::from_bits(1.0f32.to_bits() + 2);
        // 1 + 3·2^-24 ties between odd 1+2^-23 and even 1+2^-22 = c: rounds to c, not < c.
        assert!(1.0 + 3.0 * 2f64.powi(-24) > f32_lt_threshold(c));
    }

    const TINY: &str = r#"{"learner":{"feature_names":["x","src"],"feature_types":["float","c"],
      "gradient_booster":{"name":"gbtree","model":{"tree_info":[0],"trees":[{
        "left_children":[1,-1,3,-1,-1],"right_children":[2,-1,4,-1,-1],
        "split_conditions":[0.5,-1.0,0,2.0,3.0],"split_indices":[0,0,1,1,1],
        "default_left":[1,0,0,0,0],"sum_hessian":[10,4,6,2,4],"split_type":[0,0,1,0,0],
        "categories_nodes":[2],"categories_segments":[0],"categories_sizes":[2],"categories":[1,70],
        "base_weights":[0,0,0,0,0]}]}},
      "learner_model_param":{"base_score":"5E-1","num_class":"0","num_feature":"2"},
      "objective":{"name":"binary:logistic"}},"version":[2,0,0]}"#;

    #[test]
    fn tiny_model_routes_like_xgboost() {
        let m = parse(TINY.as_bytes()).unwrap();
        assert_eq!(m.base_margin, vec![0.0]);
        let t = &m.trees[0];
        assert_eq!(t.predict(&[0.4, 0.0]), -1.0);
        assert_eq!(t.predict(&[0.5, 0.0]), 2.0); // not < 0.5 → right; code 0 unlisted → left
        assert_eq!(t.predict(&[f64::NAN, 0.0]), -1.0);
        assert_eq!(t.predict(&[1.0, 1.0]), 3.0); // listed → right
        assert_eq!(t.predict(&[1.0, 70.0]), 3.0);
        assert_eq!(t.predict(&[1.0, 500.0]), 2.0); // unseen → left
        assert_eq!(t.predict(&[1.0, f64::NAN]), 3.0); // default_left = 0 → XGBoost's right child
        assert_eq!(m.features[1].categories, Some(vec![]));
    }

    #[test]
    fn bad_files_are_errors_that_say_where() {
        assert!(parse(b"nope").unwrap_err().to_string().contains("not JSON"));
        let e = parse(
            TINY.replace("binary:logistic", "reg:squarederror")
                .as_bytes(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("reg:squarederror"), "{e}");
        let e = parse(TINY.replace("[0,0,1,1,1]", "[9,0,1,1,1]").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("feature 9"), "{e}");
        let e = parse(TINY.replace("\"gbtree\"", "\"dart\"").as_bytes()).unwrap_err();
        assert!(e.to_string().contains("dart"), "{e}");
    }
}

//! ONNX export: a tree ensemble as an `ai.onnx.ml` `TreeEnsembleClassifier` (ML opset 3), for
//! scoring big batches in ONNX Runtime or Spark.
//!
//! The graph takes one input, `features`: `double[N, F]` in model column order (numbers as they
//! are, categorical features as codes, NaN = missing) and returns `label` (`int64[N]`, the most
//! likely class) and `probabilities` (`float[N, C]`; `[1 - p, p]` for binary models).
//! Thresholds, leaf values and base values are stored as `double` tensors (`*_as_tensor`), so the
//! routing is exactly leadforest's. Categorical splits (a set of codes goes left) have no ONNX
//! node mode, so each distinct (feature, set) becomes an indicator column computed in the graph
//! — `LabelEncoder(code → 1 if in the set else 0) + (x - x)` (NaN stays NaN) — appended to the
//! input with `Concat`, and the split becomes `indicator > 0.5`.
//!
//! The protobuf is written by a small encoder below (varints and length-delimited fields for the
//! handful of ONNX messages needed): the model is write-only, so a code generator and its build
//! step would cost more than these few lines.

use crate::model::tree::{Split, Tree};
use crate::{Error, Result};

/// What to export: the trees and how their outputs combine.
#[derive(Debug, Clone, Copy)]
pub struct OnnxInput<'a> {
    /// The trees (leadforest routing contract).
    pub trees: &'a [Tree],
    /// Which output each tree adds to, `0..n_outputs`.
    pub tree_class: &'a [u32],
    /// Margins before any tree, one per output (1 for binary, the class count otherwise).
    pub base_margin: &'a [f64],
    /// Number of input columns (features).
    pub n_features: usize,
    /// Text stored in the model's `doc_string` (e.g. the feature names and their order).
    pub doc: &'a str,
    /// The inputs, in order: name and, for categorical features, the labels by code (stored as
    /// JSON in the model's metadata under `leadforest.inputs`, so batch jobs can encode rows).
    pub inputs: &'a [(String, Option<Vec<String>>)],
}

/// Builds the ONNX model bytes.
///
/// # Errors
/// `Error::Model` when the trees and classes do not line up, a tree splits on a feature beyond
/// `n_features`, or there is no tree.
pub fn export(input: &OnnxInput<'_>) -> Result<Vec<u8>> {
    let k = input.base_margin.len();
    if input.trees.is_empty() || k == 0 || input.trees.len() != input.tree_class.len() {
        return Err(Error::Model(format!(
            "ONNX export: {} trees, {} class ids and {k} base margins do not fit together",
            input.trees.len(),
            input.tree_class.len()
        )));
    }
    if k == 2 {
        return Err(Error::Model(
            "ONNX export: a two-class model must have one output (the positive class)".into(),
        ));
    }
    // Indicator columns for categorical splits: (feature, bitset) → column index.
    let mut indicators: Vec<(u32, Vec<u64>)> = Vec::new();
    let mut node_attrs = NodeArrays::default();
    for (t, (tree, &class)) in input.trees.iter().zip(input.tree_class).enumerate() {
        if class as usize >= k {
            return Err(Error::Model(format!(
                "ONNX export: tree {t} adds to output {class}, the model has {k}"
            )));
        }
        for (i, node) in tree.nodes.iter().enumerate() {
            node_attrs.tree_ids.push(t as i64);
            node_attrs.node_ids.push(i as i64);
            if node.is_leaf() {
                node_attrs.modes.push("LEAF");
                node_attrs.features.push(0);
                node_attrs.values.push(0.0);
                node_attrs.true_ids.push(0);
                node_attrs.false_ids.push(0);
                node_attrs.missing_true.push(0);
                node_attrs.class_tree.push(t as i64);
                node_attrs.class_node.push(i as i64);
                node_attrs.class_id.push(i64::from(class));
                node_attrs.class_weight.push(node.value);
                continue;
            }
            if node.feature as usize >= input.n_features {
                return Err(Error::Model(format!(
                    "ONNX export: tree {t} node {i} splits on feature {}, the model has {}",
                    node.feature, input.n_features
                )));
            }
            let (feature, mode, value) = match &node.split {
                Split::Numeric { threshold } => (node.feature as usize, "BRANCH_LEQ", *threshold),
                Split::Categorical { left } => {
                    let key = (node.feature, trim(left));
                    let pos = match indicators.iter().position(|x| *x == key) {
                        Some(p) => p,
                        None => {
                            indicators.push(key);
                            indicators.len() - 1
                        }
                    };
                    (input.n_features + pos, "BRANCH_GT", 0.5)
                }
                Split::Leaf => {
                    return Err(Error::Model(format!(
                        "ONNX export: tree {t} node {i} has children but no split rule"
                    )))
                }
            };
            node_attrs.modes.push(mode);
            node_attrs.features.push(feature as i64);
            node_attrs.values.push(value);
            node_attrs.true_ids.push(i64::from(node.left));
            node_attrs.false_ids.push(i64::from(node.right));
            node_attrs.missing_true.push(i64::from(node.default_left));
        }
    }
    let binary = k == 1;
    let n_classes = if binary { 2 } else { k };

    let mut nodes: Vec<Vec<u8>> = Vec::new();
    let mut initializers: Vec<Vec<u8>> = Vec::new();
    let ensemble_input = if indicators.is_empty() {
        "features".to_string()
    } else {
        let mut concat_inputs = vec!["features".to_string()];
        let mut features_done: Vec<u32> = Vec::new();
        for (j, (feature, bits)) in indicators.iter().enumerate() {
            let f = *feature;
            let col = format!("x{f}");
            if !features_done.contains(&f) {
                features_done.push(f);
                let idx = format!("x{f}_index");
                initializers.push(tensor_i64(&idx, &[1], &[i64::from(f)]));
                nodes.push(node(
                    "Gather",
                    &["features", &idx],
                    &[&col],
                    "",
                    &[attr_int("axis", 1)],
                ));
                nodes.push(node(
                    "Cast",
                    &[&col],
                    &[&format!("{col}_f32")],
                    "",
                    &[attr_int("to", 1)],
                ));
                nodes.push(node(
                    "Sub",
                    &[&col, &col],
                    &[&format!("{col}_nan")],
                    "",
                    &[],
                ));
            }
            let codes: Vec<f32> = (0..bits.len() as u64 * 64)
                .filter(|c| bits[(c / 64) as usize] & (1 << (c % 64)) != 0)
                .map(|c| c as f32)
                .collect();
            let ones = vec![1.0f32; codes.len()];
            let name = format!("in_set_{j}");
            nodes.push(node(
                "LabelEncoder",
                &[&format!("{col}_f32")],
                &[&format!("{name}_f32")],
                "ai.onnx.ml",
                &[
                    attr_floats("keys_floats", &codes),
                    attr_floats("values_floats", &ones),
                    attr_float("default_float", 0.0),
                ],
            ));
            nodes.push(node(
                "Cast",
                &[&format!("{name}_f32")],
                &[&format!("{name}_f64")],
                "",
                &[attr_int("to", 11)],
            ));
            nodes.push(node(
                "Add",
                &[&format!("{name}_f64"), &format!("{col}_nan")],
                &[&name],
                "",
                &[],
            ));
            concat_inputs.push(name);
        }
        let refs: Vec<&str> = concat_inputs.iter().map(String::as_str).collect();
        nodes.push(node(
            "Concat",
            &refs,
            &["features_ext"],
            "",
            &[attr_int("axis", 1)],
        ));
        "features_ext".to_string()
    };
    let labels: Vec<i64> = (0..n_classes as i64).collect();
    let a = &node_attrs;
    nodes.push(node(
        "TreeEnsembleClassifier",
        &[&ensemble_input],
        &["label", "probabilities"],
        "ai.onnx.ml",
        &[
            attr_ints("nodes_treeids", &a.tree_ids),
            attr_ints("nodes_nodeids", &a.node_ids),
            attr_ints("nodes_featureids", &a.features),
            attr_tensor(
                "nodes_values_as_tensor",
                &tensor_f64("nodes_values", &a.values),
            ),
            attr_strings("nodes_modes", &a.modes),
            attr_ints("nodes_truenodeids", &a.true_ids),
            attr_ints("nodes_falsenodeids", &a.false_ids),
            attr_ints("nodes_missing_value_tracks_true", &a.missing_true),
            attr_ints("class_treeids", &a.class_tree),
            attr_ints("class_nodeids", &a.class_node),
            attr_ints("class_ids", &a.class_id),
            attr_tensor(
                "class_weights_as_tensor",
                &tensor_f64("class_weights", &a.class_weight),
            ),
            attr_tensor(
                "base_values_as_tensor",
                &tensor_f64("base_values", input.base_margin),
            ),
            attr_ints("classlabels_int64s", &labels),
            attr_string(
                "post_transform",
                if binary { "LOGISTIC" } else { "SOFTMAX" },
            ),
        ],
    ));

    let mut graph = Vec::new();
    for n in &nodes {
        put_bytes(&mut graph, 1, n);
    }
    put_str(&mut graph, 2, "leadforest");
    for t in &initializers {
        put_bytes(&mut graph, 5, t);
    }
    put_bytes(
        &mut graph,
        11,
        &value_info(
            "features",
            11,
            &[Dim::Param("N"), Dim::Value(input.n_features as i64)],
        ),
    );
    put_bytes(&mut graph, 12, &value_info("label", 7, &[Dim::Param("N")]));
    put_bytes(
        &mut graph,
        12,
        &value_info(
            "probabilities",
            1,
            &[Dim::Param("N"), Dim::Value(n_classes as i64)],
        ),
    );

    let mut model = Vec::new();
    put_varint_field(&mut model, 1, 8); // ir_version 8 (ONNX 1.10+)
    put_str(&mut model, 2, "leadforest");
    put_str(&mut model, 6, input.doc);
    // metadata_props = 14: StringStringEntryProto { key = 1, value = 2 }.
    let inputs: Vec<serde_json::Value> = input
        .inputs
        .iter()
        .map(|(name, cats)| serde_json::json!({ "name": name, "categories": cats }))
        .collect();
    let mut entry = Vec::new();
    put_str(&mut entry, 1, "leadforest.inputs");
    put_str(&mut entry, 2, &serde_json::Value::Array(inputs).to_string());
    put_bytes(&mut model, 14, &entry);
    put_bytes(&mut model, 7, &graph);
    put_bytes(&mut model, 8, &opset("", 13));
    put_bytes(&mut model, 8, &opset("ai.onnx.ml", 3));
    Ok(model)
}

/// A bitset without trailing zero words (so equal sets compare equal).
fn trim(bits: &[u64]) -> Vec<u64> {
    let mut v = bits.to_vec();
    while v.last() == Some(&0) {
        v.pop();
    }
    v
}

#[derive(Default)]
struct NodeArrays {
    tree_ids: Vec<i64>,
    node_ids: Vec<i64>,
    features: Vec<i64>,
    values: Vec<f64>,
    modes: Vec<&'static str>,
    true_ids: Vec<i64>,
    false_ids: Vec<i64>,
    missing_true: Vec<i64>,
    class_tree: Vec<i64>,
    class_node: Vec<i64>,
    class_id: Vec<i64>,
    class_weight: Vec<f64>,
}

// ---- protobuf wire format (proto3/proto2 encoding; field numbers from onnx.proto) ----

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_tag(out: &mut Vec<u8>, field: u32, wire: u8) {
    put_varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn put_varint_field(out: &mut Vec<u8>, field: u32, v: i64) {
    put_tag(out, field, 0);
    put_varint(out, v as u64);
}

fn put_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_tag(out, field, 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

fn put_str(out: &mut Vec<u8>, field: u32, s: &str) {
    put_bytes(out, field, s.as_bytes());
}

fn opset(domain: &str, version: i64) -> Vec<u8> {
    let mut m = Vec::new();
    put_str(&mut m, 1, domain);
    put_varint_field(&mut m, 2, version);
    m
}

enum Dim<'a> {
    Value(i64),
    Param(&'a str),
}

/// ValueInfoProto { name = 1, type = 2: TypeProto { tensor_type = 1: { elem_type = 1, shape = 2 } } }.
fn value_info(name: &str, elem_type: i64, dims: &[Dim<'_>]) -> Vec<u8> {
    let mut shape = Vec::new();
    for d in dims {
        let mut dim = Vec::new();
        match d {
            Dim::Value(v) => put_varint_field(&mut dim, 1, *v),
            Dim::Param(p) => put_str(&mut dim, 2, p),
        }
        put_bytes(&mut shape, 1, &dim);
    }
    let mut tensor_type = Vec::new();
    put_varint_field(&mut tensor_type, 1, elem_type);
    put_bytes(&mut tensor_type, 2, &shape);
    let mut ty = Vec::new();
    put_bytes(&mut ty, 1, &tensor_type);
    let mut vi = Vec::new();
    put_str(&mut vi, 1, name);
    put_bytes(&mut vi, 2, &ty);
    vi
}

/// NodeProto { input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7 }.
fn node(op: &str, inputs: &[&str], outputs: &[&str], domain: &str, attrs: &[Vec<u8>]) -> Vec<u8> {
    let mut n = Vec::new();
    for i in inputs {
        put_str(&mut n, 1, i);
    }
    for o in outputs {
        put_str(&mut n, 2, o);
    }
    put_str(
        &mut n,
        3,
        &format!("{op}_{}", outputs.first().copied().unwrap_or("")),
    );
    put_str(&mut n, 4, op);
    for a in attrs {
        put_bytes(&mut n, 5, a);
    }
    if !domain.is_empty() {
        put_str(&mut n, 7, domain);
    }
    n
}

// AttributeProto { name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, strings = 9,
// type = 20 } with AttributeType FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7, STRINGS 8.
fn attr(name: &str, ty: i64, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut a = Vec::new();
    put_str(&mut a, 1, name);
    body(&mut a);
    put_varint_field(&mut a, 20, ty);
    a
}

fn attr_int(name: &str, v: i64) -> Vec<u8> {
    attr(name, 2, |a| put_varint_field(a, 3, v))
}

fn attr_float(name: &str, v: f32) -> Vec<u8> {
    attr(name, 1, |a| {
        put_tag(a, 2, 5);
        a.extend_from_slice(&v.to_le_bytes());
    })
}

fn attr_string(name: &str, v: &str) -> Vec<u8> {
    attr(name, 3, |a| put_str(a, 4, v))
}

fn attr_ints(name: &str, v: &[i64]) -> Vec<u8> {
    attr(name, 7, |a| {
        let mut packed = Vec::new();
        for &x in v {
            put_varint(&mut packed, x as u64);
        }
        put_bytes(a, 8, &packed);
    })
}

fn attr_floats(name: &str, v: &[f32]) -> Vec<u8> {
    attr(name, 6, |a| {
        let packed: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        put_bytes(a, 7, &packed);
    })
}

fn attr_strings(name: &str, v: &[&str]) -> Vec<u8> {
    attr(name, 8, |a| {
        for s in v {
            put_str(a, 9, s);
        }
    })
}

fn attr_tensor(name: &str, tensor: &[u8]) -> Vec<u8> {
    attr(name, 4, |a| put_bytes(a, 5, tensor))
}

/// TensorProto { dims = 1, data_type = 2 (DOUBLE 11), name = 8, raw_data = 9 (little-endian) }.
fn tensor_f64(name: &str, v: &[f64]) -> Vec<u8> {
    let mut t = Vec::new();
    put_varint_field(&mut t, 1, v.len() as i64);
    put_varint_field(&mut t, 2, 11);
    put_str(&mut t, 8, name);
    let raw: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    put_bytes(&mut t, 9, &raw);
    t
}

/// TensorProto with data_type INT64 (7).
fn tensor_i64(name: &str, dims: &[i64], v: &[i64]) -> Vec<u8> {
    let mut t = Vec::new();
    for &d in dims {
        put_varint_field(&mut t, 1, d);
    }
    put_varint_field(&mut t, 2, 7);
    put_str(&mut t, 8, name);
    let raw: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    put_bytes(&mut t, 9, &raw);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tree::Node;

    #[test]
    fn wire_format_matches_the_protobuf_spec() {
        // The protobuf documentation's examples: field 1 = 150 → 08 96 01; field 2 = "testing".
        let mut b = Vec::new();
        put_varint_field(&mut b, 1, 150);
        assert_eq!(b, [0x08, 0x96, 0x01]);
        let mut b = Vec::new();
        put_str(&mut b, 2, "testing");
        assert_eq!(b, [0x12, 0x07, b't', b'e', b's', b't', b'i', b'n', b'g']);
        // Negative int64 is a 10-byte varint.
        let mut b = Vec::new();
        put_varint(&mut b, -1i64 as u64);
        assert_eq!(b.len(), 10);
    }

    #[test]
    fn export_checks_its_input_and_dedupes_category_sets() {
        let tree = Tree {
            nodes: vec![
                Node {
                    feature: 1,
                    split: Split::Categorical {
                        left: vec![0b101, 0],
                    },
                    left: 1,
                    right: 2,
                    default_left: true,
                    value: 0.0,
                    cover: 2.0,
                },
                Node::leaf(1.0, 1.0),
                Node::leaf(-1.0, 1.0),
            ],
        };
        let trees = vec![tree.clone(), tree];
        let input = OnnxInput {
            trees: &trees,
            tree_class: &[0, 0],
            base_margin: &[0.25],
            n_features: 2,
            doc: "x, source",
            inputs: &[],
        };
        let bytes = export(&input).unwrap();
        let count = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count();
        // One indicator column for the two identical sets; the ensemble reads the extended input.
        assert!(count(b"in_set_0") > 0);
        assert_eq!(count(b"in_set_1"), 0);
        assert!(count(b"features_ext") > 0);
        assert_eq!(count(b"LOGISTIC"), 1);
        let e = export(&OnnxInput {
            n_features: 1,
            ..input
        })
        .unwrap_err();
        assert!(e.to_string().contains("feature 1"), "{e}");
        let e = export(&OnnxInput {
            tree_class: &[0, 3],
            ..input
        })
        .unwrap_err();
        assert!(e.to_string().contains("output 3"), "{e}");
    }
}

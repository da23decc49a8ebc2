//! Crafted hostile inputs (issue 19: a DAG "tree", a 100,000-deep chain, sections that disagree,
//! importer files with absurd counts), generated at run time so no multi-MB file is committed.
//! Shared by tests/fuzz_crashes.rs (native) and tests/wasm_crafted.rs (Node-wasm): each case must
//! be a clean error whose message holds every `expect` fragment, and the engine must keep working.
#![allow(dead_code)]

use leadforest::lifecycle::TrainingProfile;
use leadforest::model::calibration::Calibrator;
use leadforest::model::scoring::Scoring;
use leadforest::model::tree::{Node, Split, Tree};
use leadforest::model::Model;

/// One hostile input and the fragments its error message must contain.
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Vec<&'static str>,
}

fn split(feature: u32, left: u32, right: u32) -> Node {
    Node {
        feature,
        split: Split::Numeric { threshold: 0.5 },
        left,
        right,
        default_left: true,
        value: 0.0,
        cover: 1.0,
    }
}

/// `levels` split nodes, each sending both sides to the next one: 2^levels root-to-leaf paths
/// over `levels + 1` nodes (a walk that follows both children never ends).
pub fn dag(levels: u32) -> Tree {
    let mut nodes: Vec<Node> = (0..levels).map(|i| split(0, i + 1, i + 1)).collect();
    nodes.push(Node::leaf(1.0, 1.0));
    Tree { nodes }
}

/// A chain `depth` splits deep: split 2k sends left to leaf 2k + 1 and right to split 2k + 2.
/// A real tree (one parent each), just far too deep: `2 · depth + 1` nodes.
pub fn chain(depth: u32) -> Tree {
    let mut nodes = Vec::with_capacity(2 * depth as usize + 1);
    for k in 0..depth {
        nodes.push(split(0, 2 * k + 1, 2 * k + 2));
        nodes.push(Node::leaf(0.001 * (k % 7) as f64, 1.0));
    }
    nodes.push(Node::leaf(1.0, 1.0));
    Tree { nodes }
}

fn with(golden: &Model, change: impl FnOnce(&mut Model)) -> Vec<u8> {
    let mut m = golden.clone();
    change(&mut m);
    m.to_bytes()
}

/// Model files made from `golden` (a binary model with at least two inputs) with one part broken.
pub fn model_cases(golden: &Model) -> Vec<Case> {
    let case = |name, bytes, expect: &[&'static str]| Case {
        name,
        bytes,
        expect: expect.to_vec(),
    };
    vec![
        case(
            "a DAG of 64 levels",
            with(golden, |m| m.trees_mut()[0] = dag(64)),
            &["corrupt", "tree 0", "node 1 has two parents"],
        ),
        case(
            "a 100,000-deep chain",
            with(golden, |m| m.trees_mut()[1] = chain(100_000)),
            &["tree 1", "deeper than 256 levels", "Limits"],
        ),
        case(
            "a node no other node points to",
            with(golden, |m| {
                m.trees_mut()[0] = Tree {
                    nodes: vec![
                        split(0, 1, 2),
                        Node::leaf(0.0, 1.0),
                        Node::leaf(1.0, 1.0),
                        Node::leaf(2.0, 1.0),
                    ],
                }
            }),
            &["tree 0", "node 3 has no parent"],
        ),
        case(
            "a child before its parent",
            with(golden, |m| {
                m.trees_mut()[0] = Tree {
                    nodes: vec![split(0, 2, 1), split(0, 0, 2), Node::leaf(1.0, 1.0)],
                }
            }),
            &["tree 0", "node 1 has child 0"],
        ),
        case(
            "a split on an input the model does not have",
            with(golden, |m| {
                m.trees_mut()[0] = Tree {
                    nodes: vec![
                        split(1_000_000, 1, 2),
                        Node::leaf(0.0, 1.0),
                        Node::leaf(1.0, 1.0),
                    ],
                }
            }),
            &["tree 0", "splits on feature 1000000"],
        ),
        case(
            "a leaf whose value is NaN",
            with(golden, |m| {
                m.trees_mut()[2] = Tree {
                    nodes: vec![Node::leaf(f64::NAN, 1.0)],
                }
            }),
            &["tree 2", "leaf 0 has value NaN"],
        ),
        case(
            "a category bitset of 20,000 words",
            with(golden, |m| {
                m.trees_mut()[0] = Tree {
                    nodes: vec![
                        Node {
                            split: Split::Categorical {
                                left: vec![0; 20_000],
                            },
                            ..split(0, 1, 2)
                        },
                        Node::leaf(0.0, 1.0),
                        Node::leaf(1.0, 1.0),
                    ],
                }
            }),
            &["tree 0 node 0", "1,280,000 category codes", "1,048,576"],
        ),
        case(
            "a pipeline with one input fewer than the trees read",
            with(golden, |m| {
                m.pipeline.features.pop();
            }),
            &["the pipeline computes", "but the model has"],
        ),
        case(
            "a pipeline with two inputs swapped",
            with(golden, |m| m.pipeline.features.swap(0, 1)),
            &["input 0 is"],
        ),
        case(
            "a training profile of other inputs",
            with(golden, |m| {
                m.training_profile = Some(TrainingProfile {
                    rows: 10,
                    features: Vec::new(),
                    score: None,
                    score_held_out: false,
                    constant_columns: Vec::new(),
                    class_counts: Vec::new(),
                    privacy: None,
                })
            }),
            &["training profile", "0 inputs profiled"],
        ),
        case(
            "isotonic calibration lists of two lengths",
            with(golden, |m| {
                m.scoring = Some(Scoring {
                    calibrator: Calibrator::Isotonic {
                        x: vec![0.1, 0.5, 0.9],
                        y: vec![0.2],
                    },
                    ..Scoring::default()
                })
            }),
            &["scoring section", "3 x and 1 y"],
        ),
        case(
            "calibration on a three-class model",
            with(golden, |m| {
                m.class_names = vec!["a".into(), "b".into(), "c".into()];
                m.base_score = vec![0.0; 3];
                m.training_profile = None;
                m.scoring = Some(Scoring::default());
            }),
            &["binary models", "3 outputs"],
        ),
    ]
}

const LGB: &str = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n\
max_feature_idx=1\nobjective=binary sigmoid:1\nfeature_names=x Lead_Source\n\
feature_infos=[0:10] 0:1:2:40\ntree_sizes=1\n\nTree=0\nnum_leaves=3\nnum_cat=1\n\
split_feature=0 1\nsplit_gain=1 1\nthreshold=2.5 0\ndecision_type=2 1\nleft_child=-1 -2\n\
right_child=1 -3\nleaf_value=0.5 -0.25 1\nleaf_weight=2 3 5\nleaf_count=2 3 5\n\
internal_value=0 0\ninternal_weight=10 8\ninternal_count=10 8\ncat_boundaries=0 2\n\
cat_threshold=5 256\nis_linear=0\nshrinkage=1\n\n\nend of trees\n";

const XGB: &str = r#"{"learner":{"feature_names":["x","src"],"feature_types":["float","c"],
  "gradient_booster":{"name":"gbtree","model":{"tree_info":[0],"trees":[{
    "left_children":[1,-1,3,-1,-1],"right_children":[2,-1,4,-1,-1],
    "split_conditions":[0.5,-1.0,0,2.0,3.0],"split_indices":[0,0,1,1,1],
    "default_left":[1,0,0,0,0],"sum_hessian":[10,4,6,2,4],"split_type":[0,0,1,0,0],
    "categories_nodes":[2],"categories_segments":[0],"categories_sizes":[2],"categories":[1,70],
    "base_weights":[0,0,0,0,0]}]}},
  "learner_model_param":{"base_score":"5E-1","num_class":"0","num_feature":"2"},
  "objective":{"name":"binary:logistic"}},"version":[2,0,0]}"#;

/// The two importer templates (valid: they import).
pub fn importer_templates() -> [&'static str; 2] {
    [LGB, XGB]
}

fn replaced(template: &str, from: &str, to: &str) -> Vec<u8> {
    assert!(template.contains(from), "{from}");
    template.replacen(from, to, 1).into_bytes()
}

/// A LightGBM tree that is one long chain, `depth` splits deep.
fn lgb_chain(depth: usize) -> Vec<u8> {
    let n = depth;
    let list = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(" ");
    let body = format!(
        "num_leaves={}\nnum_cat=0\nsplit_feature={}\nsplit_gain={}\nthreshold={}\n\
         decision_type={}\nleft_child={}\nright_child={}\nleaf_value={}\nleaf_count={}\n\
         is_linear=0\nshrinkage=1\n\n\nend of trees\n",
        n + 1,
        list(&|_| "0".into()),
        list(&|_| "1".into()),
        list(&|i| format!("{}", i as f64 + 0.5)),
        list(&|_| "2".into()),
        list(&|i| format!("-{}", i + 1)),
        list(&|i| if i + 1 < n {
            format!("{}", i + 1)
        } else {
            format!("-{}", n + 1)
        }),
        (0..=n).map(|_| "0.1").collect::<Vec<_>>().join(" "),
        (0..=n).map(|_| "1").collect::<Vec<_>>().join(" "),
    );
    let head = &LGB[..LGB.find("num_leaves=").unwrap()];
    format!("{head}{body}").into_bytes()
}

/// An XGBoost tree that is one long chain, `depth` splits deep.
fn xgb_chain(depth: usize) -> Vec<u8> {
    let n = 2 * depth + 1;
    let nums = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(",");
    let internal = |i: usize| i % 2 == 0 && i + 1 < n;
    let tree = format!(
        r#"{{"left_children":[{}],"right_children":[{}],"split_conditions":[{}],
        "split_indices":[{}],"default_left":[{}],"sum_hessian":[{}],"base_weights":[{}]}}"#,
        nums(&|i| if internal(i) {
            (i + 1).to_string()
        } else {
            "-1".into()
        }),
        nums(&|i| if internal(i) {
            (i + 2).to_string()
        } else {
            "-1".into()
        }),
        nums(&|i| format!("{}", i as f64 * 0.5)),
        nums(&|_| "0".into()),
        nums(&|_| "1".into()),
        nums(&|_| "1".into()),
        nums(&|_| "0".into()),
    );
    let start = XGB.find(r#""trees":["#).unwrap() + r#""trees":["#.len();
    let end = XGB.find("]}},").unwrap();
    let mut s = XGB[..start].to_string();
    s.push_str(&tree);
    s.push_str(&XGB[end..]);
    s.replacen(
        r#""feature_types":["float","c"]"#,
        r#""feature_types":["float","float"]"#,
        1,
    )
    .into_bytes()
}

/// LightGBM and XGBoost files with absurd or inconsistent fields.
pub fn importer_cases() -> Vec<Case> {
    let case = |name, bytes, expect: &[&'static str]| Case {
        name,
        bytes,
        expect: expect.to_vec(),
    };
    // One categorical range of 32,000 words shared by 1,999 splits: 1,999 × 16,000 u64 words.
    let shared_range = {
        let n = 1999;
        let list = |f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>().join(" ");
        let words = (0..32_000)
            .map(|w| if w == 31_999 { "1" } else { "0" })
            .collect::<Vec<_>>()
            .join(" ");
        let body = format!(
            "num_leaves={}\nnum_cat=1\nsplit_feature={}\nsplit_gain={}\nthreshold={}\n\
             decision_type={}\nleft_child={}\nright_child={}\nleaf_value={}\nleaf_count={}\n\
             cat_boundaries=0 32000\ncat_threshold={words}\nis_linear=0\nshrinkage=1\n\n\n\
             end of trees\n",
            n + 1,
            list(&|_| "1".into()),
            list(&|_| "1".into()),
            list(&|_| "0".into()),
            list(&|_| "1".into()),
            list(&|i| format!("-{}", i + 1)),
            list(&|i| if i + 1 < n {
                format!("{}", i + 1)
            } else {
                format!("-{}", n + 1)
            }),
            (0..=n).map(|_| "0.1").collect::<Vec<_>>().join(" "),
            (0..=n).map(|_| "1").collect::<Vec<_>>().join(" "),
        );
        let head = &LGB[..LGB.find("num_leaves=").unwrap()];
        format!("{head}{body}").into_bytes()
    };
    vec![
        case(
            "LightGBM num_leaves=0 and an empty leaf_value",
            LGB.replacen("num_leaves=3", "num_leaves=0", 1)
                .replacen("leaf_value=0.5 -0.25 1", "leaf_value=", 1)
                .into_bytes(),
            &["LightGBM model", "tree 0 has num_leaves=0"],
        ),
        case(
            "LightGBM leaf_count missing",
            replaced(LGB, "leaf_count=2 3 5\n", ""),
            &["LightGBM model", "tree 0 has no `leaf_count=` line"],
        ),
        case(
            "LightGBM leaf_value longer than num_leaves",
            replaced(LGB, "leaf_value=0.5 -0.25 1", "leaf_value=0.5 -0.25 1 7"),
            &["tree 0 `leaf_value` has 4 values, expected 3"],
        ),
        case(
            "LightGBM num_leaves past the limit",
            replaced(LGB, "num_leaves=3", "num_leaves=4000000000"),
            &["tree 0 num_leaves", "4,000,000,000 leaves", "131,072"],
        ),
        case(
            "LightGBM max_feature_idx of 4 billion",
            replaced(LGB, "max_feature_idx=1", "max_feature_idx=3999999999"),
            &["max_feature_idx", "4,000,000,000 features", "65,536"],
        ),
        case(
            "LightGBM num_class of 2 billion",
            replaced(LGB, "num_class=1", "num_class=2000000000"),
            &["num_class", "2,000,000,000 classes", "50"],
        ),
        case(
            "LightGBM a category bitset of 2^24 codes",
            replaced(
                LGB,
                "cat_boundaries=0 2\ncat_threshold=5 256",
                &format!(
                    "cat_boundaries=0 524288\ncat_threshold={}",
                    vec!["1"; 524_288].join(" ")
                ),
            ),
            &[
                "node 1 cat_threshold",
                "16,777,216 category codes",
                "1,048,576",
            ],
        ),
        case(
            "LightGBM 1,999 splits sharing one 32,000-word category range",
            shared_range,
            &["bitset words", "8,388,608"],
        ),
        case(
            "LightGBM a 100,000-deep chain",
            lgb_chain(100_000),
            &["LightGBM model: tree 0", "deeper than 256 levels"],
        ),
        case(
            "XGBoost num_feature of 4 billion",
            replaced(XGB, r#""num_feature":"2""#, r#""num_feature":"4000000000""#),
            &[
                "XGBoost model",
                "`num_feature` is 4000000000",
                "65,536 features",
            ],
        ),
        case(
            "XGBoost num_class of 2 billion",
            replaced(XGB, r#""num_class":"0""#, r#""num_class":"2000000000""#),
            &["XGBoost model", "`num_class` is 2000000000", "50 classes"],
        ),
        case(
            "XGBoost category code 2^24 - 1",
            replaced(
                XGB,
                r#""categories":[1,70]"#,
                r#""categories":[1,16777215]"#,
            ),
            &["tree 0 node 2", "code 16777215", "1,048,575"],
        ),
        case(
            "XGBoost arrays of different lengths",
            replaced(
                XGB,
                r#""sum_hessian":[10,4,6,2,4]"#,
                r#""sum_hessian":[10,4,6]"#,
            ),
            &["tree 0 `sum_hessian` has 3 values, expected 5"],
        ),
        case(
            "XGBoost a shared child",
            replaced(
                XGB,
                r#""right_children":[2,-1,4,-1,-1]"#,
                r#""right_children":[1,-1,4,-1,-1]"#,
            ),
            &["tree 0", "reached twice"],
        ),
        case(
            "XGBoost a 100,000-deep chain",
            xgb_chain(100_000),
            &["XGBoost model: tree 0", "deeper than 256 levels"],
        ),
    ]
}

//! TreeSHAP against brute-force Shapley values on small random trees (numeric and categorical
//! splits, missing values, repeated features on a path, zero covers), and the additivity property.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::explain::{expected_value, tree_shap, Explainer, ShapScratch};
use leadforest::model::tree::{Node, Split, Tree, LEAF};
use leadforest::rng::Rng;
use proptest::prelude::*;

/// Features `0..n_numeric` are numeric (values 0..=3, thresholds .5/1.5/2.5); the rest are
/// categorical with codes 0..6 (random left sets).
struct Shape {
    n_features: u32,
    n_numeric: u32,
    max_depth: u32,
}

fn random_tree(rng: &mut Rng, shape: &Shape) -> Tree {
    fn grow(rng: &mut Rng, shape: &Shape, depth: u32, nodes: &mut Vec<Node>) -> usize {
        let i = nodes.len();
        let stop = depth >= shape.max_depth || (depth > 0 && rng.next_f64() < 0.25);
        if stop {
            // One leaf in twelve has zero cover (a pure-gradient leaf): must not break anything.
            let cover = if rng.below(12) == 0 {
                0.0
            } else {
                1.0 + rng.below(20) as f64
            };
            nodes.push(Node {
                feature: LEAF,
                split: Split::Leaf,
                left: 0,
                right: 0,
                default_left: false,
                value: rng.normal(),
                cover,
            });
            return i;
        }
        let feature = rng.below(shape.n_features as u64) as u32;
        let split = if feature < shape.n_numeric {
            Split::Numeric {
                threshold: 0.5 + rng.below(3) as f64,
            }
        } else {
            Split::Categorical {
                left: vec![rng.below(64)],
            }
        };
        nodes.push(Node {
            feature,
            split,
            left: 0,
            right: 0,
            default_left: rng.below(2) == 0,
            value: 0.0,
            cover: 0.0,
        });
        let l = grow(rng, shape, depth + 1, nodes);
        let r = grow(rng, shape, depth + 1, nodes);
        let (cl, cr) = (nodes[l].cover, nodes[r].cover);
        let (vl, vr) = (nodes[l].value, nodes[r].value);
        let n = &mut nodes[i];
        n.left = l as u32;
        n.right = r as u32;
        n.cover = cl + cr;
        n.value = if cl + cr > 0.0 {
            (cl * vl + cr * vr) / (cl + cr)
        } else {
            (vl + vr) / 2.0
        };
        i
    }
    let mut nodes = Vec::new();
    grow(rng, shape, 0, &mut nodes);
    Tree { nodes }
}

fn random_row(rng: &mut Rng, shape: &Shape) -> Vec<f64> {
    (0..shape.n_features)
        .map(|f| {
            if rng.below(5) == 0 {
                f64::NAN
            } else if f < shape.n_numeric {
                rng.below(4) as f64
            } else {
                rng.below(6) as f64
            }
        })
        .collect()
}

/// E[tree(x) | x_S]: features in `known` follow the row, the others average the children by
/// cover (½/½ when both covers are 0) — the value function path-dependent TreeSHAP explains.
fn conditional(tree: &Tree, i: usize, row: &[f64], known: u32) -> f64 {
    let node = &tree.nodes[i];
    if node.is_leaf() {
        return node.value;
    }
    let (l, r) = (node.left as usize, node.right as usize);
    if known & (1 << node.feature) != 0 {
        let next = if node.goes_left(row[node.feature as usize]) {
            l
        } else {
            r
        };
        return conditional(tree, next, row, known);
    }
    let (cl, cr) = (tree.nodes[l].cover, tree.nodes[r].cover);
    let (fl, fr) = if cl + cr > 0.0 {
        (cl / (cl + cr), cr / (cl + cr))
    } else {
        (0.5, 0.5)
    };
    fl * conditional(tree, l, row, known) + fr * conditional(tree, r, row, known)
}

/// Shapley values by enumerating every subset: φᵢ = Σ_S |S|!(M−|S|−1)!/M! (v(S∪i) − v(S)).
fn brute_force(tree: &Tree, row: &[f64], m: u32) -> Vec<f64> {
    let fact = |n: u32| (1..=n).map(f64::from).product::<f64>();
    (0..m)
        .map(|i| {
            let mut phi = 0.0;
            for s in 0u32..(1 << m) {
                if s & (1 << i) != 0 {
                    continue;
                }
                let size = s.count_ones();
                let w = fact(size) * fact(m - size - 1) / fact(m);
                phi += w * (conditional(tree, 0, row, s | (1 << i)) - conditional(tree, 0, row, s));
            }
            phi
        })
        .collect()
}

#[test]
fn tree_shap_equals_brute_force_shapley_values() {
    let mut rng = Rng::new(2018);
    let mut checked = 0;
    for case in 0..300 {
        let shape = Shape {
            n_features: 1 + (case % 6),
            n_numeric: case % 4,
            max_depth: 1 + (case % 7),
        };
        let tree = random_tree(&mut rng, &shape);
        for _ in 0..3 {
            let row = random_row(&mut rng, &shape);
            let mut phi = vec![0.0; shape.n_features as usize];
            tree_shap(&tree, &row, &mut phi, &mut ShapScratch::default()).unwrap();
            let exact = brute_force(&tree, &row, shape.n_features);
            for (f, (a, b)) in phi.iter().zip(&exact).enumerate() {
                assert!(
                    (a - b).abs() < 1e-9 * (1.0 + b.abs()),
                    "case {case}, feature {f}: TreeSHAP {a} vs brute force {b}\n{tree:?}\n{row:?}"
                );
            }
            // The empty set's value is the bias; the full set's value is the prediction.
            let bias = expected_value(&tree);
            assert!((conditional(&tree, 0, &row, 0) - bias).abs() < 1e-9);
            checked += 1;
        }
    }
    assert_eq!(checked, 900);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// bias + Σ φ equals the ensemble's raw margin for any forest, row and number of outputs.
    #[test]
    fn contributions_add_up_to_the_raw_margin(
        seed in any::<u64>(),
        n_trees in 1usize..12,
        n_outputs in 1usize..4,
        n_features in 1u32..10,
        max_depth in 1u32..9,
    ) {
        let mut rng = Rng::new(seed);
        let shape = Shape { n_features, n_numeric: n_features / 2, max_depth };
        let trees: Vec<Tree> = (0..n_trees).map(|_| random_tree(&mut rng, &shape)).collect();
        let base: Vec<f64> = (0..n_outputs).map(|_| rng.normal()).collect();
        let mut ex = Explainer::new(&trees, &base, n_features as usize).unwrap();
        for _ in 0..4 {
            let row = random_row(&mut rng, &shape);
            for (o, b) in base.iter().enumerate() {
                let margin = b + trees
                    .iter()
                    .skip(o)
                    .step_by(n_outputs)
                    .map(|t| t.predict(&row))
                    .sum::<f64>();
                let c = ex.explain(&row, o);
                prop_assert!(
                    (c.total() - margin).abs() < 1e-9 * (1.0 + margin.abs()),
                    "output {o}: bias {} + Σφ = {} but the margin is {margin}",
                    c.bias,
                    c.total()
                );
            }
        }
    }
}

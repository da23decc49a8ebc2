//! Why a lead got its score: exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018,
//! "Consistent individualized feature attribution for tree ensembles", Algorithm 2), readable
//! reasons grouped by source column, and global importance (mean |SHAP|).
//!
//! For one tree, the value of a set S of known features is the tree's expected output when the
//! features in S follow the row and the others are averaged over the children in proportion to
//! their training cover. The contributions φ are the exact Shapley values of that game, so
//! `bias + Σ φ = raw margin` (to rounding), where `bias` is the cover-weighted mean output.
//! For boosting the margin is in log-odds; for random forests in probability units.

mod reasons;

pub use reasons::{
    format_number, group_by_source, importance, reasons, top_reasons, FeatureText, PlainFeatures,
    Reason, Reasons,
};

use crate::model::tree::{Node, Tree};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// One element of the path of unique features from the root to the current node.
#[derive(Debug, Clone, Copy, Default)]
struct PathElement {
    /// Feature index, or `ROOT` for the first element.
    feature: u32,
    /// Fraction of the cover that flows down this path when the feature is unknown.
    zero_fraction: f64,
    /// 1 when the row flows down this path when the feature is known, else 0.
    one_fraction: f64,
    /// Proportion of subsets of a given size that reach here (Algorithm 2's `w`).
    pweight: f64,
}

const ROOT: u32 = u32::MAX;

/// Fractions of the parent's cover that go to the left and right child (½ each when both are 0).
#[inline]
fn child_fractions(tree: &Tree, node: &Node) -> (f64, f64) {
    let l = tree.nodes[node.left as usize].cover.max(0.0);
    let r = tree.nodes[node.right as usize].cover.max(0.0);
    let s = l + r;
    if s > 0.0 {
        (l / s, r / s)
    } else {
        (0.5, 0.5)
    }
}

/// The tree's expected output over its training cover: the bias of its contributions.
pub fn expected_value(tree: &Tree) -> f64 {
    fn walk(tree: &Tree, i: usize) -> f64 {
        let node = &tree.nodes[i];
        if node.is_leaf() {
            return node.value;
        }
        let (fl, fr) = child_fractions(tree, node);
        fl * walk(tree, node.left as usize) + fr * walk(tree, node.right as usize)
    }
    if tree.nodes.is_empty() {
        0.0
    } else {
        walk(tree, 0)
    }
}

/// Depth of the deepest leaf (root = 0).
pub fn max_depth(tree: &Tree) -> usize {
    fn walk(tree: &Tree, i: usize) -> usize {
        let node = &tree.nodes[i];
        if node.is_leaf() {
            0
        } else {
            1 + walk(tree, node.left as usize).max(walk(tree, node.right as usize))
        }
    }
    if tree.nodes.is_empty() {
        0
    } else {
        walk(tree, 0)
    }
}

/// Largest feature index a tree splits on, if any.
fn max_feature(tree: &Tree) -> Option<u32> {
    tree.nodes
        .iter()
        .filter(|n| !n.is_leaf())
        .map(|n| n.feature)
        .max()
}

fn extend_path(path: &mut [PathElement], depth: usize, zero: f64, one: f64, feature: u32) {
    path[depth] = PathElement {
        feature,
        zero_fraction: zero,
        one_fraction: one,
        pweight: if depth == 0 { 1.0 } else { 0.0 },
    };
    let d1 = (depth + 1) as f64;
    for i in (0..depth).rev() {
        path[i + 1].pweight += one * path[i].pweight * (i + 1) as f64 / d1;
        path[i].pweight = zero * path[i].pweight * (depth - i) as f64 / d1;
    }
}

fn unwind_path(path: &mut [PathElement], depth: usize, index: usize) {
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let d1 = (depth + 1) as f64;
    let mut next_one_portion = path[depth].pweight;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let tmp = path[i].pweight;
            path[i].pweight = next_one_portion * d1 / ((i + 1) as f64 * one);
            next_one_portion = tmp - path[i].pweight * zero * (depth - i) as f64 / d1;
        } else {
            path[i].pweight = path[i].pweight * d1 / (zero * (depth - i) as f64);
        }
    }
    for i in index..depth {
        path[i].feature = path[i + 1].feature;
        path[i].zero_fraction = path[i + 1].zero_fraction;
        path[i].one_fraction = path[i + 1].one_fraction;
    }
}

fn unwound_path_sum(path: &[PathElement], depth: usize, index: usize) -> f64 {
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let d1 = (depth + 1) as f64;
    let mut next_one_portion = path[depth].pweight;
    let mut total = 0.0;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let tmp = next_one_portion * d1 / ((i + 1) as f64 * one);
            total += tmp;
            next_one_portion = path[i].pweight - tmp * zero * (depth - i) as f64 / d1;
        } else if zero != 0.0 {
            total += path[i].pweight / zero * d1 / (depth - i) as f64;
        }
    }
    total
}

/// Reusable scratch space for [`tree_shap`] (sized for the deepest tree seen).
#[derive(Debug, Clone, Default)]
pub struct ShapScratch {
    path: Vec<PathElement>,
}

impl ShapScratch {
    fn ensure(&mut self, depth: usize) {
        let need = (depth + 2) * (depth + 3) / 2;
        if self.path.len() < need {
            self.path.resize(need, PathElement::default());
        }
    }
}

/// Arguments of one recursive step that change per call.
#[derive(Clone, Copy)]
struct Step {
    node: usize,
    depth: usize,
    offset: usize,
    zero: f64,
    one: f64,
    feature: u32,
}

fn recurse(tree: &Tree, row: &[f64], phi: &mut [f64], buf: &mut [PathElement], s: Step) {
    // The parent's path lives at buf[parent_offset..parent_offset + depth]; this node's copy starts
    // right after it, so siblings see their parent's path untouched.
    let start = s.offset + s.depth + 1;
    buf.copy_within(s.offset..s.offset + s.depth, start);
    let mut depth = s.depth;
    extend_path(&mut buf[start..], depth, s.zero, s.one, s.feature);
    let node = &tree.nodes[s.node];
    if node.is_leaf() {
        let path = &buf[start..];
        for i in 1..=depth {
            let w = unwound_path_sum(path, depth, i);
            let el = path[i];
            phi[el.feature as usize] += w * (el.one_fraction - el.zero_fraction) * node.value;
        }
        return;
    }
    let x = row.get(node.feature as usize).copied().unwrap_or(f64::NAN);
    let (fl, fr) = child_fractions(tree, node);
    let (hot, cold, hot_zero, cold_zero) = if node.goes_left(x) {
        (node.left, node.right, fl, fr)
    } else {
        (node.right, node.left, fr, fl)
    };
    let (mut in_zero, mut in_one) = (1.0, 1.0);
    if let Some(k) = buf[start..=start + depth]
        .iter()
        .position(|e| e.feature == node.feature)
    {
        // The feature was split on higher up: undo that split and redo it here.
        in_zero = buf[start + k].zero_fraction;
        in_one = buf[start + k].one_fraction;
        unwind_path(&mut buf[start..], depth, k);
        depth -= 1;
    }
    let child = |next: u32, zero: f64, one: f64| Step {
        node: next as usize,
        depth: depth + 1,
        offset: start,
        zero,
        one,
        feature: node.feature,
    };
    // A branch that no subset can reach contributes nothing; skipping it also avoids 0/0.
    if hot_zero * in_zero != 0.0 || in_one != 0.0 {
        recurse(tree, row, phi, buf, child(hot, hot_zero * in_zero, in_one));
    }
    if cold_zero * in_zero != 0.0 {
        recurse(tree, row, phi, buf, child(cold, cold_zero * in_zero, 0.0));
    }
}

/// Adds one tree's exact SHAP values for `row` (NaN = missing) to `phi` (one slot per feature);
/// the tree's output for the row equals [`expected_value`] + the added amounts.
///
/// # Errors
/// `Error::Model` when the tree splits on a feature index ≥ `phi.len()`.
pub fn tree_shap(
    tree: &Tree,
    row: &[f64],
    phi: &mut [f64],
    scratch: &mut ShapScratch,
) -> Result<()> {
    if tree.nodes.is_empty() {
        return Ok(());
    }
    if let Some(f) = max_feature(tree) {
        if f as usize >= phi.len() {
            return Err(Error::Model(format!(
                "a tree splits on feature {f} but only {} features were given; the model file \
                 is inconsistent",
                phi.len()
            )));
        }
    }
    scratch.ensure(max_depth(tree));
    tree_shap_unchecked(tree, row, phi, scratch);
    Ok(())
}

fn tree_shap_unchecked(tree: &Tree, row: &[f64], phi: &mut [f64], scratch: &mut ShapScratch) {
    let step = Step {
        node: 0,
        depth: 0,
        offset: 0,
        zero: 1.0,
        one: 1.0,
        feature: ROOT,
    };
    // The root's copy starts at offset + depth + 1 = 1; slot 0 is never read.
    recurse(tree, row, phi, &mut scratch.path, step);
}

/// Per-feature contributions for one row and one output; `bias + Σ values = raw margin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contributions {
    /// The expected raw margin (base score + the trees' expected outputs).
    pub bias: f64,
    /// One contribution per feature, in raw-margin units (log-odds for boosting).
    pub values: Vec<f64>,
}

impl Contributions {
    /// The raw margin these contributions add up to: `bias + Σ values`.
    pub fn total(&self) -> f64 {
        self.bias + self.values.iter().sum::<f64>()
    }
}

/// TreeSHAP over an ensemble whose raw margin for output `o` is `base[o]` plus the sum of the
/// trees `t` with `t % base.len() == o` (round-major, as `Model::trees`). Prepared once, then
/// explains many rows.
#[derive(Debug, Clone)]
pub struct Explainer<'a> {
    trees: &'a [Tree],
    base: Vec<f64>,
    n_features: usize,
    /// Expected margin per output.
    bias: Vec<f64>,
    scratch: ShapScratch,
}

impl<'a> Explainer<'a> {
    /// Prepares explanations for `trees` over `n_features` inputs with starting margins `base`
    /// (one per output).
    ///
    /// # Errors
    /// `Error::Model` when `base` is empty or a tree splits on a feature ≥ `n_features`.
    pub fn new(trees: &'a [Tree], base: &[f64], n_features: usize) -> Result<Explainer<'a>> {
        if base.is_empty() {
            return Err(Error::Model(
                "the model has no outputs (empty base score)".into(),
            ));
        }
        let k = base.len();
        let mut bias = base.to_vec();
        let mut depth = 0;
        for (t, tree) in trees.iter().enumerate() {
            if let Some(f) = max_feature(tree) {
                if f as usize >= n_features {
                    return Err(Error::Model(format!(
                        "tree {t} splits on feature {f} but the model has {n_features} \
                         features; the model file is inconsistent"
                    )));
                }
            }
            if !tree.nodes.is_empty() {
                bias[t % k] += expected_value(tree);
            }
            depth = depth.max(max_depth(tree));
        }
        let mut scratch = ShapScratch::default();
        scratch.ensure(depth);
        Ok(Explainer {
            trees,
            base: base.to_vec(),
            n_features,
            bias,
            scratch,
        })
    }

    /// Number of outputs (1 for binary models).
    pub fn n_outputs(&self) -> usize {
        self.base.len()
    }

    /// The expected raw margin of output `output` (the contributions' bias).
    pub fn bias(&self, output: usize) -> f64 {
        self.bias.get(output).copied().unwrap_or(0.0)
    }

    /// Writes the contributions of `row` (features in model order, NaN = missing) for output
    /// `output` into `phi` (resized to the feature count) and returns the bias.
    pub fn explain_into(&mut self, row: &[f64], output: usize, phi: &mut Vec<f64>) -> f64 {
        phi.clear();
        phi.resize(self.n_features, 0.0);
        let k = self.base.len();
        for tree in self.trees.iter().skip(output).step_by(k) {
            if !tree.nodes.is_empty() {
                tree_shap_unchecked(tree, row, phi, &mut self.scratch);
            }
        }
        self.bias(output)
    }

    /// The contributions of `row` for output `output` (0 for binary models).
    pub fn explain(&mut self, row: &[f64], output: usize) -> Contributions {
        let mut values = Vec::new();
        let bias = self.explain_into(row, output, &mut values);
        Contributions { bias, values }
    }
}

/// Mean |contribution| per feature over the rows of a row-major `rows × n_features` matrix: the
/// global importance, in raw-margin units. Empty input gives zeros.
pub fn mean_abs(contributions: &[f64], n_features: usize) -> Vec<f64> {
    let mut out = vec![0.0; n_features];
    if n_features == 0 {
        return out;
    }
    let rows = contributions.len() / n_features;
    for row in contributions.chunks_exact(n_features) {
        for (o, v) in out.iter_mut().zip(row) {
            *o += v.abs();
        }
    }
    if rows > 0 {
        for o in &mut out {
            *o /= rows as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tree::Split;

    fn split(feature: u32, threshold: f64, left: u32, right: u32, cover: f64) -> Node {
        Node {
            feature,
            split: Split::Numeric { threshold },
            left,
            right,
            default_left: true,
            value: 0.0,
            cover,
        }
    }

    #[test]
    fn two_feature_tree_by_hand() {
        // x0 ≤ .5 → leaf 0 (cover 5); else x1 ≤ .5 → 10 (cover 2) or 20 (cover 3).
        // E = ½·0 + ½·(.4·10 + .6·20) = 8. Row (1, 1) → 20.
        // v{} = 8, v{0} = 16, v{1} = ½·0 + ½·20 = 10, v{0,1} = 20.
        // φ0 = ½(16 − 8) + ½(20 − 10) = 9; φ1 = ½(10 − 8) + ½(20 − 16) = 3.
        let tree = Tree {
            nodes: vec![
                split(0, 0.5, 1, 2, 10.0),
                Node::leaf(0.0, 5.0),
                split(1, 0.5, 3, 4, 5.0),
                Node::leaf(10.0, 2.0),
                Node::leaf(20.0, 3.0),
            ],
        };
        assert!((expected_value(&tree) - 8.0).abs() < 1e-12);
        let mut phi = vec![0.0; 2];
        tree_shap(&tree, &[1.0, 1.0], &mut phi, &mut ShapScratch::default()).unwrap();
        assert!((phi[0] - 9.0).abs() < 1e-12, "{phi:?}");
        assert!((phi[1] - 3.0).abs() < 1e-12, "{phi:?}");
        // Missing x0 follows default_left (leaf 0): φ0 = ½(0 − 8) + ½(0 − 10) = −9,
        // φ1 = ½(10 − 8) + ½(0 − 0) = 1; total −8 = 0 − 8.
        let mut phi = vec![0.0; 2];
        tree_shap(
            &tree,
            &[f64::NAN, 1.0],
            &mut phi,
            &mut ShapScratch::default(),
        )
        .unwrap();
        assert!((phi[0] + 9.0).abs() < 1e-12, "{phi:?}");
        assert!((phi[1] - 1.0).abs() < 1e-12, "{phi:?}");
        // A feature index beyond the given slots is a clear error, not a panic.
        let mut short = vec![0.0; 1];
        let err = tree_shap(&tree, &[1.0, 1.0], &mut short, &mut ShapScratch::default());
        assert!(err.is_err());
    }

    #[test]
    fn explainer_adds_base_and_splits_outputs() {
        let t0 = Tree {
            nodes: vec![
                split(0, 0.5, 1, 2, 4.0),
                Node::leaf(-1.0, 1.0),
                Node::leaf(1.0, 3.0),
            ],
        };
        let t1 = Tree {
            nodes: vec![
                split(1, 0.5, 1, 2, 4.0),
                Node::leaf(2.0, 2.0),
                Node::leaf(4.0, 2.0),
            ],
        };
        let trees = vec![t0.clone(), t1.clone(), t0, t1];
        let mut ex = Explainer::new(&trees, &[0.25, -0.5], 2).unwrap();
        // Output 0 = 0.25 + 2·t0; E[t0] = ¼·(−1) + ¾·1 = ½ → bias 1.25.
        assert!((ex.bias(0) - 1.25).abs() < 1e-12);
        let c = ex.explain(&[0.0, 1.0], 0);
        assert!((c.total() - (0.25 - 2.0)).abs() < 1e-12);
        assert_eq!(c.values[1], 0.0);
        let c = ex.explain(&[0.0, 1.0], 1);
        assert!((c.total() - (-0.5 + 8.0)).abs() < 1e-12);
        assert!(Explainer::new(&trees, &[0.0], 1).is_err());
        assert_eq!(mean_abs(&[1.0, -2.0, -3.0, 0.0], 2), vec![2.0, 1.0]);
    }

    /// A fixed, irregular ensemble: repeated features on a path, a categorical split, a zero-cover
    /// branch and missing values; built by a tiny LCG so the test needs no data files.
    fn pinned_trees() -> Vec<Tree> {
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        fn grow(
            next: &mut dyn FnMut() -> f64,
            depth: u32,
            cover: f64,
            nodes: &mut Vec<Node>,
        ) -> u32 {
            let id = nodes.len() as u32;
            if depth == 0 || (depth < 5 && next() < 0.2) {
                nodes.push(Node::leaf(next() * 4.0 - 2.0, cover));
                return id;
            }
            let feature = (next() * 5.0) as u32;
            let split = if feature == 4 {
                Split::Categorical {
                    left: vec![0b1010_0110],
                }
            } else {
                Split::Numeric { threshold: next() }
            };
            nodes.push(Node {
                feature,
                split,
                left: 0,
                right: 0,
                default_left: next() < 0.5,
                value: 0.0,
                cover,
            });
            let share = if next() < 0.1 { 0.0 } else { next() };
            let left = grow(next, depth - 1, cover * share, nodes);
            let right = grow(next, depth - 1, cover * (1.0 - share), nodes);
            nodes[id as usize].left = left;
            nodes[id as usize].right = right;
            id
        }
        (0..4)
            .map(|_| {
                let mut nodes = Vec::new();
                grow(&mut next, 7, 100.0, &mut nodes);
                Tree { nodes }
            })
            .collect()
    }

    #[test]
    fn contributions_are_pinned_to_the_reference_implementation() {
        // Values printed by this straightforward Algorithm 2 implementation; an optimised rewrite
        // must reproduce them (it can, bit for bit, when it keeps each sum's operation order).
        let trees = pinned_trees();
        let rows: [[f64; 5]; 3] = [
            [0.1, 0.7, 0.4, 0.9, 2.0],
            [f64::NAN, 0.3, 0.8, f64::NAN, 5.0],
            [0.6, f64::NAN, 0.05, 0.5, f64::NAN],
        ];
        let mut ex = Explainer::new(&trees, &[0.3], 5).unwrap();
        let mut got = Vec::new();
        for row in &rows {
            let c = ex.explain(row, 0);
            let margin: f64 = 0.3 + trees.iter().map(|t| t.predict(row)).sum::<f64>();
            assert!(
                (c.total() - margin).abs() < 1e-9,
                "{} vs {margin}",
                c.total()
            );
            got.extend(c.values);
        }
        let pinned: [f64; 15] = [
            0.019000849938148223,
            -1.0196553760021847,
            -1.0120377471291186,
            -0.42462465177750797,
            -0.5971486968996123,
            -1.0156746987281924,
            0.06781870387027554,
            -0.18107675478762217,
            -0.5153851229448542,
            1.0966918543528055,
            -0.8361029323695476,
            -0.25386985422895214,
            -1.6024326906871007,
            -0.9997282555031174,
            -1.8083395799582798,
        ];
        for (i, (g, p)) in got.iter().zip(pinned).enumerate() {
            assert!(
                (g - p).abs() <= 1e-12,
                "value {i}: {g:e} vs pinned {p:e}\n{got:?}"
            );
        }
    }
}

//! Why a lead got its score: exact path-dependent TreeSHAP — the Shapley values of Lundberg, Erion
//! & Lee 2018 ("Consistent individualized feature attribution for tree ensembles", Algorithm 2),
//! computed in time linear in depth (Linear TreeSHAP, Yu, Lahiri et al. 2022; `linear.rs`) —
//! readable reasons grouped by source column, and global importance (mean |SHAP|).
//!
//! For one tree, the value of a set S of known features is the tree's expected output when the
//! features in S follow the row and the others are averaged over the children in proportion to
//! their training cover. The contributions φ are the exact Shapley values of that game, so
//! `bias + Σ φ = raw margin` (to rounding), where `bias` is the cover-weighted mean output.
//! For boosting the margin is in log-odds; for random forests in probability units.

mod linear;
mod quadrature;
mod reasons;
#[cfg(test)]
mod reference;
#[cfg(not(feature = "score-only"))]
mod table;

pub use reasons::{
    format_number, group_by_source, importance, reasons, top_reasons, FeatureText, PlainFeatures,
    Reason, Reasons,
};

use crate::model::tree::{Node, Split, Tree};
use crate::{Error, Result};
use quadrature::Rule;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Fractions of the parent's cover that go to the left and right child (½ each when both are 0).
#[inline]
fn child_fractions(tree: &Tree, node: &Node) -> (f64, f64) {
    let cover = |i: u32| tree.nodes.get(i as usize).map_or(0.0, |n| n.cover.max(0.0));
    let (l, r) = (cover(node.left), cover(node.right));
    let s = l + r;
    if s > 0.0 {
        (l / s, r / s)
    } else {
        (0.5, 0.5)
    }
}

/// Nodes of `tree` reached from the root, parents before children (an explicit stack, so a deep
/// tree cannot overflow the call stack; children out of range and nodes reached twice are
/// skipped, so a malformed tree ends the walk).
fn preorder(tree: &Tree) -> Vec<(u32, u32)> {
    let len = tree.nodes.len();
    let mut seen = vec![false; len];
    let mut out = Vec::with_capacity(len);
    let mut stack = if len > 0 {
        vec![(0u32, 0u32)]
    } else {
        Vec::new()
    };
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i as usize], true) {
            continue;
        }
        out.push((i, depth));
        let n = &tree.nodes[i as usize];
        if !n.is_leaf() {
            for c in [n.right, n.left] {
                if (c as usize) < len {
                    stack.push((c, depth + 1));
                }
            }
        }
    }
    out
}

/// The tree's expected output over its training cover: the bias of its contributions.
pub fn expected_value(tree: &Tree) -> f64 {
    let order = preorder(tree);
    let mut value = vec![0.0; tree.nodes.len()];
    for &(i, _) in order.iter().rev() {
        let node = &tree.nodes[i as usize];
        value[i as usize] = if node.is_leaf() {
            node.value
        } else {
            let (fl, fr) = child_fractions(tree, node);
            let get = |c: u32| value.get(c as usize).copied().unwrap_or(0.0);
            fl * get(node.left) + fr * get(node.right)
        };
    }
    value.first().copied().unwrap_or(0.0)
}

/// Depth of the deepest leaf (root = 0).
pub fn max_depth(tree: &Tree) -> usize {
    preorder(tree)
        .iter()
        .map(|&(_, d)| d as usize)
        .max()
        .unwrap_or(0)
}

/// Reusable scratch space for [`tree_shap`].
#[derive(Debug, Clone, Default)]
pub struct ShapScratch {
    inner: linear::Scratch,
    rule: Option<Rule>,
}

/// Adds one tree's exact SHAP values for `row` (NaN = missing) to `phi` (one slot per feature);
/// the tree's output for the row equals [`expected_value`] + the added amounts. Prepares the tree
/// on each call: to explain many rows, use [`Explainer`].
///
/// # Errors
/// `Error::Model` when the tree splits on a feature index ≥ `phi.len()` or is not a tree.
pub fn tree_shap(
    tree: &Tree,
    row: &[f64],
    phi: &mut [f64],
    scratch: &mut ShapScratch,
) -> Result<()> {
    let prepared = linear::prepare(tree, 0, phi.len())?;
    if scratch.rule.as_ref().map(|r| r.points) != Some(prepared.points) {
        scratch.rule = Some(Rule::padded(prepared.points));
    }
    let rule = scratch.rule.as_ref().expect("set above");
    linear::explain_tree(&prepared, rule, row, phi, &mut scratch.inner);
    Ok(())
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
    /// The trees explained (prepared copies live in `prepared`; `explain_rows` tabulates them).
    #[cfg_attr(feature = "score-only", allow(dead_code))]
    trees: &'a [Tree],
    /// Per tree: the prepared tree and the index of its quadrature rule (shared by clones).
    prepared: Arc<Prepared>,
    base: Vec<f64>,
    n_features: usize,
    /// Expected margin per output.
    bias: Vec<f64>,
    scratch: linear::Scratch,
}

#[derive(Debug)]
struct Prepared {
    trees: Vec<(linear::Prepared, usize)>,
    rules: Vec<Rule>,
    /// Per tree, its tables when it fits `table.rs`'s limits: built by the first
    /// [`Explainer::explain_rows`] (shared by clones).
    #[cfg(not(feature = "score-only"))]
    tables: std::sync::OnceLock<Vec<Option<table::Tabulated>>>,
}

/// Prepared trees and tables kept between [`Explainer::cached`] calls, so a model that explains
/// page after page (the WASM handle's `explainCsv`) prepares and tabulates its trees once.
///
/// An entry is reused only for trees, base scores and a feature count equal bit for bit to the
/// ones it was built from (it keeps a copy of the trees and compares them on every call: cheap
/// next to explaining one row per tree), so a model edited between calls is prepared afresh and
/// never explained with stale tables.
#[derive(Debug, Clone, Default)]
pub struct ExplainCache {
    entry: Option<CacheEntry>,
}

#[derive(Debug, Clone)]
struct CacheEntry {
    trees: Vec<Tree>,
    base: Vec<f64>,
    n_features: usize,
    prepared: Arc<Prepared>,
    bias: Vec<f64>,
}

/// Whether two ensembles are the same bit for bit (every field of every node: adding a field to
/// `Node` or `Tree` breaks the build here until it is compared too).
fn same_trees(a: &[Tree], b: &[Tree]) -> bool {
    fn same_node(m: &Node, n: &Node) -> bool {
        let Node {
            feature,
            split,
            left,
            right,
            default_left,
            value,
            cover,
        } = m;
        let same_split = match (split, &n.split) {
            (Split::Leaf, Split::Leaf) => true,
            (Split::Numeric { threshold: x }, Split::Numeric { threshold: y }) => {
                x.to_bits() == y.to_bits()
            }
            (Split::Categorical { left: x }, Split::Categorical { left: y }) => x == y,
            _ => false,
        };
        *feature == n.feature
            && *left == n.left
            && *right == n.right
            && *default_left == n.default_left
            && value.to_bits() == n.value.to_bits()
            && cover.to_bits() == n.cover.to_bits()
            && same_split
    }
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            let Tree { nodes } = x;
            nodes.len() == y.nodes.len() && nodes.iter().zip(&y.nodes).all(|(m, n)| same_node(m, n))
        })
}

/// Rows explained together, tree by tree, by [`Explainer::explain_rows`] (a tree's tables stay in
/// cache for the block; the block's contributions, 128 × 8 bytes per feature, too).
const ROW_BLOCK: usize = 128;

impl<'a> Explainer<'a> {
    /// Prepares explanations for `trees` over `n_features` inputs with starting margins `base`
    /// (one per output).
    ///
    /// # Errors
    /// `Error::Model` when `base` is empty or a tree splits on a feature ≥ `n_features` or is not
    /// a tree (a child out of range, a node reached twice).
    pub fn new(trees: &'a [Tree], base: &[f64], n_features: usize) -> Result<Explainer<'a>> {
        if base.is_empty() {
            return Err(Error::Model(
                "the model has no outputs (empty base score)".into(),
            ));
        }
        let k = base.len();
        let mut bias = base.to_vec();
        let mut rules: Vec<Rule> = Vec::new();
        let mut prepared = Vec::with_capacity(trees.len());
        let mut scratch = linear::PrepareScratch::default();
        for (t, tree) in trees.iter().enumerate() {
            let p = linear::prepare_with(tree, t, n_features, &mut scratch)?;
            let rule = match rules.iter().position(|r| r.points == p.points) {
                Some(i) => i,
                None => {
                    rules.push(Rule::padded(p.points));
                    rules.len() - 1
                }
            };
            if !tree.nodes.is_empty() {
                bias[t % k] += p.expected;
            }
            prepared.push((p, rule));
        }
        Ok(Explainer {
            trees,
            prepared: Arc::new(Prepared {
                trees: prepared,
                rules,
                #[cfg(not(feature = "score-only"))]
                tables: std::sync::OnceLock::new(),
            }),
            base: base.to_vec(),
            n_features,
            bias,
            scratch: linear::Scratch::default(),
        })
    }

    /// [`Explainer::new`], reusing `cache`'s prepared trees and tables when it was filled for
    /// the same `trees`, `base` and `n_features` (bit for bit), else preparing them and keeping
    /// them in `cache` for the next call.
    ///
    /// # Errors
    /// As [`Explainer::new`].
    pub fn cached(
        trees: &'a [Tree],
        base: &[f64],
        n_features: usize,
        cache: &mut ExplainCache,
    ) -> Result<Explainer<'a>> {
        if let Some(e) = &cache.entry {
            let same_base = e.base.len() == base.len()
                && e.base
                    .iter()
                    .zip(base)
                    .all(|(a, b)| a.to_bits() == b.to_bits());
            if e.n_features == n_features && same_base && same_trees(&e.trees, trees) {
                return Ok(Explainer {
                    trees,
                    prepared: Arc::clone(&e.prepared),
                    base: base.to_vec(),
                    n_features,
                    bias: e.bias.clone(),
                    scratch: linear::Scratch::default(),
                });
            }
        }
        cache.entry = None;
        let ex = Explainer::new(trees, base, n_features)?;
        cache.entry = Some(CacheEntry {
            trees: trees.to_vec(),
            base: base.to_vec(),
            n_features,
            prepared: Arc::clone(&ex.prepared),
            bias: ex.bias.clone(),
        });
        Ok(ex)
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
        let shared = &*self.prepared;
        for (prepared, rule) in shared.trees.iter().skip(output).step_by(k) {
            let rule = &shared.rules[*rule];
            linear::explain_tree(prepared, rule, row, phi, &mut self.scratch);
        }
        self.bias(output)
    }

    /// The contributions of many rows: `rows` holds them row-major (`n_features` values each,
    /// NaN = missing) and `outputs` the output to explain for each; `out` gets their
    /// contributions row-major (`out[i * n_features + f]`), the values of
    /// [`Explainer::explain_into`] to rounding (≈1e-16 relative: the sums' order differs).
    ///
    /// The first call tabulates the model's small trees (Fast TreeSHAP v2 tables, `table.rs`:
    /// most GBTs' trees; memory capped, the other trees use the linear scan), then rows are
    /// explained a block at a time, tree by tree. Rows past `outputs.len()` are ignored.
    pub fn explain_rows(&mut self, rows: &[f64], outputs: &[usize], out: &mut Vec<f64>) {
        let nf = self.n_features;
        let n = rows
            .len()
            .checked_div(nf)
            .map_or(0, |n| n.min(outputs.len()));
        out.clear();
        out.resize(n * nf, 0.0);
        if n == 0 {
            return;
        }
        let shared = &*self.prepared;
        #[cfg(not(feature = "score-only"))]
        let tables = shared.tables.get_or_init(|| {
            let mut budget = table::BUDGET;
            self.trees
                .iter()
                .map(|t| table::Tabulated::new(t, &mut budget))
                .collect()
        });
        let k = self.base.len();
        // Every other leaf's additions (see `Tabulated::explain`), added to `out` per block.
        #[cfg(not(feature = "score-only"))]
        let mut second = vec![0.0; ROW_BLOCK.min(n) * nf];
        for start in (0..n).step_by(ROW_BLOCK) {
            let end = (start + ROW_BLOCK).min(n);
            #[cfg(not(feature = "score-only"))]
            second.fill(0.0);
            for (t, (prepared, rule)) in shared.trees.iter().enumerate() {
                let o = t % k;
                #[cfg(not(feature = "score-only"))]
                if let Some(Some(tab)) = tables.get(t) {
                    tab.explain_block(
                        &rows[start * nf..end * nf],
                        nf,
                        &outputs[start..end],
                        o,
                        &mut out[start * nf..end * nf],
                        &mut second[..(end - start) * nf],
                    );
                    continue;
                }
                let rule = &shared.rules[*rule];
                for r in start..end {
                    if outputs[r] == o {
                        let phi = &mut out[r * nf..(r + 1) * nf];
                        let row = &rows[r * nf..(r + 1) * nf];
                        linear::explain_tree(prepared, rule, row, phi, &mut self.scratch);
                    }
                }
            }
            #[cfg(not(feature = "score-only"))]
            for (o, s) in out[start * nf..end * nf].iter_mut().zip(&second) {
                *o += s;
            }
        }
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
        // Many rows at once (tables for the trees that fit them) give the same values.
        let mut many = Vec::new();
        ex.explain_rows(rows.as_flattened(), &[0, 0, 0], &mut many);
        for (i, (g, p)) in many.iter().zip(pinned).enumerate() {
            assert!((g - p).abs() <= 1e-12, "value {i}: {g:e} vs pinned {p:e}");
        }
        let mut budget = table::BUDGET;
        let tabulated = trees
            .iter()
            .filter(|t| table::Tabulated::new(t, &mut budget).is_some())
            .count();
        assert!(tabulated > 0, "no pinned tree is small enough for tables");
    }

    /// A random tree of at most `max_leaves` leaves and depth `depth`, grown leaf-wise (a random
    /// open leaf split at a time, each stopping with probability `stop`), without recursion.
    fn random_tree(
        rng: &mut crate::rng::Rng,
        n_features: u32,
        depth: u32,
        stop: f64,
        max_leaves: usize,
    ) -> Tree {
        let mut nodes = vec![Node::leaf(0.0, 0.0)];
        let mut open = vec![(0usize, 0u32)];
        let mut leaves = 1;
        while !open.is_empty() {
            let (i, d) = open.swap_remove(rng.below(open.len() as u64) as usize);
            if d >= depth || leaves >= max_leaves || (d > 0 && rng.next_f64() < stop) {
                let cover = if rng.below(12) == 0 {
                    0.0
                } else {
                    1.0 + rng.below(30) as f64
                };
                nodes[i] = Node::leaf(rng.normal(), cover);
                continue;
            }
            leaves += 1;
            let feature = rng.below(u64::from(n_features)) as u32;
            let split = if feature % 3 == 2 {
                Split::Categorical {
                    left: vec![rng.next_u64(), rng.below(16)],
                }
            } else {
                Split::Numeric {
                    threshold: rng.below(4) as f64 + 0.5,
                }
            };
            let (l, r) = (nodes.len() as u32, nodes.len() as u32 + 1);
            nodes.push(Node::leaf(0.0, 0.0));
            nodes.push(Node::leaf(0.0, 0.0));
            nodes[i] = Node {
                feature,
                split,
                left: l,
                right: r,
                default_left: rng.below(2) == 0,
                value: 0.0,
                cover: 0.0,
            };
            open.push((l as usize, d + 1));
            open.push((r as usize, d + 1));
        }
        for i in (0..nodes.len()).rev() {
            if !nodes[i].is_leaf() {
                let c = nodes[nodes[i].left as usize].cover + nodes[nodes[i].right as usize].cover;
                nodes[i].cover = c;
            }
        }
        Tree { nodes }
    }

    fn random_row(rng: &mut crate::rng::Rng, n_features: u32) -> Vec<f64> {
        (0..n_features)
            .map(|_| match rng.below(7) {
                0 => f64::NAN,
                1 => 70.0 + rng.below(60) as f64, // a category code in the bitset's second word
                _ => rng.below(5) as f64,
            })
            .collect()
    }

    /// The linear-time algorithm against the original Algorithm 2 on random trees: repeated
    /// features on a path, categorical splits, missing values either way, zero covers, deep and
    /// shallow trees, one to three outputs (round-major).
    #[test]
    fn linear_treeshap_equals_the_original_algorithm() {
        let mut rng = crate::rng::Rng::new(2022);
        for case in 0..400u32 {
            let n_features = 1 + case % 9;
            let k = 1 + (case % 3) as usize;
            let depth = 1 + case % 12;
            let trees: Vec<Tree> = (0..k * (1 + (case % 4) as usize))
                .map(|_| random_tree(&mut rng, n_features, depth, 0.15, 400))
                .collect();
            let base: Vec<f64> = (0..k).map(|_| rng.normal()).collect();
            let mut ex = Explainer::new(&trees, &base, n_features as usize).unwrap();
            for _ in 0..3 {
                let row = random_row(&mut rng, n_features);
                for (o, base_o) in base.iter().enumerate() {
                    let c = ex.explain(&row, o);
                    let mut want = vec![0.0; n_features as usize];
                    for t in trees.iter().skip(o).step_by(k) {
                        reference::tree_shap(t, &row, &mut want);
                    }
                    for (f, (a, b)) in c.values.iter().zip(&want).enumerate() {
                        assert!(
                            (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                            "case {case} output {o} feature {f}: {a:e} vs {b:e}"
                        );
                    }
                    let margin = base_o
                        + trees
                            .iter()
                            .skip(o)
                            .step_by(k)
                            .map(|t| t.predict(&row))
                            .sum::<f64>();
                    assert!(
                        (c.total() - margin).abs() <= 1e-9,
                        "case {case}: {} vs {margin}",
                        c.total()
                    );
                }
            }
        }
    }

    /// Trees prepared one after another with one set of buffers (as `Explainer::new` does) explain
    /// exactly as trees prepared alone, and the expected value computed while preparing is
    /// `expected_value`'s bit for bit (the bias; small trees after big ones, so stale buffer
    /// contents would show).
    #[test]
    fn trees_prepared_with_shared_buffers_equal_trees_prepared_alone() {
        let mut rng = crate::rng::Rng::new(77);
        let mut scratch = linear::PrepareScratch::default();
        let (mut shap, mut alone_shap) = (ShapScratch::default(), ShapScratch::default());
        for case in 0..300u32 {
            let n_features = 1 + case % 11;
            let tree = random_tree(
                &mut rng,
                n_features,
                1 + case % 10,
                0.1,
                1 + (case as usize * 7) % 300,
            );
            let shared = linear::prepare_with(&tree, 0, n_features as usize, &mut scratch).unwrap();
            let alone = linear::prepare(&tree, 0, n_features as usize).unwrap();
            assert_eq!(
                shared.expected.to_bits(),
                expected_value(&tree).to_bits(),
                "case {case}"
            );
            assert_eq!(
                alone.expected.to_bits(),
                shared.expected.to_bits(),
                "case {case}"
            );
            let row = random_row(&mut rng, n_features);
            let rule = Rule::padded(shared.points);
            let (mut a, mut b) = (
                vec![0.0; n_features as usize],
                vec![0.0; n_features as usize],
            );
            linear::explain_tree(&shared, &rule, &row, &mut a, &mut shap.inner);
            linear::explain_tree(&alone, &rule, &row, &mut b, &mut alone_shap.inner);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "case {case}");
        }
    }

    /// `explain_rows` (tables for small trees, the linear scan for the rest, blocks of rows) against
    /// the original Algorithm 2: repeated features on a path, categorical splits, missing values,
    /// zero covers, one to three outputs with each row asking for its own, trees too big to
    /// tabulate beside small ones, and more rows than one block.
    #[test]
    fn explaining_many_rows_equals_the_original_algorithm() {
        let mut rng = crate::rng::Rng::new(2109);
        for case in 0..120u32 {
            let n_features = 1 + case % 15;
            let k = 1 + (case % 3) as usize;
            let trees: Vec<Tree> = (0..k * (1 + (case % 5) as usize))
                .map(|t| {
                    // Mostly GBT-sized trees; every seventh case adds a tree past the limits.
                    let (depth, leaves) = if case % 7 == 0 && t == 0 {
                        (20, 200)
                    } else {
                        (1 + (case + t as u32) % 10, 31)
                    };
                    random_tree(&mut rng, n_features, depth, 0.1, leaves)
                })
                .collect();
            let base: Vec<f64> = (0..k).map(|_| rng.normal()).collect();
            let mut ex = Explainer::new(&trees, &base, n_features as usize).unwrap();
            let n_rows = if case % 10 == 0 { ROW_BLOCK + 7 } else { 5 };
            let mut rows = Vec::new();
            let mut outputs = Vec::new();
            for _ in 0..n_rows {
                rows.extend(random_row(&mut rng, n_features));
                outputs.push(rng.below(k as u64) as usize);
            }
            let mut out = Vec::new();
            ex.explain_rows(&rows, &outputs, &mut out);
            let nf = n_features as usize;
            assert_eq!(out.len(), n_rows * nf);
            for (r, &o) in outputs.iter().enumerate() {
                let row = &rows[r * nf..(r + 1) * nf];
                let got = &out[r * nf..(r + 1) * nf];
                let mut want = vec![0.0; nf];
                for t in trees.iter().skip(o).step_by(k) {
                    reference::tree_shap(t, row, &mut want);
                }
                for (f, (a, b)) in got.iter().zip(&want).enumerate() {
                    assert!(
                        (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                        "case {case} row {r} output {o} feature {f}: {a:e} vs {b:e}"
                    );
                }
                let margin = base[o]
                    + trees
                        .iter()
                        .skip(o)
                        .step_by(k)
                        .map(|t| t.predict(row))
                        .sum::<f64>();
                let total = ex.bias(o) + got.iter().sum::<f64>();
                assert!(
                    (total - margin).abs() <= 1e-9,
                    "case {case}: {total} vs {margin}"
                );
                // And the one-row path (the linear scan) agrees to rounding.
                let one = ex.explain(row, o);
                for (a, b) in got.iter().zip(&one.values) {
                    assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()));
                }
            }
        }
    }

    /// The cache: a hit reuses the prepared trees and the tables the first call built and gives
    /// the same values; any edit to the trees (a leaf's value, a threshold, a cover, a split's
    /// feature or missing-value side), to the base or to the feature count is a miss that
    /// explains as a fresh explainer does, never with the old tables.
    #[test]
    fn the_cache_never_serves_stale_tables() {
        let mut rng = crate::rng::Rng::new(77);
        let nf = 6u32;
        let trees: Vec<Tree> = (0..8)
            .map(|t| random_tree(&mut rng, nf, 3 + t % 4, 0.1, 31))
            .collect();
        let n_rows = 40;
        let rows: Vec<f64> = (0..n_rows).flat_map(|_| random_row(&mut rng, nf)).collect();
        let outputs = vec![0; n_rows];
        let explain = |ex: &mut Explainer| {
            let mut out = Vec::new();
            ex.explain_rows(&rows, &outputs, &mut out);
            out
        };
        let nf = nf as usize;
        let mut cache = ExplainCache::default();
        let first = explain(&mut Explainer::cached(&trees, &[0.2], nf, &mut cache).unwrap());
        let mut again = Explainer::cached(&trees, &[0.2], nf, &mut cache).unwrap();
        let entry = cache.entry.as_ref().unwrap();
        assert!(Arc::ptr_eq(&again.prepared, &entry.prepared), "not reused");
        assert!(again.prepared.tables.get().is_some(), "tables not kept");
        assert_eq!(explain(&mut again), first);
        assert_eq!(again.bias(0).to_bits(), entry.bias[0].to_bits());

        // A numeric split and a leaf of the first tree, to edit.
        let split = trees[0]
            .nodes
            .iter()
            .position(|n| matches!(n.split, Split::Numeric { .. }))
            .unwrap();
        let leaf = trees[0].nodes.iter().position(Node::is_leaf).unwrap();
        type Edit = Box<dyn Fn(&mut Tree)>;
        let edits: Vec<(&str, Edit)> = vec![
            ("leaf value", Box::new(move |t| t.nodes[leaf].value += 1.0)),
            (
                "threshold",
                Box::new(move |t| t.nodes[split].split = Split::Numeric { threshold: -1e300 }),
            ),
            ("cover", Box::new(move |t| t.nodes[leaf].cover += 3.0)),
            (
                "feature",
                Box::new(move |t| t.nodes[split].feature = (t.nodes[split].feature + 1) % 6),
            ),
            (
                "missing side",
                Box::new(move |t| t.nodes[split].default_left ^= true),
            ),
        ];
        for (what, edit) in &edits {
            let mut edited = trees.clone();
            edit(&mut edited[0]);
            assert!(!same_trees(&trees, &edited), "{what}");
            let got = explain(&mut Explainer::cached(&edited, &[0.2], nf, &mut cache).unwrap());
            let want = explain(&mut Explainer::new(&edited, &[0.2], nf).unwrap());
            assert_eq!(got, want, "{what}");
            // Back to the original model: a miss again, the original values.
            let back = explain(&mut Explainer::cached(&trees, &[0.2], nf, &mut cache).unwrap());
            assert_eq!(back, first, "{what}");
        }
        // Edits that move these rows' values do move them (the comparison above is not vacuous).
        let mut edited = trees.clone();
        edits[0].1(&mut edited[0]);
        let moved = explain(&mut Explainer::cached(&edited, &[0.2], nf, &mut cache).unwrap());
        assert_ne!(moved, first);
        // The base and the feature count are part of the key.
        let ex = Explainer::cached(&trees, &[0.7], nf, &mut cache).unwrap();
        assert!((ex.bias(0) - Explainer::new(&trees, &[0.7], nf).unwrap().bias(0)).abs() < 1e-15);
        let ex = Explainer::cached(&trees, &[0.7], nf + 1, &mut cache).unwrap();
        assert_eq!(ex.n_features, nf + 1);
        // A model the explainer refuses leaves nothing behind to serve.
        assert!(Explainer::cached(&trees, &[0.7], 1, &mut cache).is_err());
        assert!(cache.entry.is_none());
    }

    /// The tables' limits: a tree with more splits than bits, or a path with more unique features
    /// than [`table::MAX_UNIQUE`], or past the byte budget, is left to the linear scan.
    #[test]
    fn trees_past_the_table_limits_are_not_tabulated() {
        let mut rng = crate::rng::Rng::new(5);
        let big = random_tree(&mut rng, 10, 30, 0.0, 100);
        let mut budget = table::BUDGET;
        assert!(table::Tabulated::new(&big, &mut budget).is_none());
        assert_eq!(budget, table::BUDGET);
        // A chain of 13 distinct features: one path with 13 unique features.
        let mut nodes = Vec::new();
        for d in 0..13u32 {
            nodes.push(split(d, 0.5, 2 * d + 1, 2 * d + 2, 0.0));
            nodes.push(Node::leaf(f64::from(d), 1.0));
        }
        nodes.push(Node::leaf(-1.0, 1.0));
        let chain = Tree { nodes };
        assert!(table::Tabulated::new(&chain, &mut budget).is_none());
        let small = random_tree(&mut rng, 4, 3, 0.0, 8);
        assert!(table::Tabulated::new(&small, &mut budget).is_some());
        assert!(budget < table::BUDGET);
        let mut none = 0;
        assert!(table::Tabulated::new(&small, &mut none).is_none());
    }

    /// Forests as deep as a default random forest's (≈ 1,700 leaves, paths of 20-30 splits over
    /// many features): the same values as the original algorithm, and additivity.
    #[test]
    fn deep_forests_match_the_original_algorithm() {
        let mut rng = crate::rng::Rng::new(7);
        let n_features = 40;
        // Leaf-wise growth that rarely stops early: ~1,700 leaves, paths up to 30 splits.
        let trees: Vec<Tree> = (0..4)
            .map(|_| random_tree(&mut rng, n_features, 30, 0.02, 1_700))
            .collect();
        let leaves: usize = trees
            .iter()
            .map(|t| t.nodes.iter().filter(|n| n.is_leaf()).count())
            .sum();
        assert!(leaves > 4 * 1_500, "{leaves} leaves");
        assert!(trees.iter().map(max_depth).max() >= Some(20));
        let mut ex = Explainer::new(&trees, &[0.1], n_features as usize).unwrap();
        for _ in 0..5 {
            let row = random_row(&mut rng, n_features);
            let c = ex.explain(&row, 0);
            let mut want = vec![0.0; n_features as usize];
            for t in &trees {
                reference::tree_shap(t, &row, &mut want);
            }
            for (f, (a, b)) in c.values.iter().zip(&want).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                    "feature {f}: {a:e} vs {b:e}"
                );
            }
            let margin = 0.1 + trees.iter().map(|t| t.predict(&row)).sum::<f64>();
            assert!((c.total() - margin).abs() <= 1e-9);
        }
    }

    /// A 100,000-deep chain: explained without recursion, in memory linear in depth, and exactly
    /// (the chain's one split per feature makes each contribution easy to state).
    #[test]
    fn a_very_deep_chain_is_explained_without_recursion() {
        let depth = 100_000u32;
        let mut nodes = Vec::with_capacity(2 * depth as usize + 1);
        for d in 0..depth {
            // Node 2d splits on feature d % 3; its left child is a leaf, its right the next split.
            nodes.push(split(d % 3, f64::from(d), 2 * d + 1, 2 * d + 2, 0.0));
            nodes.push(Node::leaf(1.0, 1.0));
        }
        nodes.push(Node::leaf(1.0, 1.0));
        let mut tree = Tree { nodes };
        for i in (0..tree.nodes.len()).rev() {
            if !tree.nodes[i].is_leaf() {
                let (l, r) = (tree.nodes[i].left as usize, tree.nodes[i].right as usize);
                tree.nodes[i].cover = tree.nodes[l].cover + tree.nodes[r].cover;
            }
        }
        // Every leaf is 1: the tree is constant, so every contribution is 0 and the bias is 1.
        let mut ex = Explainer::new(std::slice::from_ref(&tree), &[0.0], 3).unwrap();
        let c = ex.explain(&[5.0, f64::NAN, 1e9], 0);
        assert!((c.bias - 1.0).abs() < 1e-9, "{}", c.bias);
        assert!(c.values.iter().all(|v| v.abs() < 1e-9), "{:?}", c.values);
        assert_eq!(max_depth(&tree), depth as usize);
    }

    #[test]
    fn trees_that_are_not_trees_are_refused() {
        let mut shared = Tree {
            nodes: vec![split(0, 0.5, 1, 1, 2.0), Node::leaf(1.0, 1.0)],
        };
        let e = Explainer::new(std::slice::from_ref(&shared), &[0.0], 1).unwrap_err();
        assert!(e.to_string().contains("not a tree"), "{e}");
        shared.nodes[0].right = 9;
        let e = Explainer::new(std::slice::from_ref(&shared), &[0.0], 1).unwrap_err();
        assert!(e.to_string().contains("beyond"), "{e}");
    }
}

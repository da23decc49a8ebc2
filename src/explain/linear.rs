//! Exact path-dependent TreeSHAP in time linear in depth: O(L·D) per tree and row (Linear
//! TreeSHAP, Yu, Lahiri et al., NeurIPS 2022), with memory O(D + n·log L) and no recursion.
//!
//! # The maths
//! On the path to leaf `v`, feature `j` has `q_j` (the product of the cover fractions of its
//! splits on the path) and `p_j` (1 if the row follows every one of them, else 0). The Shapley
//! weight |S|!(d−|S|−1)!/d! is `∫₀¹ t^|S| (1−t)^(d−|S|−1) dt`, so the leaf's share of feature `i`'s
//! contribution is
//!
//! ```text
//! v · (p_i − q_i) · ∫₀¹ Π_{j≠i} (q_j (1−t) + p_j t) dt = ∫₀¹ G_v(t) · (p_i − q_i) / f_i(t) dt,
//! G_v(t) = v · Π_j f_j(t),  f_j(t) = q_j (1−t) + p_j t,
//! ```
//!
//! a polynomial of degree < U (unique features on any path), integrated exactly by the
//! ⌈U/2⌉-point Gauss–Legendre rule. A feature split k times on the path telescopes: edge k adds
//! `G_v · [(p⁽ᵏ⁾−q⁽ᵏ⁾)/f⁽ᵏ⁾ − (p⁽ᵏ⁻¹⁾−q⁽ᵏ⁻¹⁾)/f⁽ᵏ⁻¹⁾]` (the first term of the first split is 0),
//! pointwise at each node `t_j`, so the sum over edges is exact at every quadrature point. The edge
//! only needs `Σ_{v below} G_v` at the quadrature points, which one depth-first walk gives.
//!
//! # The walk
//! `P` holds `Π_j f_j(t)` at the current node and `acc` the running sum of `G_v` over the leaves
//! visited so far. An edge's subtree sum is `acc` after its subtree minus `acc` before, so each
//! open edge keeps one scalar (`⟨acc_before, r_e⟩`), not a vector: memory linear in depth. `P` is
//! updated in place going down; a node whose second child still needs its `P` saves a copy, and
//! the lighter child (fewer leaves) goes first, so at most log₂(L) copies exist at once.
//! A branch no subset reaches (`p = q = 0`) contributes nothing and is skipped, as in Algorithm 2.

use super::quadrature::Rule;
use crate::model::tree::{Split, Tree, LEAF};
use crate::{Error, Result};

/// A tree prepared for explaining: its nodes in visiting order (pre-order, the child with fewer
/// leaves first), so one row's walk is a single forward scan over a contiguous array, with the
/// cover fraction of each node's incoming edge and the end of its subtree beside it.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    nodes: Vec<PNode>,
    /// Categorical splits' sets: at a node's `cat`, the word count, then the words.
    bitsets: Vec<u64>,
    /// Gauss–Legendre points this tree needs (0: the tree is empty or a single leaf).
    pub points: usize,
    /// Internal nodes on the longest root-to-leaf path + 1 (the walk's stack size).
    levels: usize,
    /// The tree's expected value over its cover, as [`super::expected_value`] computes it (0 for
    /// an empty tree).
    pub expected: f64,
}

#[derive(Debug, Clone, Copy)]
struct PNode {
    /// Leaf value; for a numeric split, its threshold.
    value: f64,
    /// Cover fraction of the edge from the parent into this node (1 at the root).
    z: f64,
    /// Feature split on, or `LEAF`.
    feature: u32,
    /// Position just past this node's subtree.
    end: u32,
    /// Categorical splits: offset of the set in `bitsets`.
    cat: u32,
    /// `IS_LEFT`, `DEFAULT_LEFT`, `CATEGORICAL`.
    flags: u8,
}

/// This node is its parent's left child.
const IS_LEFT: u8 = 1;
/// Missing values go left.
const DEFAULT_LEFT: u8 = 2;
/// A categorical split (its set at `cat`).
const CATEGORICAL: u8 = 4;

impl Prepared {
    /// Whether `x` goes left at `node` (exactly `Node::goes_left`).
    #[inline(always)]
    fn goes_left(&self, node: &PNode, x: f64) -> bool {
        if x.is_nan() {
            node.flags & DEFAULT_LEFT != 0
        } else if node.flags & CATEGORICAL == 0 {
            x <= node.value
        } else {
            in_set(&self.bitsets, node.cat as usize, x)
        }
    }
}

/// Whether category code `x` is in the set stored at `bitsets[at]` (its word count, then the
/// words): the left side of a categorical split, as `Node::goes_left` decides it.
#[inline(always)]
pub(super) fn in_set(bitsets: &[u64], at: usize, x: f64) -> bool {
    let words = bitsets.get(at).copied().unwrap_or(0);
    // Codes are small non-negative integers; anything else is unseen (right). In range,
    // `x as u64` is exact exactly when x is whole (as `fract() == 0`).
    if x >= 0.0 && x < (words as f64) * 64.0 && (x as u64) as f64 == x {
        let code = x as u64;
        let word = bitsets.get(at + 1 + (code / 64) as usize).copied();
        word.unwrap_or(0) & (1u64 << (code % 64)) != 0
    } else {
        false
    }
}

/// Buffers [`prepare_with`] reuses from one tree to the next (an ensemble's trees are prepared
/// one after another: a handful of allocations for all of them instead of nine per tree).
#[derive(Debug, Default)]
pub(crate) struct PrepareScratch {
    seen: Vec<bool>,
    order: Vec<u32>,
    stack: Vec<u32>,
    leaves: Vec<u32>,
    size: Vec<u32>,
    value: Vec<f64>,
    count: Vec<u32>,
    walk: Vec<(u32, bool)>,
    visit: Vec<(u32, f64, u8)>,
}

/// [`prepare_with`] with buffers of its own.
///
/// # Errors
/// As [`prepare_with`].
pub(crate) fn prepare(tree: &Tree, index: usize, n_features: usize) -> Result<Prepared> {
    prepare_with(tree, index, n_features, &mut PrepareScratch::default())
}

/// Prepares `tree` for [`explain_tree`]: checks that it is a tree (children in range, every node
/// reached once from the root) whose features are `< n_features`, all without recursion, and
/// computes its expected value ([`Prepared::expected`]).
///
/// # Errors
/// `Error::Model` naming tree `index` when it is not.
pub(crate) fn prepare_with(
    tree: &Tree,
    index: usize,
    n_features: usize,
    scratch: &mut PrepareScratch,
) -> Result<Prepared> {
    let bad = |what: String| {
        Err(Error::Model(format!(
            "tree {index} {what}; the model file is inconsistent"
        )))
    };
    let len = tree.nodes.len();
    if len == 0 {
        return Ok(Prepared {
            nodes: Vec::new(),
            bitsets: Vec::new(),
            points: 0,
            levels: 0,
            expected: 0.0,
        });
    }
    if u32::try_from(len).is_err() {
        return bad(format!("has {len} nodes"));
    }
    for (i, n) in tree.nodes.iter().enumerate() {
        if !n.is_leaf() {
            if n.feature as usize >= n_features {
                return bad(format!(
                    "splits on feature {} but the model has {n_features} features",
                    n.feature
                ));
            }
            if n.left as usize >= len || n.right as usize >= len {
                return bad(format!("node {i} points to a node beyond its {len} nodes"));
            }
        }
    }
    let nodes = &tree.nodes;
    let PrepareScratch {
        seen,
        order,
        stack,
        leaves,
        size,
        value,
        count,
        walk,
        visit,
    } = scratch;
    // Pre-order from the root; a node reached twice means the "tree" shares subtrees.
    seen.clear();
    seen.resize(len, false);
    order.clear();
    stack.clear();
    stack.push(0);
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i as usize], true) {
            return bad(format!("reaches node {i} twice: it is not a tree"));
        }
        order.push(i);
        let n = &nodes[i as usize];
        if !n.is_leaf() {
            stack.push(n.right);
            stack.push(n.left);
        }
    }
    // Leaves, nodes and expected value per subtree (children come after their parent in
    // pre-order); the value is `expected_value`'s, operation for operation.
    leaves.clear();
    leaves.resize(len, 0);
    size.clear();
    size.resize(len, 0);
    value.clear();
    value.resize(len, 0.0);
    for &i in order.iter().rev() {
        let n = &nodes[i as usize];
        let i = i as usize;
        (leaves[i], size[i], value[i]) = if n.is_leaf() {
            (1, 1, n.value)
        } else {
            let (l, r) = (n.left as usize, n.right as usize);
            let (fl, fr) = super::child_fractions(tree, n);
            (
                leaves[l].saturating_add(leaves[r]),
                size[l] + size[r] + 1,
                fl * value[l] + fr * value[r],
            )
        };
    }
    // Most unique features on a root-to-leaf path, and the most internal nodes on one: a walk
    // with per-feature counts (enter/exit; all counts are back to 0 at its end).
    count.clear();
    count.resize(n_features, 0);
    let (mut unique, mut most, mut depth, mut deepest) = (0usize, 0usize, 0usize, 0usize);
    walk.clear();
    walk.push((0, true));
    while let Some((i, enter)) = walk.pop() {
        let n = &nodes[i as usize];
        if n.is_leaf() {
            most = most.max(unique);
            continue;
        }
        let c = &mut count[n.feature as usize];
        if enter {
            *c += 1;
            unique += usize::from(*c == 1);
            depth += 1;
            deepest = deepest.max(depth);
            walk.push((i, false));
            walk.push((n.right, true));
            walk.push((n.left, true));
        } else {
            *c -= 1;
            unique -= usize::from(*c == 0);
            depth -= 1;
        }
    }
    // The visiting order: pre-order, the child with fewer leaves first (the left one on ties).
    let mut out: Vec<PNode> = Vec::with_capacity(len);
    let mut bitsets = Vec::new();
    visit.clear();
    visit.push((0, 1.0, 0));
    while let Some((i, z, side)) = visit.pop() {
        let n = &nodes[i as usize];
        let at = out.len() as u32;
        let mut p = PNode {
            value: n.value,
            z,
            feature: n.feature,
            end: at + size[i as usize],
            cat: 0,
            flags: side,
        };
        if !n.is_leaf() {
            if n.default_left {
                p.flags |= DEFAULT_LEFT;
            }
            match &n.split {
                Split::Numeric { threshold } => p.value = *threshold,
                Split::Categorical { left } => {
                    p.flags |= CATEGORICAL;
                    p.cat = bitsets.len() as u32;
                    bitsets.push(left.len() as u64);
                    bitsets.extend_from_slice(left);
                }
                // An internal node without a rule sends every known value left.
                Split::Leaf => p.value = f64::INFINITY,
            }
            let (fl, fr) = super::child_fractions(tree, n);
            let left = (n.left, fl, IS_LEFT);
            let right = (n.right, fr, 0);
            if leaves[n.right as usize] < leaves[n.left as usize] {
                visit.push(left);
                visit.push(right);
            } else {
                visit.push(right);
                visit.push(left);
            }
        }
        out.push(p);
    }
    let points = if nodes[0].is_leaf() {
        0
    } else {
        most.div_ceil(2).max(1)
    };
    Ok(Prepared {
        nodes: out,
        bitsets,
        points,
        levels: deepest + 1,
        expected: value[0],
    })
}

/// One internal node on the path to the node being visited, and the edge from it into the child
/// whose subtree is being explored.
#[derive(Debug, Clone, Copy)]
struct Level {
    /// Its feature and whether the row goes left there.
    feature: u32,
    goes_left: bool,
    /// Position just past its subtree.
    end: u32,
    /// Whether the open edge into a child has non-zero weights (`r`, in this level's slot).
    live: bool,
    /// The feature's (p, q) above this node.
    p0: f64,
    q0: f64,
    /// ⟨acc, r⟩ when the open child's subtree was entered.
    before: f64,
}

/// Reusable buffers (grown to the largest tree seen; the per-feature state is all (1, 1) between
/// calls).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// (p, q) of each feature on the current path; (1, 1) when not on it.
    state: Vec<(f64, f64)>,
    /// `P` at each level's node, `n` values per level.
    p: Vec<f64>,
    /// `r` of each level's open edge, `n` values per level.
    rs: Vec<f64>,
    acc: Vec<f64>,
    r: Vec<f64>,
    ratio: Vec<f64>,
    levels: Vec<Level>,
}

/// Fills `r` with `w_j · [(p1−q1)/f1(t_j) − (p0−q0)/f0(t_j)]` and `ratio` with `f1/f0` for the
/// edge that takes a feature from (p0, q0) to (p1, q1), p ∈ {0, 1}. Returns `false` when `r` is 0
/// (a feature the row already left: −q/(q(1−t)) does not change), leaving `ratio` = q1/q0.
#[inline(always)]
fn edge(
    rule: &Rule,
    n: usize,
    (p0, q0, p1, q1): (f64, f64, f64, f64),
    r: &mut [f64],
    ratio: &mut [f64],
) -> bool {
    let (t, omt, w, cold) = (&rule.t[..n], &rule.omt[..n], &rule.w[..n], &rule.cold[..n]);
    let (r, ratio) = (&mut r[..n], &mut ratio[..n]);
    if p0 == 0.0 {
        // Cold before and so cold now: (p−q)/f = −1/(1−t) on both sides.
        ratio.fill(q1 / q0);
        return false;
    }
    // p0 = 1 from here on.
    let fresh = q0 == 1.0;
    match (fresh, p1 != 0.0) {
        (true, true) => {
            let d1 = 1.0 - q1;
            for j in 0..n {
                let f1 = q1 * omt[j] + t[j];
                r[j] = w[j] * d1 / f1;
                ratio[j] = f1;
            }
        }
        (true, false) => {
            r.copy_from_slice(cold);
            for j in 0..n {
                ratio[j] = q1 * omt[j];
            }
        }
        (false, true) => {
            let (d0, d1) = (1.0 - q0, 1.0 - q1);
            for j in 0..n {
                let f0 = q0 * omt[j] + t[j];
                let f1 = q1 * omt[j] + t[j];
                r[j] = w[j] * (d1 / f1 - d0 / f0);
                ratio[j] = f1 / f0;
            }
        }
        (false, false) => {
            let d0 = 1.0 - q0;
            for j in 0..n {
                let inv0 = 1.0 / (q0 * omt[j] + t[j]);
                r[j] = cold[j] - w[j] * d0 * inv0;
                ratio[j] = q1 * omt[j] * inv0;
            }
        }
    }
    true
}

#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Adds one tree's exact SHAP values for `row` (NaN = missing) to `phi`, which has a slot for
/// every feature the tree splits on (checked by [`prepare`]); `rule` has at least
/// `prepared.points` points.
pub(crate) fn explain_tree(
    prepared: &Prepared,
    rule: &Rule,
    row: &[f64],
    phi: &mut [f64],
    s: &mut Scratch,
) {
    if prepared.points == 0 {
        return; // empty or a single leaf: every contribution is 0
    }
    // Fixed lane counts let the compiler unroll and vectorise every loop over the points.
    match rule.len() {
        1 => walk::<1>(prepared, rule, row, phi, s),
        2 => walk::<2>(prepared, rule, row, phi, s),
        4 => walk::<4>(prepared, rule, row, phi, s),
        8 => walk::<8>(prepared, rule, row, phi, s),
        16 => walk::<16>(prepared, rule, row, phi, s),
        _ => walk::<0>(prepared, rule, row, phi, s),
    }
}

/// Closes the edge from `level` into the child whose subtree just ended: adds its contribution
/// and restores the feature's state above the level's node.
#[inline(always)]
fn close(level: &Level, r: &[f64], acc: &[f64], phi: &mut [f64], state: &mut [(f64, f64)]) {
    let f = level.feature as usize;
    if level.live {
        phi[f] += dot(acc, r) - level.before;
    }
    state[f] = (level.p0, level.q0);
}

/// [`explain_tree`] with `N` quadrature lanes (0: as many as `rule` has). Each lane count is a
/// function of its own, not inlined into `explain_tree`: a model uses one or two of them, and a
/// browser optimizes (re-compiles) only the ones that run, instead of one body holding all six
/// (25.8 KB of WASM in the card's engine, ~100 ms for V8's optimizing compiler on a worker
/// thread during the card's first score; BENCHMARKS.md, session 9).
#[inline(never)]
fn walk<const N: usize>(
    prepared: &Prepared,
    rule: &Rule,
    row: &[f64],
    phi: &mut [f64],
    s: &mut Scratch,
) {
    let n = if N == 0 { rule.len() } else { N };
    let nodes = &prepared.nodes[..];
    if s.state.len() < phi.len() {
        s.state.resize(phi.len(), (1.0, 1.0));
    }
    // The edge's r and ratio: fixed-size arrays the compiler keeps in registers for fixed lane
    // counts, the scratch vectors otherwise.
    let (mut r_fixed, mut ratio_fixed) = ([0.0; FIXED], [0.0; FIXED]);
    let (mut r_vec, mut ratio_vec) = (std::mem::take(&mut s.r), std::mem::take(&mut s.ratio));
    for v in [&mut s.acc, &mut r_vec, &mut ratio_vec] {
        if v.len() < n {
            v.resize(n, 0.0);
        }
    }
    let slots = prepared.levels * n;
    for v in [&mut s.p, &mut s.rs] {
        if v.len() < slots {
            v.resize(slots, 0.0);
        }
    }
    let (r_buf, ratio_buf): (&mut [f64], &mut [f64]) = if N != 0 && N <= FIXED {
        (&mut r_fixed[..N], &mut ratio_fixed[..N])
    } else {
        (&mut r_vec[..n], &mut ratio_vec[..n])
    };
    s.p[..n].fill(1.0);
    s.acc[..n].fill(0.0);
    s.levels.clear();
    let x = |f: u32| row.get(f as usize).copied().unwrap_or(f64::NAN);
    let root = nodes[0];
    let (p0, q0) = s.state[root.feature as usize];
    s.levels.push(Level {
        feature: root.feature,
        goes_left: prepared.goes_left(&root, x(root.feature)),
        end: root.end,
        live: false,
        p0,
        q0,
        before: 0.0,
    });
    let mut k = 1usize;
    while k < nodes.len() {
        // Leave the subtrees that end here, closing the edges into them.
        while s.levels.last().is_some_and(|l| l.end as usize <= k) {
            s.levels.pop();
            let d = s.levels.len() - 1;
            let (r, acc) = (&s.rs[d * n..(d + 1) * n], &s.acc[..n]);
            close(&s.levels[d], r, acc, phi, &mut s.state);
        }
        let d = s.levels.len() - 1;
        let top = s.levels[d];
        let node = nodes[k];
        let hot = (node.flags & IS_LEFT != 0) == top.goes_left;
        let (p0, q0) = (top.p0, top.q0);
        let (p1, q1) = (if hot { p0 } else { 0.0 }, q0 * node.z);
        if p1 == 0.0 && q1 == 0.0 {
            k = node.end as usize; // no subset reaches this branch
            continue;
        }
        let live = edge(
            rule,
            n,
            (p0, q0, p1, q1),
            &mut r_buf[..],
            &mut ratio_buf[..],
        );
        let f = top.feature as usize;
        let p = &s.p[d * n..(d + 1) * n];
        let (ratio, r) = (&ratio_buf[..n], &r_buf[..n]);
        if node.feature == LEAF {
            let acc = &mut s.acc[..n];
            if live {
                let mut add = 0.0;
                for j in 0..n {
                    let g = node.value * (p[j] * ratio[j]);
                    add += g * r[j];
                    acc[j] += g;
                }
                phi[f] += add;
            } else {
                for j in 0..n {
                    acc[j] += node.value * (p[j] * ratio[j]);
                }
            }
            k += 1;
            continue;
        }
        // Descend into an internal child: its P one level down, the open edge's r at this level.
        let (above, below) = s.p.split_at_mut((d + 1) * n);
        for ((c, p), ratio) in below[..n].iter_mut().zip(&above[d * n..]).zip(ratio) {
            *c = p * ratio;
        }
        let level = &mut s.levels[d];
        level.live = live;
        if live {
            level.before = dot(&s.acc[..n], r);
            s.rs[d * n..(d + 1) * n].copy_from_slice(r);
        }
        s.state[f] = (p1, q1);
        let (p0, q0) = s.state[node.feature as usize];
        s.levels.push(Level {
            feature: node.feature,
            goes_left: prepared.goes_left(&node, x(node.feature)),
            end: node.end,
            live: false,
            p0,
            q0,
            before: 0.0,
        });
        k += 1;
    }
    // Close the edges still open (the root's level has none).
    while s.levels.len() > 1 {
        s.levels.pop();
        let d = s.levels.len() - 1;
        let (r, acc) = (&s.rs[d * n..(d + 1) * n], &s.acc[..n]);
        close(&s.levels[d], r, acc, phi, &mut s.state);
    }
    (s.r, s.ratio) = (r_vec, ratio_vec);
}

/// The largest fixed lane count (`Rule::padded`).
const FIXED: usize = 16;

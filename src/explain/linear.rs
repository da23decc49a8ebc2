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

/// A tree prepared for explaining: cover fractions, visiting order and the quadrature size.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    nodes: Vec<PNode>,
    /// Gauss–Legendre points this tree needs (0: the tree is empty or a single leaf).
    pub points: usize,
}

#[derive(Debug, Clone, Copy)]
struct PNode {
    /// Feature split on, or `LEAF`.
    feature: u32,
    left: u32,
    right: u32,
    /// `RIGHT_FIRST`, `DEFAULT_LEFT`, `CATEGORICAL`.
    flags: u8,
    /// Cover fractions of the children.
    fl: f64,
    fr: f64,
    /// Leaf value; for a numeric split, its threshold.
    value: f64,
}

/// Visit the right child first (it has fewer leaves).
const RIGHT_FIRST: u8 = 1;
/// Missing values go left.
const DEFAULT_LEFT: u8 = 2;
/// A categorical split: routed by the tree's own node (its bitset).
const CATEGORICAL: u8 = 4;

impl PNode {
    /// Whether `x` goes left: `Node::goes_left` without touching the tree for numeric splits.
    #[inline(always)]
    fn goes_left(&self, tree: &Tree, i: u32, x: f64) -> bool {
        if self.flags & CATEGORICAL != 0 {
            tree.nodes[i as usize].goes_left(x)
        } else if x.is_nan() {
            self.flags & DEFAULT_LEFT != 0
        } else {
            x <= self.value
        }
    }
}

/// Prepares `tree` for [`explain_tree`]: checks that it is a tree (children in range, every node
/// reached once from the root) whose features are `< n_features`, all without recursion.
///
/// # Errors
/// `Error::Model` naming tree `index` when it is not.
pub(crate) fn prepare(tree: &Tree, index: usize, n_features: usize) -> Result<Prepared> {
    let bad = |what: String| {
        Err(Error::Model(format!(
            "tree {index} {what}; the model file is inconsistent"
        )))
    };
    let len = tree.nodes.len();
    if len == 0 {
        return Ok(Prepared {
            nodes: Vec::new(),
            points: 0,
        });
    }
    if u32::try_from(len).is_err() {
        return bad(format!("has {len} nodes"));
    }
    let mut nodes = Vec::with_capacity(len);
    for (i, n) in tree.nodes.iter().enumerate() {
        let mut p = PNode {
            feature: n.feature,
            left: n.left,
            right: n.right,
            flags: 0,
            fl: 0.0,
            fr: 0.0,
            value: n.value,
        };
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
            (p.fl, p.fr) = super::child_fractions(tree, n);
            if n.default_left {
                p.flags |= DEFAULT_LEFT;
            }
            match &n.split {
                Split::Numeric { threshold } => p.value = *threshold,
                _ => p.flags |= CATEGORICAL,
            }
        }
        nodes.push(p);
    }
    // Pre-order from the root; a node reached twice means the "tree" shares subtrees.
    let mut seen = vec![false; len];
    let mut order = Vec::with_capacity(len);
    let mut stack = vec![0u32];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i as usize], true) {
            return bad(format!("reaches node {i} twice: it is not a tree"));
        }
        order.push(i);
        let n = &nodes[i as usize];
        if n.feature != LEAF {
            stack.push(n.right);
            stack.push(n.left);
        }
    }
    // Leaves per subtree (children come after their parent in pre-order).
    let mut leaves = vec![0u32; len];
    for &i in order.iter().rev() {
        let n = nodes[i as usize];
        leaves[i as usize] = if n.feature == LEAF {
            1
        } else {
            leaves[n.left as usize].saturating_add(leaves[n.right as usize])
        };
        if n.feature != LEAF && leaves[n.right as usize] < leaves[n.left as usize] {
            nodes[i as usize].flags |= RIGHT_FIRST;
        }
    }
    // Most unique features on a root-to-leaf path: a walk with per-feature counts (enter/exit).
    let mut count = vec![0u32; n_features];
    let (mut unique, mut most) = (0usize, 0usize);
    let mut walk: Vec<(u32, bool)> = vec![(0, true)];
    while let Some((i, enter)) = walk.pop() {
        let n = nodes[i as usize];
        if n.feature == LEAF {
            most = most.max(unique);
            continue;
        }
        let c = &mut count[n.feature as usize];
        if enter {
            *c += 1;
            unique += usize::from(*c == 1);
            walk.push((i, false));
            walk.push((n.right, true));
            walk.push((n.left, true));
        } else {
            *c -= 1;
            unique -= usize::from(*c == 0);
        }
    }
    let points = if nodes[0].feature == LEAF {
        0
    } else {
        most.div_ceil(2).max(1)
    };
    Ok(Prepared { nodes, points })
}

/// One open edge of the walk: node `node`, splitting on `feature`, is exploring a child.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: u32,
    /// Children handled so far (0, 1 or 2).
    next: u8,
    /// Whether a copy of `P` at this node waits on the save stack.
    saved: bool,
    /// Whether the edge into the child being explored has non-zero weights (`r`), kept on the
    /// `r` stack when the lane count is fixed.
    live: bool,
    /// The feature's (p, q) above this node, and on the edge to the child being explored.
    p0: f64,
    q0: f64,
    p1: f64,
    q1: f64,
    /// ⟨acc, r⟩ when the child's subtree was entered.
    before: f64,
}

/// Reusable buffers (grown to the largest tree seen; the per-feature state is all (1, 1) between
/// calls).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// (p, q) of each feature on the current path; (1, 1) when not on it.
    state: Vec<(f64, f64)>,
    p: Vec<f64>,
    acc: Vec<f64>,
    r: Vec<f64>,
    ratio: Vec<f64>,
    saved: Vec<f64>,
    /// `r` of each open live edge (fixed lane counts only: at most 16 values per level).
    rs: Vec<f64>,
    frames: Vec<Frame>,
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
    tree: &Tree,
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
        1 => walk::<1>(tree, prepared, rule, row, phi, s),
        2 => walk::<2>(tree, prepared, rule, row, phi, s),
        4 => walk::<4>(tree, prepared, rule, row, phi, s),
        8 => walk::<8>(tree, prepared, rule, row, phi, s),
        16 => walk::<16>(tree, prepared, rule, row, phi, s),
        _ => walk::<0>(tree, prepared, rule, row, phi, s),
    }
}

/// [`explain_tree`] with `N` quadrature lanes (0: as many as `rule` has).
#[inline(always)]
fn walk<const N: usize>(
    tree: &Tree,
    prepared: &Prepared,
    rule: &Rule,
    row: &[f64],
    phi: &mut [f64],
    s: &mut Scratch,
) {
    let n = if N == 0 { rule.len() } else { N };
    let nodes = &prepared.nodes;
    if s.state.len() < phi.len() {
        s.state.resize(phi.len(), (1.0, 1.0));
    }
    for v in [&mut s.p, &mut s.acc, &mut s.r, &mut s.ratio] {
        if v.len() < n {
            v.resize(n, 0.0);
        }
    }
    s.p[..n].fill(1.0);
    s.acc[..n].fill(0.0);
    s.saved.clear();
    s.rs.clear();
    s.frames.clear();
    let open = |node: u32, state: &[(f64, f64)]| {
        let (p0, q0) = state[nodes[node as usize].feature as usize];
        Frame {
            node,
            next: 0,
            saved: false,
            live: false,
            p0,
            q0,
            p1: 0.0,
            q1: 0.0,
            before: 0.0,
        }
    };
    s.frames.push(open(0, &s.state));
    while let Some(top) = s.frames.last_mut() {
        let node = nodes[top.node as usize];
        let f = node.feature as usize;
        if top.next == 2 {
            // Both children done: close the edge from the parent into this node.
            s.frames.pop();
            let Some(parent) = s.frames.last_mut() else {
                break;
            };
            let pf = nodes[parent.node as usize].feature as usize;
            if parent.live {
                let acc = &s.acc[..n];
                let got = if N == 0 {
                    let e = (parent.p0, parent.q0, parent.p1, parent.q1);
                    edge(rule, n, e, &mut s.r, &mut s.ratio);
                    dot(acc, &s.r[..n])
                } else {
                    let at = s.rs.len() - n;
                    let d = dot(acc, &s.rs[at..]);
                    s.rs.truncate(at);
                    d
                };
                phi[pf] += got - parent.before;
            }
            s.state[pf] = (parent.p0, parent.q0);
            if parent.saved {
                let at = s.saved.len() - n;
                s.p[..n].copy_from_slice(&s.saved[at..]);
                s.saved.truncate(at);
                parent.saved = false;
            }
            continue;
        }
        let first = top.next == 0;
        top.next += 1;
        let x = row.get(f).copied().unwrap_or(f64::NAN);
        let goes_left = node.goes_left(tree, top.node, x);
        let left = first == (node.flags & RIGHT_FIRST == 0);
        let (child, z) = if left {
            (node.left, node.fl)
        } else {
            (node.right, node.fr)
        };
        let hot = left == goes_left;
        let (p0, q0) = (top.p0, top.q0);
        let (p1, q1) = (if hot { p0 } else { 0.0 }, q0 * z);
        if p1 == 0.0 && q1 == 0.0 {
            continue; // no subset reaches this branch
        }
        let live = edge(rule, n, (p0, q0, p1, q1), &mut s.r, &mut s.ratio);
        let c = nodes[child as usize];
        if c.feature == LEAF {
            let (p, ratio, r, acc) = (&s.p[..n], &s.ratio[..n], &s.r[..n], &mut s.acc[..n]);
            if live {
                let mut add = 0.0;
                for j in 0..n {
                    let g = c.value * (p[j] * ratio[j]);
                    add += g * r[j];
                    acc[j] += g;
                }
                phi[f] += add;
            } else {
                for j in 0..n {
                    acc[j] += c.value * (p[j] * ratio[j]);
                }
            }
            continue;
        }
        // Descend into an internal child; keep P for the sibling when it still needs it.
        if first {
            let sib_z = if left { node.fr } else { node.fl };
            if (!hot && p0 != 0.0) || q0 * sib_z != 0.0 {
                s.saved.extend_from_slice(&s.p[..n]);
                top.saved = true;
            }
        }
        top.p1 = p1;
        top.q1 = q1;
        top.live = live;
        if live {
            top.before = dot(&s.acc[..n], &s.r[..n]);
            if N != 0 {
                s.rs.extend_from_slice(&s.r[..n]);
            }
        }
        for (p, ratio) in s.p[..n].iter_mut().zip(&s.ratio[..n]) {
            *p *= ratio;
        }
        s.state[f] = (p1, q1);
        let frame = open(child, &s.state);
        s.frames.push(frame);
    }
}

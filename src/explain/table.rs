//! Exact path-dependent TreeSHAP from precomputed tables (after Fast TreeSHAP v2, Yang 2021): for
//! many rows of a model with small trees.
//!
//! # The maths
//! A leaf `v` on a path whose unique features are `0..d` (each with `q_k`, the product of the
//! cover fractions of its splits on the path, and `p_k`, 1 when the row follows all of them) adds
//! to feature `k`
//!
//! ```text
//! v · (p_k − q_k) · ∫₀¹ Π_{j≠k} (q_j (1−t) + p_j t) dt
//! ```
//!
//! (`linear.rs` derives it). The row enters only through the bits `p`, so each leaf keeps one
//! row of `d` contributions per bit pattern (2^d rows, integrated exactly by the ⌈d/2⌉-point
//! Gauss–Legendre rule when the table is built), and explaining a row is: one comparison per
//! split (which way the row goes), then per leaf its pattern (the path's required directions
//! against the row's) and `d` additions. O(L·D) per tree with small constants, no division.
//!
//! Tables cost `8·d·2^d` bytes per leaf: a tree is tabulated only when it has at most
//! [`MAX_SPLITS`] splits (one bit each in a `u64`) and at most [`MAX_UNIQUE`] unique features on
//! any path, within a total byte budget; other trees are explained by the linear scan. The sums'
//! order differs from the linear scan's, so values agree to rounding (≈1e-16 relative), not bit
//! for bit: only many-row paths use the tables (training's importance does not).

use super::quadrature::Rule;
use crate::model::tree::{Split, Tree};

/// Most unique features on a leaf's path for a tabulated tree (a leaf's table: 8·d·2^d bytes,
/// 384 KiB at 12).
pub(crate) const MAX_UNIQUE: usize = 12;
/// Most splits in a tabulated tree (the row's directions are one `u64`).
pub(crate) const MAX_SPLITS: usize = 64;
/// Most bytes of tables for one model (the rest of its trees use the linear scan).
pub(crate) const BUDGET: usize = 64 << 20;

/// Missing values go left.
const DEFAULT_LEFT: u8 = 1;
/// A categorical split (its set at `cat`).
const CATEGORICAL: u8 = 2;

/// A tree's splits and its leaves' tables.
#[derive(Debug, Clone)]
pub(crate) struct Tabulated {
    /// Per split: feature, threshold (numeric), flags, offset of its set in `bitsets`.
    feature: Vec<u32>,
    value: Vec<f64>,
    flags: Vec<u8>,
    cat: Vec<u32>,
    /// Categorical sets: the word count, then the words.
    bitsets: Vec<u64>,
    leaves: Vec<Leaf>,
    /// Per leaf, per unique feature on its path: the feature and its splits (bits).
    features: Vec<u32>,
    masks: Vec<u64>,
    /// Per leaf, 2^d rows of d contributions (row = the pattern of `p` bits).
    table: Vec<f64>,
    /// Whether any split is categorical.
    categorical: bool,
}

/// One table: a leaf, or two sibling leaves.
#[derive(Debug, Clone, Copy)]
struct Leaf {
    /// Bit s set when the path goes left at split s.
    left: u64,
    /// Its pattern bits' splits at `masks[start..start + bits]`: bit k of the row's pattern is
    /// set when the row goes the path's way at every split of `masks[start + k]`.
    start: u32,
    bits: u32,
    /// The features it adds to at `features[features..features + d]`; its table at
    /// `table[at..]`, 2^bits rows of d values.
    features: u32,
    d: u32,
    at: u32,
}

/// A table's leaves before it is built: per leaf its value, q per output feature, and when each
/// output feature's p is 1 (every (pattern bit, wanted value) holds).
struct Unit {
    bits: usize,
    #[allow(clippy::type_complexity)]
    leaves: Vec<(f64, Vec<f64>, Vec<Vec<(usize, bool)>>)>,
}

impl Tabulated {
    /// Tabulates `tree` (already checked by `linear::prepare`) if it fits the limits and
    /// `budget` (bytes left, reduced by what it takes); `None` otherwise.
    pub(crate) fn new(tree: &Tree, budget: &mut usize) -> Option<Tabulated> {
        let nodes = &tree.nodes;
        let splits = nodes.iter().filter(|n| !n.is_leaf()).count();
        if nodes.is_empty() || splits == 0 || splits > MAX_SPLITS {
            return None;
        }
        let mut t = Tabulated {
            feature: Vec::with_capacity(splits),
            value: Vec::with_capacity(splits),
            flags: Vec::with_capacity(splits),
            cat: Vec::with_capacity(splits),
            bitsets: Vec::new(),
            leaves: Vec::new(),
            features: Vec::new(),
            masks: Vec::new(),
            table: Vec::new(),
            categorical: false,
        };
        // Depth-first; `path` holds (split bit, feature, went left, cover fraction) above the node.
        let mut path: Vec<(u32, u32, bool, f64)> = Vec::new();
        let mut stack: Vec<(u32, usize, bool, f64)> = vec![(0, 0, false, 1.0)];
        // Per table (its pattern bits, its output features, its leaves) until it is built.
        let mut pending: Vec<Unit> = Vec::new();
        let mut bytes = 0usize;
        while let Some((i, depth, went_left, z)) = stack.pop() {
            path.truncate(depth);
            if depth > 0 {
                if let Some(last) = path.last_mut() {
                    (last.2, last.3) = (went_left, z);
                }
            }
            let n = nodes.get(i as usize)?;
            // The unique features above this node: each with its splits (a pattern bit) and q.
            let (start, mut left) = (t.masks.len(), 0u64);
            let mut features: Vec<u32> = Vec::new();
            let mut q: Vec<f64> = Vec::new();
            for &(bit, feature, l, z) in &path {
                left |= u64::from(l) << bit;
                match features.iter().position(|&f| f == feature) {
                    Some(k) => {
                        q[k] *= z;
                        t.masks[start + k] |= 1 << bit;
                    }
                    None => {
                        features.push(feature);
                        t.masks.push(1 << bit);
                        q.push(z);
                    }
                }
            }
            let unit = if n.is_leaf() {
                // One leaf: bit k = the row follows feature k's splits on the path (p_k).
                let cond = (0..q.len()).map(|k| vec![(k, true)]).collect();
                Unit {
                    bits: q.len(),
                    leaves: vec![(n.value, q, cond)],
                }
            } else if let (Some(l), Some(r)) = (
                nodes.get(n.left as usize).filter(|c| c.is_leaf()),
                nodes.get(n.right as usize).filter(|c| c.is_leaf()),
            ) {
                // Two sibling leaves share one table: the path's bits above, plus the row's
                // direction at their parent (one more bit); one lookup for both.
                let bit = t.feature.len() as u32;
                t.push_split(n);
                let dir = features.len();
                t.masks.push(1 << bit);
                left |= 1 << bit;
                let (fl, fr) = super::child_fractions(tree, n);
                let g = features.iter().position(|&f| f == n.feature);
                let mut leaves = Vec::new();
                for (child, frac, want) in [(l, fl, true), (r, fr, false)] {
                    let mut q = q.clone();
                    let mut cond: Vec<Vec<(usize, bool)>> =
                        (0..q.len()).map(|k| vec![(k, true)]).collect();
                    match g {
                        Some(k) => {
                            q[k] *= frac;
                            cond[k].push((dir, want));
                        }
                        None => {
                            q.push(frac);
                            cond.push(vec![(dir, want)]);
                        }
                    }
                    leaves.push((child.value, q, cond));
                }
                if g.is_none() {
                    features.push(n.feature);
                }
                Unit {
                    bits: dir + 1,
                    leaves,
                }
            } else {
                t.masks.truncate(start);
                let bit = t.feature.len() as u32;
                t.push_split(n);
                let (fl, fr) = super::child_fractions(tree, n);
                path.push((bit, n.feature, false, 1.0));
                stack.push((n.right, depth + 1, false, fr));
                stack.push((n.left, depth + 1, true, fl));
                continue;
            };
            let (bits, d) = (unit.bits, features.len());
            if bits > MAX_UNIQUE || d > MAX_UNIQUE || t.feature.len() > MAX_SPLITS {
                return None;
            }
            let size = d << bits;
            bytes += size * 8;
            if bytes > *budget || bytes / 8 > u32::MAX as usize {
                return None;
            }
            t.leaves.push(Leaf {
                left,
                start: start as u32,
                bits: bits as u32,
                features: t.features.len() as u32,
                d: d as u32,
                at: (bytes / 8 - size) as u32,
            });
            t.features.extend_from_slice(&features);
            pending.push(unit);
        }
        *budget -= bytes;
        t.table.reserve_exact(bytes / 8);
        let mut rules: Vec<Rule> = Vec::new();
        for unit in pending {
            let d = unit.leaves.first().map_or(0, |l| l.1.len());
            let points = d.div_ceil(2).max(1);
            if !rules.iter().any(|r| r.points == points) {
                rules.push(Rule::new(points));
            }
            let rule = rules.iter().find(|r| r.points == points)?;
            fill(&mut t.table, &unit, rule);
        }
        Some(t)
    }

    /// Appends split `n`'s rule (its bit: the next index).
    fn push_split(&mut self, n: &crate::model::tree::Node) {
        self.feature.push(n.feature);
        let mut flags = if n.default_left { DEFAULT_LEFT } else { 0 };
        let mut value = 0.0;
        let mut cat = 0;
        match &n.split {
            Split::Numeric { threshold } => value = *threshold,
            Split::Categorical { left } => {
                flags |= CATEGORICAL;
                self.categorical = true;
                cat = self.bitsets.len() as u32;
                self.bitsets.push(left.len() as u64);
                self.bitsets.extend_from_slice(left);
            }
            // An internal node without a rule sends every known value left.
            Split::Leaf => value = f64::INFINITY,
        }
        self.value.push(value);
        self.flags.push(flags);
        self.cat.push(cat);
    }

    /// Whether `x` goes left at split `s` (exactly `Node::goes_left`).
    #[inline(always)]
    fn goes_left(&self, s: usize, x: f64) -> bool {
        let flags = self.flags[s];
        if x.is_nan() {
            flags & DEFAULT_LEFT != 0
        } else if flags & CATEGORICAL == 0 {
            x <= self.value[s]
        } else {
            super::linear::in_set(&self.bitsets, self.cat[s] as usize, x)
        }
    }

    /// Adds the tree's SHAP values for `row` (NaN = missing) to `phi` and `phi2` (alternate
    /// leaves, so two chains of additions run side by side; the caller sums them).
    #[inline]
    pub(crate) fn explain(&self, row: &[f64], phi: &mut [f64], phi2: &mut [f64]) {
        let mut left = 0u64;
        if self.categorical {
            for (s, &f) in self.feature.iter().enumerate() {
                let x = row.get(f as usize).copied().unwrap_or(f64::NAN);
                left |= u64::from(self.goes_left(s, x)) << s;
            }
        } else {
            // Numeric splits only: branch-free (NaN fails `<=` and takes the default).
            for (s, ((&f, &v), &flags)) in self
                .feature
                .iter()
                .zip(&self.value)
                .zip(&self.flags)
                .enumerate()
            {
                let x = row.get(f as usize).copied().unwrap_or(f64::NAN);
                let l = (x <= v) | (x.is_nan() & (flags & DEFAULT_LEFT != 0));
                left |= u64::from(l) << s;
            }
        }
        for two in self.leaves.chunks(2) {
            self.leaf(&two[0], left, phi);
            if let Some(leaf) = two.get(1) {
                self.leaf(leaf, left, phi2);
            }
        }
    }

    /// Adds one table's row (the row's pattern) to `phi`.
    #[inline(always)]
    fn leaf(&self, leaf: &Leaf, left: u64, phi: &mut [f64]) {
        let (start, bits) = (leaf.start as usize, leaf.bits as usize);
        let wrong = left ^ leaf.left;
        let mut pattern = 0usize;
        for (k, &m) in self.masks[start..start + bits].iter().enumerate() {
            pattern |= usize::from(wrong & m == 0) << k;
        }
        let (f, d) = (leaf.features as usize, leaf.d as usize);
        let at = leaf.at as usize + pattern * d;
        let values = &self.table[at..at + d];
        for (&f, &v) in self.features[f..f + d].iter().zip(values) {
            phi[f as usize] += v;
        }
    }
}

/// Appends a table: for each pattern, the sum over its leaves of
/// `value · (p_k − q_k) · ∫ Π_{j≠k} f_j` per output feature `k`.
fn fill(table: &mut Vec<f64>, unit: &Unit, rule: &Rule) {
    let d = unit.leaves.first().map_or(0, |l| l.1.len());
    let n = rule.points;
    // f_j at each point; the products of the f's after each j.
    let mut f = vec![0.0; d * n];
    let mut after = vec![0.0; (d + 1) * n];
    let mut before = vec![0.0; n];
    let mut row = vec![0.0; d];
    for pattern in 0..(1usize << unit.bits) {
        row.fill(0.0);
        for (value, q, cond) in &unit.leaves {
            let p = |k: usize| {
                let on = cond[k]
                    .iter()
                    .all(|&(b, want)| (pattern >> b & 1 == 1) == want);
                if on {
                    1.0
                } else {
                    0.0
                }
            };
            for k in 0..d {
                let pk = p(k);
                for j in 0..n {
                    f[k * n + j] = q[k] * rule.omt[j] + pk * rule.t[j];
                }
            }
            after[d * n..].fill(1.0);
            for k in (0..d).rev() {
                for j in 0..n {
                    after[k * n + j] = after[(k + 1) * n + j] * f[k * n + j];
                }
            }
            before.fill(1.0);
            for (k, out) in row.iter_mut().enumerate() {
                let mut integral = 0.0;
                for j in 0..n {
                    integral += rule.w[j] * (before[j] * after[(k + 1) * n + j]);
                    before[j] *= f[k * n + j];
                }
                let diff = p(k) - q[k];
                if diff != 0.0 {
                    *out += value * diff * integral;
                }
            }
        }
        table.extend_from_slice(&row);
    }
}

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
//! split (which way the row goes), one pass down the splits in pre-order carrying which slots'
//! splits the row has followed so far (a few bit operations per split, no loop over the path),
//! then per leaf its pattern read off its parent split and `d` additions. O(S + L·D) per tree
//! with small constants, no division and no data-dependent branch: the tables are run in order
//! of width, so each run's additions are a loop of one fixed length (a const generic).
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
    /// Per split: how its `follow` bits (see [`Leaf`]) come from its parent's.
    up: Vec<Up>,
    /// Numeric trees: per split, its rule and `up` side by side (one pass for both).
    steps: Vec<Step>,
    /// Per split: the slot of its feature among the unique features on the path to it (their
    /// order of first appearance), and that slot's bit when the feature is new there (else 0).
    slot: Vec<u8>,
    new: Vec<u64>,
    /// The tables, ordered by `d`; `groups` holds each run's `d` and end.
    leaves: Vec<Leaf>,
    groups: Vec<(usize, usize)>,
    /// Per leaf, per unique feature on its path: the feature.
    features: Vec<u32>,
    /// Per leaf, 2^d rows of d contributions (row = the pattern of `p` bits).
    table: Vec<f64>,
    /// Whether any split is categorical.
    categorical: bool,
}

/// One table: a leaf, or two sibling leaves.
///
/// Its row for a row of data (the pattern) is read at split `node` (its parent, or the pair's
/// parent): with `follow` (bit k set when the row follows every split of slot k's feature above
/// `node`) and `g` (the row goes left at `node`), the pattern is
/// `((follow | add) & !(((g ^ want) & clear) << shift)) | ((g & set) << shift)`: for one leaf,
/// `node`'s slot bit is added if new there and cleared when the row goes the other way
/// (`clear` = 1, `shift` = its slot); for a pair, the row's direction at `node` is the next bit
/// (`set` = 1, `shift` = the slots above).
#[derive(Debug, Clone, Copy)]
struct Leaf {
    add: u64,
    node: u8,
    want: u8,
    clear: u8,
    set: u8,
    shift: u32,
    /// The features it adds to at `features[features..features + d]`; its table at
    /// `table[at..]`, 2^bits rows of d values.
    features: u32,
    d: u32,
    at: u32,
}

/// How a split's `follow` bits come from its parent split's: the parent's plus `new`, less the
/// parent's feature slot `slot` when the row goes the other way at the parent.
#[derive(Debug, Clone, Copy)]
struct Up {
    new: u64,
    parent: u8,
    is_left: u8,
    slot: u8,
}

/// A numeric split's rule and its [`Up`], for the one pass of [`Tabulated::explain_block`].
#[derive(Debug, Clone, Copy)]
struct Step {
    threshold: f64,
    new: u64,
    feature: u32,
    parent: u8,
    is_left: u8,
    slot: u8,
    default_left: u8,
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
    ///
    /// Not inlined into its caller's loop over the trees, for the reason `explain_block` is not.
    #[inline(never)]
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
            up: Vec::with_capacity(splits),
            steps: Vec::new(),
            slot: Vec::with_capacity(splits),
            new: Vec::with_capacity(splits),
            leaves: Vec::new(),
            groups: Vec::new(),
            features: Vec::new(),
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
            // The unique features above this node, in order of first appearance (their slots).
            let mut features: Vec<u32> = Vec::new();
            let mut q: Vec<f64> = Vec::new();
            for &(_, feature, _, z) in &path {
                match features.iter().position(|&f| f == feature) {
                    Some(k) => q[k] *= z,
                    None => {
                        features.push(feature);
                        q.push(z);
                    }
                }
            }
            let (unit, pattern) = if n.is_leaf() {
                // One leaf: bit k = the row follows feature k's splits on the path (p_k), read
                // at its parent split.
                let &(bit, _, went_left, _) = path.last()?;
                let b = bit as usize;
                let cond = (0..q.len()).map(|k| vec![(k, true)]).collect();
                let unit = Unit {
                    bits: q.len(),
                    leaves: vec![(n.value, q, cond)],
                };
                let pattern = Leaf {
                    add: *t.new.get(b)?,
                    node: bit as u8,
                    want: u8::from(went_left),
                    clear: 1,
                    set: 0,
                    shift: u32::from(*t.slot.get(b)?),
                    features: 0,
                    d: 0,
                    at: 0,
                };
                (unit, pattern)
            } else if let (Some(l), Some(r)) = (
                nodes.get(n.left as usize).filter(|c| c.is_leaf()),
                nodes.get(n.right as usize).filter(|c| c.is_leaf()),
            ) {
                // Two sibling leaves share one table: the path's bits above, plus the row's
                // direction at their parent (one more bit); one lookup for both.
                let bit = t.feature.len() as u32;
                let g = features.iter().position(|&f| f == n.feature);
                t.push_split(n, path.last(), g, features.len());
                let dir = features.len();
                let (fl, fr) = super::child_fractions(tree, n);
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
                let pattern = Leaf {
                    add: 0,
                    node: bit as u8,
                    want: 0,
                    clear: 0,
                    set: 1,
                    shift: dir as u32,
                    features: 0,
                    d: 0,
                    at: 0,
                };
                (
                    Unit {
                        bits: dir + 1,
                        leaves,
                    },
                    pattern,
                )
            } else {
                let bit = t.feature.len() as u32;
                let g = features.iter().position(|&f| f == n.feature);
                t.push_split(n, path.last(), g, features.len());
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
                features: t.features.len() as u32,
                d: d as u32,
                at: (bytes / 8 - size) as u32,
                ..pattern
            });
            t.features.extend_from_slice(&features);
            pending.push(unit);
        }
        *budget -= bytes;
        if !t.categorical {
            t.steps = (0..t.feature.len())
                .map(|s| Step {
                    threshold: t.value[s],
                    new: t.up[s].new,
                    feature: t.feature[s],
                    parent: t.up[s].parent,
                    is_left: t.up[s].is_left,
                    slot: t.up[s].slot,
                    default_left: t.flags[s] & DEFAULT_LEFT,
                })
                .collect();
        }
        // Runs of tables of one width, so each run's additions are a loop of fixed length.
        t.leaves.sort_by_key(|l| l.d);
        for (i, l) in t.leaves.iter().enumerate() {
            match t.groups.last_mut() {
                Some(g) if g.0 == l.d as usize => g.1 = i + 1,
                _ => t.groups.push((l.d as usize, i + 1)),
            }
        }
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

    /// Appends split `n`'s rule (its bit: the next index): `parent` is the path's last entry,
    /// `known` the slot of its feature if it is on the path already, `above` the path's slots.
    fn push_split(
        &mut self,
        n: &crate::model::tree::Node,
        parent: Option<&(u32, u32, bool, f64)>,
        known: Option<usize>,
        above: usize,
    ) {
        self.up.push(parent.map_or(
            Up {
                new: 0,
                parent: 0,
                is_left: 0,
                slot: 0,
            },
            |&(b, _, l, _)| Up {
                new: self.new.get(b as usize).copied().unwrap_or(0),
                parent: b as u8,
                is_left: u8::from(l),
                slot: self.slot.get(b as usize).copied().unwrap_or(0),
            },
        ));
        self.slot.push(known.unwrap_or(above) as u8);
        self.new.push(if known.is_some() {
            0
        } else {
            1u64.checked_shl(above as u32).unwrap_or(0)
        });
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

    /// Adds the tree's SHAP values for each row of `rows` (row-major, `nf` values each, NaN =
    /// missing) whose entry in `outputs` is `output` to its row of `out` and `second`
    /// (alternate leaves, so two chains of additions run side by side; the caller sums them).
    ///
    /// Not inlined: in WASM an engine compiles a function's optimised code while it runs and
    /// uses it from the next call, so the hot loop must be a function called many times (once
    /// per tree and block of rows), not one long call. (`scripts/build.sh` keeps binaryen from
    /// inlining it back: `--one-caller-inline-max-function-size`.)
    #[inline(never)]
    pub(crate) fn explain_block(
        &self,
        rows: &[f64],
        nf: usize,
        outputs: &[usize],
        output: usize,
        out: &mut [f64],
        second: &mut [f64],
    ) {
        if nf == 0 {
            return;
        }
        // Per split: bit k set when the row follows every split of slot k's feature above it
        // (every entry is written before it is read, `follow[0]` stays 0: the root).
        let mut follow = [0u64; MAX_SPLITS];
        let all = rows
            .chunks_exact(nf)
            .zip(out.chunks_exact_mut(nf))
            .zip(second.chunks_exact_mut(nf))
            .zip(outputs);
        for (((row, phi), phi2), &o) in all {
            if o == output {
                let left = self.directions(row, &mut follow);
                self.explain_row(left, &follow, phi, phi2);
            }
        }
    }

    /// The row's direction at each split (bit s set: left at split s) and its `follow` bits.
    #[inline(always)]
    fn directions(&self, row: &[f64], follow: &mut [u64; MAX_SPLITS]) -> u64 {
        let mut left = 0u64;
        if self.categorical {
            for (s, &f) in self.feature.iter().enumerate() {
                let x = row.get(f as usize).copied().unwrap_or(f64::NAN);
                left |= u64::from(self.goes_left(s, x)) << s;
            }
            for (s, up) in self.up.iter().enumerate().skip(1) {
                let p = up.parent as usize & (MAX_SPLITS - 1);
                let away = ((left >> p) & 1) ^ u64::from(up.is_left);
                follow[s & (MAX_SPLITS - 1)] = (follow[p] | up.new) & !(away << up.slot);
            }
        } else {
            // Numeric splits only, one pass, branch-free (NaN fails `<=` and takes the
            // default); a split's parent comes before it, so its direction is known. At the
            // root the update is a no-op (its parent is itself, with no bit yet and `new` 0).
            for (s, st) in self.steps.iter().enumerate() {
                let x = row.get(st.feature as usize).copied().unwrap_or(f64::NAN);
                let l = (x <= st.threshold) | (x.is_nan() & (st.default_left != 0));
                let p = st.parent as usize & (MAX_SPLITS - 1);
                let away = ((left >> p) & 1) ^ u64::from(st.is_left);
                follow[s & (MAX_SPLITS - 1)] = (follow[p] | st.new) & !(away << st.slot);
                left |= u64::from(l) << s;
            }
        }
        left
    }

    /// Adds the tables' rows for the row's `left` and `follow` to `phi` and `phi2`.
    #[inline(always)]
    fn explain_row(
        &self,
        left: u64,
        follow: &[u64; MAX_SPLITS],
        phi: &mut [f64],
        phi2: &mut [f64],
    ) {
        let mut from = 0;
        for &(d, to) in &self.groups {
            let leaves = &self.leaves[from..to];
            from = to;
            match d {
                1 => self.add::<1>(leaves, follow, left, phi, phi2),
                2 => self.add::<2>(leaves, follow, left, phi, phi2),
                3 => self.add::<3>(leaves, follow, left, phi, phi2),
                4 => self.add::<4>(leaves, follow, left, phi, phi2),
                5 => self.add::<5>(leaves, follow, left, phi, phi2),
                6 => self.add::<6>(leaves, follow, left, phi, phi2),
                7 => self.add::<7>(leaves, follow, left, phi, phi2),
                8 => self.add::<8>(leaves, follow, left, phi, phi2),
                9 => self.add::<9>(leaves, follow, left, phi, phi2),
                10 => self.add::<10>(leaves, follow, left, phi, phi2),
                11 => self.add::<11>(leaves, follow, left, phi, phi2),
                _ => self.add::<MAX_UNIQUE>(leaves, follow, left, phi, phi2),
            }
        }
    }

    /// Adds the row of each table in `leaves` (all `D` wide) for the row's directions `left`
    /// and `follow` (see [`Leaf`]), alternately to `phi` and `phi2`.
    #[inline(always)]
    fn add<const D: usize>(
        &self,
        leaves: &[Leaf],
        follow: &[u64; MAX_SPLITS],
        left: u64,
        phi: &mut [f64],
        phi2: &mut [f64],
    ) {
        let row = |leaf: &Leaf| {
            let node = leaf.node as usize & (MAX_SPLITS - 1);
            let g = (left >> node) & 1;
            let up = follow[node] | leaf.add;
            let away = (g ^ u64::from(leaf.want)) & u64::from(leaf.clear);
            let pattern = (up & !(away << leaf.shift)) | ((g & u64::from(leaf.set)) << leaf.shift);
            let at = leaf.at as usize + pattern as usize * D;
            let f = leaf.features as usize;
            (self.table.get(at..at + D), self.features.get(f..f + D))
        };
        for two in leaves.chunks(2) {
            if let (Some(values), Some(features)) = row(&two[0]) {
                for (&f, &v) in features.iter().zip(values) {
                    phi[f as usize] += v;
                }
            }
            if let Some(leaf) = two.get(1) {
                if let (Some(values), Some(features)) = row(leaf) {
                    for (&f, &v) in features.iter().zip(values) {
                        phi2[f as usize] += v;
                    }
                }
            }
        }
    }
}

/// Appends a table: for each pattern, the sum over its leaves of
/// `value · (p_k − q_k) · ∫ Π_{j≠k} f_j` per output feature `k`.
fn fill(table: &mut Vec<f64>, unit: &Unit, rule: &Rule) {
    let d = unit.leaves.first().map_or(0, |l| l.1.len());
    let n = rule.points;
    // Per leaf, outside the loop over patterns: `q_k (1 − t_j)` for every k and point j, and
    // each output feature's condition as a bit mask and the bits it wants (p_k is 1 when
    // `pattern & mask == want`; a condition names each bit once).
    struct Prepared<'a> {
        value: f64,
        q: &'a [f64],
        qo: Vec<f64>,
        masks: Vec<(usize, usize)>,
    }
    let leaves: Vec<Prepared> = unit
        .leaves
        .iter()
        .map(|(value, q, cond)| {
            let qo = q
                .iter()
                .flat_map(|&qk| rule.omt.iter().take(n).map(move |&o| qk * o))
                .collect();
            let masks = cond
                .iter()
                .map(|c| {
                    c.iter().fold((0, 0), |(mask, want), &(b, on)| {
                        (mask | 1 << b, want | usize::from(on) << b)
                    })
                })
                .collect();
            Prepared {
                value: *value,
                q,
                qo,
                masks,
            }
        })
        .collect();
    // f_j at each point; the products of the f's after each j.
    let mut f = vec![0.0; d * n];
    let mut after = vec![0.0; (d + 1) * n];
    let mut before = vec![0.0; n];
    let mut row = vec![0.0; d];
    let mut p = vec![0.0; d];
    for pattern in 0..(1usize << unit.bits) {
        row.fill(0.0);
        for Prepared {
            value,
            q,
            qo,
            masks,
        } in &leaves
        {
            for (pk, &(mask, want)) in p.iter_mut().zip(masks) {
                *pk = if pattern & mask == want { 1.0 } else { 0.0 };
            }
            for k in 0..d {
                for j in 0..n {
                    f[k * n + j] = qo[k * n + j] + p[k] * rule.t[j];
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
                let diff = p[k] - q[k];
                if diff != 0.0 {
                    *out += value * diff * integral;
                }
            }
        }
        table.extend_from_slice(&row);
    }
}

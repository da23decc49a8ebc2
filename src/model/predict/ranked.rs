//! Scoring blocks of rows without walking: every feature value is first replaced by its rank among
//! the model's thresholds on that feature (a small integer), then each tree moves all the rows of
//! a block through its nodes in node order — "rows at this node go left or right" — with the same
//! integer compare and select on every row, no branch that depends on the data, so the compiler
//! turns each node into a few vector instructions over 8 rows at a time (SSE2 natively,
//! `simd128` in the browser's engine).
//!
//! Exactness: a tree's thresholds on feature `f`, sorted and deduplicated, are `t_0 < t_1 < …`;
//! a value `x` gets rank `b(x) = #{j : t_j < x}`, and `x <= t_j` exactly when `b(x) <= j`. So
//! every row reaches the same leaf as the `f64` walk and the leaf values are added in the same
//! tree order: the sums are the same bits.
//!
//! Missing values: rank [`MISSING`] (`i16::MAX`). A node that sends missing values right
//! compares `rank > j`; one that sends them left compares `rank + 1 > j + 1` in wrapping `i16`
//! arithmetic, where `MISSING + 1` wraps to `i16::MIN` and so goes left. Categorical nodes keep
//! category codes in place of ranks and test their bitset row by row (rarer; not vectorised).

use super::super::tree::{Split, Tree};

/// Rows per block: the block's ranks (features × rows `i16`) stay in L1 while every tree runs.
pub(super) const BLOCK: usize = 64;
/// The rank (or code) of a missing value.
const MISSING: i16 = i16::MAX;
/// The code of a category value no bitset can hold (negative, fractional, too large).
const UNSEEN: i16 = i16::MAX - 1;
/// Most nodes a tree may have to be scored here (its node ids are `i16`), and most distinct
/// thresholds per feature (ranks up to this stay below [`UNSEEN`]).
const MAX_IDS: usize = UNSEEN as usize - 1;
/// Internal nodes above which a tree is cheaper to walk than to sweep (every node costs every
/// row of the block a compare here; a walk costs only its path, but with unpredictable branches).
pub(super) const MAX_SWEPT_NODES: usize = 255;

/// How a feature's values become small integers.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// No node reads it.
    Unused,
    /// Sorted, distinct thresholds.
    Numeric(Vec<f64>),
    /// Category codes as they are.
    Categorical,
}

#[derive(Debug, Clone, Copy)]
struct SweptNode {
    feature: u32,
    /// Numeric: `rank + add > thr` goes right. Categorical: `thr` unused.
    thr: i16,
    add: i16,
    left: i16,
    right: i16,
    /// Categorical: bitset offset and words; `u32::MAX` offset for numeric nodes.
    cat_offset: u32,
    cat_words: u32,
    default_left: bool,
}

/// Trees in the swept form. Node ids per tree: internal nodes `0..n_internal` in the file's
/// order (a parent before its children), then the leaves.
#[derive(Debug, Clone)]
pub(super) struct Ranked {
    columns: Vec<Column>,
    nodes: Vec<SweptNode>,
    /// Per tree: its internal nodes `nodes[start..end]` and its leaf values from `leaf_start`
    /// (leaf id `end - start + i` is `leaves[leaf_start + i]`).
    trees: Vec<(usize, usize, usize)>,
    leaves: Vec<f64>,
    bitsets: Vec<u64>,
}

impl Ranked {
    /// The swept form of `trees`, or `None` when some tree is too large for it or a feature is
    /// split both as a number and as categories (then the walk scores them).
    pub fn new(trees: &[Tree], n_features_used: usize) -> Option<Ranked> {
        let mut columns = vec![Column::Unused; n_features_used];
        for t in trees {
            let internal = t.nodes.iter().filter(|n| !n.is_leaf()).count();
            if internal > MAX_SWEPT_NODES || t.nodes.len() > MAX_IDS || t.nodes.is_empty() {
                return None;
            }
            for n in t.nodes.iter().filter(|n| !n.is_leaf()) {
                let col = columns.get_mut(n.feature as usize)?;
                match (&n.split, &mut *col) {
                    (Split::Numeric { threshold }, Column::Unused) => {
                        *col = Column::Numeric(vec![*threshold])
                    }
                    (Split::Numeric { threshold }, Column::Numeric(v)) => v.push(*threshold),
                    (Split::Categorical { left }, Column::Unused | Column::Categorical) => {
                        if left.len() * 64 > UNSEEN as usize {
                            return None;
                        }
                        *col = Column::Categorical;
                    }
                    _ => return None,
                }
            }
        }
        for col in &mut columns {
            if let Column::Numeric(v) = col {
                if v.iter().any(|t| t.is_nan()) {
                    return None;
                }
                v.sort_by(f64::total_cmp);
                // -0.0 and 0.0 are the same threshold.
                v.dedup_by(|a, b| a == b);
                if v.len() > MAX_IDS {
                    return None;
                }
            }
        }
        let mut r = Ranked {
            columns,
            nodes: Vec::new(),
            trees: Vec::with_capacity(trees.len()),
            leaves: Vec::new(),
            bitsets: Vec::new(),
        };
        for t in trees {
            let start = r.nodes.len();
            let leaf_start = r.leaves.len();
            let internal = t.nodes.iter().filter(|n| !n.is_leaf()).count();
            let mut id = vec![0i16; t.nodes.len()];
            let (mut n_int, mut n_leaf) = (0usize, 0usize);
            for (i, n) in t.nodes.iter().enumerate() {
                id[i] = if n.is_leaf() {
                    n_leaf += 1;
                    (internal + n_leaf - 1) as i16
                } else {
                    n_int += 1;
                    (n_int - 1) as i16
                };
            }
            for (i, n) in t.nodes.iter().enumerate() {
                if n.is_leaf() {
                    r.leaves.push(n.value);
                    continue;
                }
                let (l, rt) = (n.left as usize, n.right as usize);
                // Sweeping in node order needs every child after its parent (as `Tree::check`
                // guarantees for loaded models).
                if l <= i || rt <= i || l >= t.nodes.len() || rt >= t.nodes.len() {
                    return None;
                }
                let mut node = SweptNode {
                    feature: n.feature,
                    thr: 0,
                    add: 0,
                    left: id[l],
                    right: id[rt],
                    cat_offset: u32::MAX,
                    cat_words: 0,
                    default_left: n.default_left,
                };
                match &n.split {
                    Split::Numeric { threshold } => {
                        let Column::Numeric(ts) = &r.columns[n.feature as usize] else {
                            return None;
                        };
                        let j = ts.partition_point(|t| t < threshold) as i16;
                        node.add = i16::from(n.default_left);
                        node.thr = j + node.add;
                    }
                    Split::Categorical { left } => {
                        node.cat_offset = r.bitsets.len() as u32;
                        node.cat_words = left.len() as u32;
                        r.bitsets.extend_from_slice(left);
                    }
                    Split::Leaf => return None,
                }
                r.nodes.push(node);
            }
            r.trees.push((start, r.nodes.len(), leaf_start));
        }
        Some(r)
    }

    /// Number of feature columns a block holds.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The rank (numeric) or code (categorical) of value `x` of feature `f`.
    #[inline]
    fn rank(&self, f: usize, x: f64) -> i16 {
        if x.is_nan() {
            return MISSING;
        }
        match &self.columns[f] {
            Column::Unused => MISSING,
            Column::Numeric(ts) => ts.partition_point(|t| *t < x) as i16,
            Column::Categorical => {
                // As `Node::goes_left`: a non-negative whole number is a code; anything else is
                // unseen (goes right at every categorical node).
                if x >= 0.0 && x < UNSEEN as f64 && x.fract() == 0.0 {
                    x as i16
                } else {
                    UNSEEN
                }
            }
        }
    }

    /// Adds every tree's output for rows `start..start + len` (`len <= BLOCK`; columns past
    /// `cols` count as missing) to `out_block` (`len * k` values, tree `t` to output `t % k`),
    /// tree by tree in order. `ranks` holds `width() * BLOCK` values, `ids` `BLOCK`.
    pub fn add_block(
        &self,
        cols: &[&[f64]],
        start: usize,
        k: usize,
        out_block: &mut [f64],
        ranks: &mut [i16],
        ids: &mut [i16; BLOCK],
    ) {
        let len = out_block.len() / k;
        for (f, dst) in ranks.chunks_exact_mut(BLOCK).enumerate() {
            let col = cols
                .get(f)
                .map_or(&[][..], |c| c.get(start..).unwrap_or(&[]));
            for (r, d) in dst.iter_mut().enumerate() {
                *d = if r < len {
                    self.rank(f, col.get(r).copied().unwrap_or(f64::NAN))
                } else {
                    MISSING
                };
            }
        }
        for (t, &(s, e, leaf_start)) in self.trees.iter().enumerate() {
            ids.fill(0);
            for (n, node) in self.nodes[s..e].iter().enumerate() {
                let n = n as i16;
                let f = node.feature as usize;
                let col: &[i16; BLOCK] = match ranks.get(f * BLOCK..(f + 1) * BLOCK) {
                    Some(c) => c.try_into().unwrap_or(&[MISSING; BLOCK]),
                    None => &[MISSING; BLOCK],
                };
                if node.cat_offset == u32::MAX {
                    let (add, thr, left, right) = (node.add, node.thr, node.left, node.right);
                    for (id, &v) in ids.iter_mut().zip(col) {
                        let next = if v.wrapping_add(add) > thr {
                            right
                        } else {
                            left
                        };
                        *id = if *id == n { next } else { *id };
                    }
                } else {
                    let off = node.cat_offset as usize;
                    let words = &self.bitsets[off..off + node.cat_words as usize];
                    for (id, &v) in ids.iter_mut().zip(col) {
                        if *id != n {
                            continue;
                        }
                        let go_left = if v == MISSING {
                            node.default_left
                        } else {
                            let c = v as usize;
                            words
                                .get(c / 64)
                                .is_some_and(|w| w & (1u64 << (c % 64)) != 0)
                        };
                        *id = if go_left { node.left } else { node.right };
                    }
                }
            }
            let first_leaf = (e - s) as i16;
            let leaves = &self.leaves[leaf_start..];
            let o = t % k;
            for (r, &id) in ids.iter().take(len).enumerate() {
                out_block[r * k + o] += leaves[(id - first_leaf) as usize];
            }
        }
    }
}

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
//! Lanes are `i8` when every tree has at most 256 nodes and every feature at most 253 distinct
//! thresholds (the default boosted trees: 16 rows per vector instruction), else `i16`. Ranks,
//! codes and node ids are stored offset by the lane's minimum (`stored = value + MIN`), so the
//! signed compare the hardware has orders them as unsigned values.
//!
//! Missing values: the largest lane value (`MISSING`). A node that sends missing values right
//! compares `rank > j`; one that sends them left compares `rank + 1 > j + 1` in wrapping
//! arithmetic, where `MISSING + 1` wraps to the smallest value and so goes left. Categorical nodes
//! keep category codes in place of ranks and test their bitset row by row (rarer; not
//! vectorised); a code past what the lane holds is `UNSEEN` (goes right, as a code past every
//! bitset does).

use super::super::tree::{Split, Tree};

/// Rows per block: the block's ranks (features × rows) stay in L1 while every tree runs.
const BLOCK: usize = 64;
/// Internal nodes above which a tree is cheaper to walk than to sweep (every node costs every
/// row of the block a compare here; a walk costs only its path, but with unpredictable branches).
pub(super) const MAX_SWEPT_NODES: usize = 255;

/// A lane type: `i8` or `i16`, holding unsigned values `0..2^BITS` offset by `MIN`.
pub(super) trait Lane:
    Copy + PartialEq + PartialOrd + Send + Sync + std::fmt::Debug
{
    /// How many distinct values it holds.
    const SIZE: usize;
    /// Stores unsigned value `u < SIZE`.
    fn stored(u: usize) -> Self;
    /// The unsigned value back.
    fn value(self) -> usize;
    /// Wrapping addition of a small addend (0 or 1), stored as is.
    fn plus(self, add: Self) -> Self;
    /// The addend 0 or 1.
    fn addend(one: bool) -> Self;
}

macro_rules! lane {
    ($t:ty, $u:ty) => {
        impl Lane for $t {
            const SIZE: usize = 1 << <$t>::BITS;
            #[inline(always)]
            fn stored(u: usize) -> Self {
                (u as $u).wrapping_add(<$t>::MIN as $u) as $t
            }
            #[inline(always)]
            fn value(self) -> usize {
                (self as $u).wrapping_sub(<$t>::MIN as $u) as usize
            }
            #[inline(always)]
            fn plus(self, add: Self) -> Self {
                self.wrapping_add(add)
            }
            #[inline(always)]
            fn addend(one: bool) -> Self {
                <$t>::from(one)
            }
        }
    };
}
lane!(i8, u8);
lane!(i16, u16);

/// The value of a missing cell (the largest).
fn missing<L: Lane>() -> L {
    L::stored(L::SIZE - 1)
}
/// The code of a category value no bitset holds (negative, fractional, past the lane).
fn unseen<L: Lane>() -> L {
    L::stored(L::SIZE - 2)
}

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
struct SweptNode<L> {
    feature: u32,
    /// Numeric: `rank + add > thr` goes right. Categorical: unused.
    thr: L,
    add: L,
    left: L,
    right: L,
    /// Categorical: bitset offset and words; `u32::MAX` offset for numeric nodes.
    cat_offset: u32,
    cat_words: u32,
    default_left: bool,
}

/// Trees in the swept form. Node ids per tree: internal nodes `0..n_internal` in the file's
/// order (a parent before its children), then the leaves.
#[derive(Debug, Clone)]
pub(super) struct Ranked<L> {
    columns: Vec<Column>,
    nodes: Vec<SweptNode<L>>,
    /// Per tree: its internal nodes `nodes[start..end]` and its leaf values from `leaf_start`
    /// (leaf id `end - start + i` is `leaves[leaf_start + i]`).
    trees: Vec<(usize, usize, usize)>,
    leaves: Vec<f64>,
    bitsets: Vec<u64>,
}

/// The swept form in the narrowest lanes the trees fit.
#[derive(Debug, Clone)]
pub(super) enum Sweep {
    Narrow(Ranked<i8>),
    Wide(Ranked<i16>),
}

impl Sweep {
    /// The swept form of `trees`, or `None` when some tree is too large for it or a feature is
    /// split both as a number and as categories (then the walk scores them).
    pub fn new(trees: &[Tree], n_features_used: usize) -> Option<Sweep> {
        let columns = columns(trees, n_features_used)?;
        Ranked::new(trees, &columns)
            .map(Sweep::Narrow)
            .or_else(|| Ranked::new(trees, &columns).map(Sweep::Wide))
    }

    /// Adds every tree's output for `n_rows` rows given as columns (`cols[f][row]`; columns past
    /// `cols` count as missing) to `out` (row-major, `k` per row; tree `t` adds to output
    /// `t % k`), tree by tree in order for each row. Blocks of rows are independent, so with the
    /// `parallel` feature they run on rayon's threads with the same result.
    pub fn add_columns(&self, cols: &[&[f64]], n_rows: usize, k: usize, out: &mut [f64]) {
        match self {
            Sweep::Narrow(r) => r.add_columns(cols, n_rows, k, out),
            Sweep::Wide(r) => r.add_columns(cols, n_rows, k, out),
        }
    }
}

/// How each feature is read, or `None` when one is split both ways or a threshold is NaN.
fn columns(trees: &[Tree], n_features_used: usize) -> Option<Vec<Column>> {
    let mut columns = vec![Column::Unused; n_features_used];
    for n in trees.iter().flat_map(|t| &t.nodes).filter(|n| !n.is_leaf()) {
        let col = columns.get_mut(n.feature as usize)?;
        match (&n.split, &mut *col) {
            (Split::Numeric { threshold }, _) if threshold.is_nan() => return None,
            (Split::Numeric { threshold }, Column::Unused) => {
                *col = Column::Numeric(vec![*threshold])
            }
            (Split::Numeric { threshold }, Column::Numeric(v)) => v.push(*threshold),
            (Split::Categorical { .. }, Column::Unused | Column::Categorical) => {
                *col = Column::Categorical
            }
            _ => return None,
        }
    }
    for col in &mut columns {
        if let Column::Numeric(v) = col {
            v.sort_by(f64::total_cmp);
            // -0.0 and 0.0 are the same threshold.
            v.dedup_by(|a, b| a == b);
        }
    }
    Some(columns)
}

impl<L: Lane> Ranked<L> {
    /// The trees in lanes `L`, or `None` when they do not fit: a tree with more than
    /// [`MAX_SWEPT_NODES`] internal nodes or more nodes than `L` can number, a feature with more
    /// thresholds than ranks below `MISSING` leave room for, or a category set holding a code
    /// from `UNSEEN` up.
    fn new(trees: &[Tree], columns: &[Column]) -> Option<Ranked<L>> {
        let fits = columns.iter().all(|c| match c {
            Column::Numeric(ts) => ts.len() <= L::SIZE - 2,
            _ => true,
        });
        if !fits {
            return None;
        }
        let mut r = Ranked {
            columns: columns.to_vec(),
            nodes: Vec::new(),
            trees: Vec::with_capacity(trees.len()),
            leaves: Vec::new(),
            bitsets: Vec::new(),
        };
        for t in trees {
            let internal = t.nodes.iter().filter(|n| !n.is_leaf()).count();
            if internal > MAX_SWEPT_NODES || t.nodes.len() > L::SIZE || t.nodes.is_empty() {
                return None;
            }
            let start = r.nodes.len();
            let leaf_start = r.leaves.len();
            let mut id = vec![0usize; t.nodes.len()];
            let (mut n_int, mut n_leaf) = (0usize, 0usize);
            for (i, n) in t.nodes.iter().enumerate() {
                id[i] = if n.is_leaf() {
                    n_leaf += 1;
                    internal + n_leaf - 1
                } else {
                    n_int += 1;
                    n_int - 1
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
                    thr: L::stored(0),
                    add: L::addend(false),
                    left: L::stored(id[l]),
                    right: L::stored(id[rt]),
                    cat_offset: u32::MAX,
                    cat_words: 0,
                    default_left: n.default_left,
                };
                match (&n.split, r.columns.get(n.feature as usize)?) {
                    (Split::Numeric { threshold }, Column::Numeric(ts)) => {
                        let j = ts.partition_point(|t| t < threshold);
                        node.add = L::addend(n.default_left);
                        node.thr = L::stored(j + usize::from(n.default_left));
                    }
                    (Split::Categorical { left }, Column::Categorical) => {
                        // Codes from UNSEEN up read as UNSEEN: none may be in the set.
                        let first_unseen = L::SIZE - 2;
                        let holds_unseen = left.iter().enumerate().any(|(w, &bits)| {
                            bits != 0 && 64 * w + 63 - bits.leading_zeros() as usize >= first_unseen
                        });
                        if holds_unseen {
                            return None;
                        }
                        node.cat_offset = r.bitsets.len() as u32;
                        if L::SIZE == 256 {
                            // A whole table of the lane's 256 values: codes as given, UNSEEN
                            // right, MISSING (255) where missing values go; read without a branch.
                            let mut table = [0u64; 4];
                            for (t, &w) in table.iter_mut().zip(left) {
                                *t = w;
                            }
                            table[3] |= u64::from(n.default_left) << 63;
                            node.cat_words = 4;
                            r.bitsets.extend_from_slice(&table);
                        } else {
                            node.cat_words = left.len() as u32;
                            r.bitsets.extend_from_slice(left);
                        }
                    }
                    _ => return None,
                }
                r.nodes.push(node);
            }
            r.trees.push((start, r.nodes.len(), leaf_start));
        }
        Some(r)
    }

    /// The rank (numeric) or code (categorical) of value `x` of feature `f`.
    #[inline]
    fn rank(&self, f: usize, x: f64) -> L {
        if x.is_nan() {
            return missing();
        }
        match &self.columns[f] {
            Column::Unused => missing(),
            Column::Numeric(ts) => L::stored(ts.partition_point(|t| *t < x)),
            Column::Categorical => {
                // As `Node::goes_left`: a non-negative whole number is a code; anything else is
                // unseen (goes right at every categorical node).
                if x >= 0.0 && x < (L::SIZE - 2) as f64 && x.fract() == 0.0 {
                    L::stored(x as usize)
                } else {
                    unseen()
                }
            }
        }
    }

    fn add_columns(&self, cols: &[&[f64]], n_rows: usize, k: usize, out: &mut [f64]) {
        let out = &mut out[..n_rows * k];
        let width = self.columns.len();
        let new_scratch = || (vec![missing::<L>(); BLOCK * width], [L::stored(0); BLOCK]);
        #[cfg(feature = "parallel")]
        if n_rows > 16 * BLOCK {
            use rayon::prelude::*;
            out.par_chunks_mut(BLOCK * k).enumerate().for_each_init(
                new_scratch,
                |(ranks, ids), (b, out_block)| {
                    self.add_block(cols, b * BLOCK, k, out_block, ranks, ids)
                },
            );
            return;
        }
        let (mut ranks, mut ids) = new_scratch();
        for (b, out_block) in out.chunks_mut(BLOCK * k).enumerate() {
            self.add_block(cols, b * BLOCK, k, out_block, &mut ranks, &mut ids);
        }
    }

    /// Adds every tree's output for rows `start..start + len` (`len <= BLOCK`) to `out_block`
    /// (`len * k` values), tree by tree in order. `ranks` holds `width * BLOCK` values.
    fn add_block(
        &self,
        cols: &[&[f64]],
        start: usize,
        k: usize,
        out_block: &mut [f64],
        ranks: &mut [L],
        ids: &mut [L; BLOCK],
    ) {
        let len = out_block.len() / k;
        for (f, dst) in ranks.chunks_exact_mut(BLOCK).enumerate() {
            let col = cols
                .get(f)
                .map_or(&[][..], |c| c.get(start..).unwrap_or(&[]));
            for (r, d) in dst.iter_mut().enumerate() {
                *d = match col.get(r) {
                    Some(&x) if r < len => self.rank(f, x),
                    _ => missing(),
                };
            }
        }
        let all_missing = [missing::<L>(); BLOCK];
        for (t, &(s, e, leaf_start)) in self.trees.iter().enumerate() {
            ids.fill(L::stored(0));
            for (n, node) in self.nodes[s..e].iter().enumerate() {
                let n = L::stored(n);
                let f = node.feature as usize;
                let col: &[L; BLOCK] = ranks
                    .get(f * BLOCK..(f + 1) * BLOCK)
                    .and_then(|c| c.try_into().ok())
                    .unwrap_or(&all_missing);
                if node.cat_offset == u32::MAX {
                    let (add, thr, left, right) = (node.add, node.thr, node.left, node.right);
                    for (id, &v) in ids.iter_mut().zip(col) {
                        let next = if v.plus(add) > thr { right } else { left };
                        *id = if *id == n { next } else { *id };
                    }
                } else if let Some(table) = self
                    .bitsets
                    .get(node.cat_offset as usize..)
                    .and_then(|b| b.get(..4))
                    .filter(|_| L::SIZE == 256)
                {
                    let table: &[u64; 4] = table.try_into().unwrap_or(&[0; 4]);
                    let (left, right) = (node.left, node.right);
                    for (id, &v) in ids.iter_mut().zip(col) {
                        let c = v.value() & 255;
                        let go_left = (table[c >> 6] >> (c & 63)) & 1 != 0;
                        let next = if go_left { left } else { right };
                        *id = if *id == n { next } else { *id };
                    }
                } else {
                    let off = node.cat_offset as usize;
                    let words = &self.bitsets[off..off + node.cat_words as usize];
                    for (id, &v) in ids.iter_mut().zip(col) {
                        if *id != n {
                            continue;
                        }
                        let go_left = if v == missing() {
                            node.default_left
                        } else {
                            let c = v.value();
                            words
                                .get(c / 64)
                                .is_some_and(|w| w & (1u64 << (c % 64)) != 0)
                        };
                        *id = if go_left { node.left } else { node.right };
                    }
                }
            }
            let leaves = &self.leaves[leaf_start..];
            let first_leaf = e - s;
            let o = t % k;
            if k == 1 {
                for (out, &id) in out_block.iter_mut().zip(ids.iter()) {
                    *out += leaves[id.value() - first_leaf];
                }
            } else {
                for (r, &id) in ids.iter().take(len).enumerate() {
                    out_block[r * k + o] += leaves[id.value() - first_leaf];
                }
            }
        }
    }
}

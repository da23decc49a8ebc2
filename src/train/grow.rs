//! Growing one tree on binned data: leaf-wise (best gain first, up to `max_leaves`) or, with no
//! leaf limit, depth-first; rows of a node are a contiguous range of one index array that is
//! partitioned in place at each split.

use super::binning::BinnedData;
use super::histogram::{BinStat, Histogram, HistogramPool};
use super::split::{best_split, contains, SplitInfo, SplitParams};
use crate::model::tree::{Node, Split, Tree, LEAF};
use crate::rng::Rng;

/// Settings for growing one tree.
#[derive(Debug, Clone)]
pub(crate) struct GrowParams {
    /// Split-finding settings.
    pub split: SplitParams,
    /// Most leaves (0 = no limit).
    pub max_leaves: usize,
    /// Deepest level (0 = no limit; the root is depth 0).
    pub max_depth: usize,
    /// Multiplier on leaf values.
    pub learning_rate: f64,
    /// Features tried at each node (0 = all of the tree's features): random-forest style.
    pub features_per_node: usize,
}

/// A node of a tree under construction, in bin space (training-only).
#[derive(Debug, Clone)]
pub(crate) struct TrainNode {
    /// Split feature, or `None` for a leaf.
    pub split: Option<SplitInfo>,
    /// Children indices.
    pub children: [u32; 2],
    /// Output (leaf value, or cover-weighted mean of leaves).
    pub value: f64,
    /// Hessian sum.
    pub cover: f64,
}

/// A grown tree in bin space plus the rows of each leaf (training-only).
#[derive(Debug, Clone)]
pub(crate) struct TrainTree {
    /// Nodes; 0 is the root; children come after parents.
    pub nodes: Vec<TrainNode>,
    /// For each leaf: node index and its range in the row array given to [`grow`].
    pub leaf_ranges: Vec<(u32, usize, usize)>,
}

struct Pending {
    node: usize,
    start: usize,
    end: usize,
    depth: usize,
    total: BinStat,
    hist: Option<Histogram>,
    split: Option<SplitInfo>,
}

/// Grows a tree over `rows` (partitioned in place), with gradients/hessians indexed by row.
pub(crate) fn grow(
    data: &BinnedData,
    rows: &mut [u32],
    gh: &[[f64; 2]],
    features: &[usize],
    params: &GrowParams,
    rng: &mut Rng,
    pool: &mut HistogramPool,
) -> TrainTree {
    let mut total = BinStat::default();
    for &r in rows.iter() {
        let [g, h] = gh[r as usize];
        total.g += g;
        total.h += h;
        total.n += 1.0;
    }
    let mut nodes = vec![TrainNode {
        split: None,
        children: [0, 0],
        value: 0.0,
        cover: total.h,
    }];
    let mut scratch: Vec<u32> = Vec::with_capacity(rows.len());
    let mut node_features: Vec<usize> = Vec::with_capacity(features.len());
    let mut pending: Vec<Pending> = Vec::new();
    let mut root = Pending {
        node: 0,
        start: 0,
        end: rows.len(),
        depth: 0,
        total,
        hist: None,
        split: None,
    };
    if can_split(&root, params) {
        let hist = Histogram::build(data, rows, gh, features, pool);
        pick_features(features, params, rng, &mut node_features);
        root.split = best_split(data, &hist, &total, &node_features, &params.split);
        root.hist = Some(hist);
    }
    pending.push(root);
    let mut done: Vec<Pending> = Vec::new();
    let mut n_leaves = 1usize;
    loop {
        if params.max_leaves > 0 && n_leaves >= params.max_leaves
            || n_leaves >= crate::limits::MAX_TREE_LEAVES
        {
            break;
        }
        // Best gain first (ties: earliest node) with a leaf limit; otherwise depth-first.
        let pick = if params.max_leaves > 0 {
            let mut best: Option<usize> = None;
            for (i, p) in pending.iter().enumerate() {
                if let Some(s) = &p.split {
                    let better = match best {
                        None => true,
                        Some(j) => {
                            let b = pending[j].split.as_ref().map_or(f64::MIN, |x| x.gain);
                            s.gain > b || (s.gain == b && p.node < pending[j].node)
                        }
                    };
                    if better {
                        best = Some(i);
                    }
                }
            }
            best
        } else {
            pending.iter().rposition(|p| p.split.is_some())
        };
        let Some(i) = pick else { break };
        let leaf = pending.swap_remove(i);
        let split = leaf.split.clone().expect("picked leaves have a split");
        let mid =
            partition(data, &mut rows[leaf.start..leaf.end], &split, &mut scratch) + leaf.start;
        let li = nodes.len();
        nodes[leaf.node].split = Some(split.clone());
        nodes[leaf.node].children = [li as u32, li as u32 + 1];
        for s in [&split.left, &split.right] {
            nodes.push(TrainNode {
                split: None,
                children: [0, 0],
                value: 0.0,
                cover: s.h,
            });
        }
        n_leaves += 1;
        let mut left = Pending {
            node: li,
            start: leaf.start,
            end: mid,
            depth: leaf.depth + 1,
            total: split.left,
            hist: None,
            split: None,
        };
        let mut right = Pending {
            node: li + 1,
            start: mid,
            end: leaf.end,
            depth: leaf.depth + 1,
            total: split.right,
            hist: None,
            split: None,
        };
        let left_smaller = (mid - leaf.start) <= (leaf.end - mid);
        let (small, large) = if left_smaller {
            (&mut left, &mut right)
        } else {
            (&mut right, &mut left)
        };
        let (need_small, need_large) = (can_split(small, params), can_split(large, params));
        let parent_hist = leaf.hist;
        if need_small || need_large {
            let small_hist =
                Histogram::build(data, &rows[small.start..small.end], gh, features, pool);
            if need_large {
                let mut parent = parent_hist.expect("split leaves keep their histogram");
                parent.subtract(&small_hist, data, features);
                pick_features(features, params, rng, &mut node_features);
                large.split =
                    best_split(data, &parent, &large.total, &node_features, &params.split);
                large.hist = Some(parent);
            } else if let Some(h) = parent_hist {
                pool.give(h);
            }
            if need_small {
                pick_features(features, params, rng, &mut node_features);
                small.split = best_split(
                    data,
                    &small_hist,
                    &small.total,
                    &node_features,
                    &params.split,
                );
                small.hist = Some(small_hist);
            } else {
                pool.give(small_hist);
            }
        } else if let Some(h) = parent_hist {
            pool.give(h);
        }
        for mut child in [left, right] {
            if child.split.is_some() {
                pending.push(child);
            } else {
                if let Some(h) = child.hist.take() {
                    pool.give(h);
                }
                done.push(child);
            }
        }
    }
    // The leaves left unsplit give their histograms back for the next tree.
    for p in &mut pending {
        if let Some(h) = p.hist.take() {
            pool.give(h);
        }
    }
    done.extend(pending);
    // Leaf values, then internal values as cover-weighted means (children come after parents).
    let mut leaf_ranges = Vec::with_capacity(done.len());
    for p in &done {
        let raw = -p.total.g / (p.total.h + params.split.l2);
        nodes[p.node].value = if raw.is_finite() {
            raw * params.learning_rate
        } else {
            0.0
        };
        leaf_ranges.push((p.node as u32, p.start, p.end));
    }
    leaf_ranges.sort_unstable_by_key(|x| x.0);
    for i in (0..nodes.len()).rev() {
        if nodes[i].split.is_some() {
            let [l, r] = nodes[i].children.map(|c| c as usize);
            let (cl, cr) = (nodes[l].cover, nodes[r].cover);
            nodes[i].value = if cl + cr > 0.0 {
                (nodes[l].value * cl + nodes[r].value * cr) / (cl + cr)
            } else {
                0.0
            };
        }
    }
    TrainTree { nodes, leaf_ranges }
}

fn can_split(p: &Pending, params: &GrowParams) -> bool {
    let n = (p.end - p.start) as f64;
    n >= 2.0 * params.split.min_samples_leaf.max(1.0)
        && (params.max_depth == 0 || p.depth < params.max_depth)
        // Trees stay within what model files may hold (`Tree::check`), whatever the settings.
        && p.depth < crate::limits::MAX_TREE_DEPTH
}

fn pick_features(features: &[usize], params: &GrowParams, rng: &mut Rng, out: &mut Vec<usize>) {
    out.clear();
    out.extend_from_slice(features);
    let k = params.features_per_node;
    if k > 0 && k < out.len() {
        // Partial Fisher–Yates, then back to feature order.
        for i in 0..k {
            let j = i + rng.below((out.len() - i) as u64) as usize;
            out.swap(i, j);
        }
        out.truncate(k);
        out.sort_unstable();
    }
}

/// Stable partition of `rows` by the split; returns the number that went left.
///
/// Large nodes are partitioned in fixed [`super::par::ROW_CHUNK`]-row chunks on several threads (each
/// chunk's lefts compacted in place, its rights into `scratch`), then the lefts are moved to the
/// front and the rights after them, both in chunk order: the same order as one pass, so the
/// result never depends on the thread count.
fn partition(
    data: &BinnedData,
    rows: &mut [u32],
    split: &SplitInfo,
    scratch: &mut Vec<u32>,
) -> usize {
    // Which bins go left, as a table (no branch on the bin bits).
    let mut left = [false; 256];
    for (b, l) in left.iter_mut().enumerate() {
        *l = contains(&split.left_bins, b as u8);
    }
    let n = rows.len();
    if scratch.len() < n {
        scratch.resize(n, 0);
    }
    let scratch = &mut scratch[..n];
    #[cfg(feature = "parallel")]
    if n > 2 * super::par::ROW_CHUNK && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        const ROW_CHUNK: usize = super::par::ROW_CHUNK;
        let lefts: Vec<usize> = rows
            .par_chunks_mut(ROW_CHUNK)
            .zip(scratch.par_chunks_mut(ROW_CHUNK))
            .map(|(r, s)| partition_chunk(data, split.feature, &left, r, s))
            .collect();
        // Each chunk's lefts move down (or stay): `copy_within` allows the overlap.
        let mut n_left = 0;
        for (j, &c) in lefts.iter().enumerate() {
            rows.copy_within(j * ROW_CHUNK..j * ROW_CHUNK + c, n_left);
            n_left += c;
        }
        let mut at = n_left;
        for (j, &c) in lefts.iter().enumerate() {
            let n_right = (n - j * ROW_CHUNK).min(ROW_CHUNK) - c;
            rows[at..at + n_right]
                .copy_from_slice(&scratch[j * ROW_CHUNK..j * ROW_CHUNK + n_right]);
            at += n_right;
        }
        return n_left;
    }
    let n_left = partition_chunk(data, split.feature, &left, rows, scratch);
    rows[n_left..].copy_from_slice(&scratch[..n - n_left]);
    n_left
}

/// One pass of the partition: the rows going left compacted at the front of `rows` (in order),
/// those going right at the front of `scratch`; returns how many went left.
fn partition_chunk(
    data: &BinnedData,
    f: usize,
    left: &[bool; 256],
    rows: &mut [u32],
    scratch: &mut [u32],
) -> usize {
    let nf = data.n_features;
    let (mut n_left, mut n_right) = (0, 0);
    // Branch-free: every row is written to both sides, and only its own side's cursor moves.
    // `rows[n_left]` is already read (n_left <= i), so writing it in place is safe.
    for i in 0..rows.len() {
        let r = rows[i];
        let go_left = left[data.bins[r as usize * nf + f] as usize];
        rows[n_left] = r;
        scratch[n_right] = r;
        n_left += go_left as usize;
        n_right += !go_left as usize;
    }
    n_left
}

impl TrainTree {
    /// The output for binned row `r`.
    #[inline]
    pub fn predict_binned(&self, data: &BinnedData, r: usize) -> f64 {
        let row = data.row(r);
        let mut i = 0usize;
        loop {
            let n = &self.nodes[i];
            match &n.split {
                None => return n.value,
                Some(s) => {
                    i = if contains(&s.left_bins, row[s.feature]) {
                        n.children[0]
                    } else {
                        n.children[1]
                    } as usize
                }
            }
        }
    }

    /// Multiplies every output by `factor` (random forests average their trees).
    pub fn scale(&mut self, factor: f64) {
        for n in &mut self.nodes {
            n.value *= factor;
        }
    }

    /// The scoring tree: bin splits become raw thresholds and category-code bitsets.
    pub fn to_tree(&self, data: &BinnedData) -> Tree {
        use super::binning::BinMapper;
        let nodes = self
            .nodes
            .iter()
            .map(|n| match &n.split {
                None => Node {
                    feature: LEAF,
                    split: Split::Leaf,
                    left: 0,
                    right: 0,
                    default_left: false,
                    value: n.value,
                    cover: n.cover,
                },
                Some(s) => {
                    let split = match &data.mappers[s.feature] {
                        BinMapper::Numeric { uppers } => {
                            let t =
                                s.threshold_bin.expect("numeric splits have a threshold") as usize;
                            Split::Numeric {
                                threshold: uppers[t],
                            }
                        }
                        BinMapper::Categorical { bin_codes, .. } => {
                            let mut codes: Vec<u32> = Vec::new();
                            for (b, cs) in bin_codes.iter().enumerate() {
                                if contains(&s.left_bins, b as u8) {
                                    codes.extend_from_slice(cs);
                                }
                            }
                            Split::Categorical {
                                left: code_bitset(&codes),
                            }
                        }
                    };
                    Node {
                        feature: s.feature as u32,
                        split,
                        left: n.children[0],
                        right: n.children[1],
                        default_left: s.default_left,
                        value: n.value,
                        cover: n.cover,
                    }
                }
            })
            .collect();
        Tree { nodes }
    }
}

fn code_bitset(codes: &[u32]) -> Vec<u64> {
    let words = codes
        .iter()
        .map(|&c| c as usize / 64 + 1)
        .max()
        .unwrap_or(0);
    let mut out = vec![0u64; words];
    for &c in codes {
        out[c as usize / 64] |= 1u64 << (c % 64);
    }
    out
}

//! Fast scoring: every tree flattened into one array of compact nodes (children as indices, leaves
//! as negative indices into a value array), evaluated over blocks of rows gathered from columns.

use super::tree::{Split, Tree};

mod ranked;

const DEFAULT_LEFT: u8 = 1;
const CATEGORICAL: u8 = 2;
/// Rows per block: the block's values (rows × features) stay in cache while every tree runs.
const BLOCK_ROWS: usize = 64;

#[derive(Debug, Clone, Copy)]
struct FlatNode {
    /// Numeric threshold (`x <= threshold` goes left); for categorical nodes, the bitset offset.
    threshold: f64,
    feature: u32,
    /// Child index, or `!leaf` (negative) for a leaf.
    left: i32,
    right: i32,
    /// Bitset length in words (categorical nodes).
    cat_words: u16,
    flags: u8,
}

/// All trees of a model in flat form.
#[derive(Debug, Clone)]
pub(crate) struct FlatForest {
    nodes: Vec<FlatNode>,
    /// Per tree: the root (a node index, or `!leaf` when the tree is a single leaf).
    roots: Vec<i32>,
    leaves: Vec<f64>,
    bitsets: Vec<u64>,
    n_outputs: usize,
    /// Highest feature index used + 1.
    n_features_used: usize,
    /// The same trees for sweeping blocks of ranked rows (`None`: too large; they are walked),
    /// built on the first block scoring: one-record scoring (the card's engine) never needs it.
    ranked: std::sync::OnceLock<Option<ranked::Sweep>>,
}

impl FlatForest {
    pub fn new(trees: &[Tree], n_outputs: usize) -> FlatForest {
        let mut f = FlatForest {
            nodes: Vec::new(),
            roots: Vec::with_capacity(trees.len()),
            leaves: Vec::new(),
            bitsets: Vec::new(),
            n_outputs: n_outputs.max(1),
            n_features_used: 0,
            ranked: std::sync::OnceLock::new(),
        };
        for t in trees {
            let base_node = f.nodes.len();
            let base_leaf = f.leaves.len();
            // Map old node index -> new reference.
            let mut map = vec![0i32; t.nodes.len()];
            let (mut n_int, mut n_leaf) = (0i32, 0i32);
            for (i, n) in t.nodes.iter().enumerate() {
                if n.is_leaf() {
                    map[i] = !(base_leaf as i32 + n_leaf);
                    n_leaf += 1;
                } else {
                    map[i] = base_node as i32 + n_int;
                    n_int += 1;
                }
            }
            for n in &t.nodes {
                if n.is_leaf() {
                    f.leaves.push(n.value);
                    continue;
                }
                f.n_features_used = f.n_features_used.max(n.feature as usize + 1);
                let mut flags = if n.default_left { DEFAULT_LEFT } else { 0 };
                let (threshold, cat_words) = match &n.split {
                    Split::Numeric { threshold } => (*threshold, 0),
                    Split::Categorical { left } => {
                        flags |= CATEGORICAL;
                        let off = f.bitsets.len();
                        f.bitsets.extend_from_slice(left);
                        (off as f64, left.len() as u16)
                    }
                    Split::Leaf => (0.0, 0),
                };
                let child = |c: u32| map.get(c as usize).copied().unwrap_or(!0);
                f.nodes.push(FlatNode {
                    threshold,
                    feature: n.feature,
                    left: child(n.left),
                    right: child(n.right),
                    cat_words,
                    flags,
                });
            }
            f.roots.push(if t.nodes.is_empty() {
                f.leaves.push(0.0);
                !(f.leaves.len() as i32 - 1)
            } else {
                map[0]
            });
        }
        f
    }

    /// One step down from internal node `i` for `row`: the next node or `!leaf`.
    #[inline(always)]
    fn step(&self, i: i32, row: &[f64]) -> i32 {
        let n = &self.nodes[i as usize];
        let x = row[n.feature as usize];
        let go_left = if n.flags & CATEGORICAL == 0 {
            if x.is_nan() {
                n.flags & DEFAULT_LEFT != 0
            } else {
                x <= n.threshold
            }
        } else if x.is_nan() {
            n.flags & DEFAULT_LEFT != 0
        } else if x >= 0.0 && x < (n.cat_words as f64) * 64.0 && (x as usize) as f64 == x {
            // In range, so `x as usize` is exact exactly when x is whole (as `fract() == 0`).
            let code = x as usize;
            let word = self.bitsets[n.threshold as usize + code / 64];
            word & (1u64 << (code % 64)) != 0
        } else {
            false
        };
        if go_left {
            n.left
        } else {
            n.right
        }
    }

    #[inline(always)]
    fn leaf_value(&self, root: i32, row: &[f64]) -> f64 {
        let mut i = root;
        while i >= 0 {
            i = self.step(i, row);
        }
        self.leaves[!i as usize]
    }

    /// [`FlatForest::leaf_value`] for four rows walked side by side: the same leaves, with four
    /// independent chains of loads for the processor to overlap.
    #[inline(always)]
    fn leaf_values4(&self, root: i32, rows: [&[f64]; 4]) -> [f64; 4] {
        let mut idx = [root; 4];
        loop {
            let mut active = false;
            for (i, row) in idx.iter_mut().zip(rows) {
                if *i >= 0 {
                    *i = self.step(*i, row);
                    active = true;
                }
            }
            if !active {
                break;
            }
        }
        idx.map(|i| self.leaves[!i as usize])
    }

    /// Adds every tree's output for one row (`row[f]`, NaN = missing) to `out[output]`.
    pub fn add_row(&self, row: &[f64], out: &mut [f64]) {
        let padded;
        let row = if row.len() < self.n_features_used {
            let mut v = row.to_vec();
            v.resize(self.n_features_used, f64::NAN);
            padded = v;
            &padded[..]
        } else {
            row
        };
        for (t, &root) in self.roots.iter().enumerate() {
            out[t % self.n_outputs] += self.leaf_value(root, row);
        }
    }

    /// Adds every tree's output for `n_rows` rows given as columns to `out` (row-major,
    /// `n_outputs` per row). Blocks of rows are independent (each row's trees are added in tree
    /// order within its block), so with the `parallel` feature they run on rayon's threads and
    /// the result is the same with any thread count.
    /// `trees` are the trees this forest was built from.
    pub fn add_columns(
        &self,
        trees: &[Tree],
        cols: &[&[f64]],
        n_features: usize,
        n_rows: usize,
        out: &mut [f64],
    ) {
        let width = n_features.max(self.n_features_used).max(1);
        let k = self.n_outputs;
        let out = &mut out[..n_rows * k];
        let sweep = self
            .ranked
            .get_or_init(|| ranked::Sweep::new(trees, self.n_features_used));
        if let Some(sweep) = sweep {
            sweep.add_columns(cols, n_rows, k, out);
            return;
        }
        let new_block = || vec![f64::NAN; BLOCK_ROWS * width];
        #[cfg(feature = "parallel")]
        if n_rows > 16 * BLOCK_ROWS {
            use rayon::prelude::*;
            out.par_chunks_mut(BLOCK_ROWS * k)
                .enumerate()
                .for_each_init(new_block, |block, (b, out_block)| {
                    self.add_block(cols, width, b * BLOCK_ROWS, out_block, block)
                });
            return;
        }
        let mut block = new_block();
        for (b, out_block) in out.chunks_mut(BLOCK_ROWS * k).enumerate() {
            self.add_block(cols, width, b * BLOCK_ROWS, out_block, &mut block);
        }
    }

    /// [`FlatForest::add_columns`] for the rows `start..` that `out_block` holds, gathered into
    /// `block` (`BLOCK_ROWS * width` values; columns past `cols` stay NaN).
    fn add_block(
        &self,
        cols: &[&[f64]],
        width: usize,
        start: usize,
        out_block: &mut [f64],
        block: &mut [f64],
    ) {
        let k = self.n_outputs;
        let len = out_block.len() / k;
        for (f, col) in cols.iter().enumerate().take(width) {
            for r in 0..len {
                block[r * width + f] = col.get(start + r).copied().unwrap_or(f64::NAN);
            }
        }
        let row = |r: usize| &block[r * width..(r + 1) * width];
        for (t, &root) in self.roots.iter().enumerate() {
            let o = t % k;
            let mut r = 0;
            while r + 4 <= len {
                let v = self.leaf_values4(root, [row(r), row(r + 1), row(r + 2), row(r + 3)]);
                for (j, v) in v.into_iter().enumerate() {
                    out_block[(r + j) * k + o] += v;
                }
                r += 4;
            }
            for r in r..len {
                out_block[r * k + o] += self.leaf_value(root, row(r));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tree::Node;
    use crate::rng::Rng;

    fn tree(seed: u64) -> Tree {
        let mut rng = Rng::new(seed);
        Tree {
            nodes: vec![
                Node {
                    feature: 0,
                    split: Split::Numeric {
                        threshold: rng.normal(),
                    },
                    left: 1,
                    right: 2,
                    default_left: rng.below(2) == 0,
                    value: 0.0,
                    cover: 2.0,
                },
                Node {
                    feature: 1,
                    split: Split::Categorical {
                        left: vec![0b1011, 1 << 3],
                    },
                    left: 3,
                    right: 4,
                    default_left: rng.below(2) == 0,
                    value: 0.0,
                    cover: 1.0,
                },
                Node::leaf(rng.normal(), 1.0),
                Node::leaf(rng.normal(), 1.0),
                Node::leaf(rng.normal(), 1.0),
            ],
        }
    }

    /// Scoring builds a flattened copy of the trees once; a clone of a model that has scored
    /// carries that copy, and editing the clone's trees (`trees_mut`) must not leave it scoring
    /// with the original's.
    #[test]
    fn edited_trees_are_scored_even_on_a_clone_of_a_scored_model() {
        use crate::model::{Model, ModelKind, ModelParts};
        let model = Model::new(ModelParts {
            kind: ModelKind::GradientBoosting,
            features: Vec::new(),
            pipeline: Default::default(),
            class_names: vec!["No".into(), "Yes".into()],
            base_score: vec![0.5],
            trees: (0..3).map(tree).collect(),
            info: Default::default(),
        });
        let row = [0.1, 3.0];
        let before = model.predict_row(&row)[0];
        let mut edited = model.clone();
        edited.trees_mut().push(Tree {
            nodes: vec![Node::leaf(2.0, 1.0)],
        });
        assert_eq!(
            edited.predict_row(&row)[0].to_bits(),
            (before + 2.0).to_bits()
        );
        edited.trees_mut().truncate(1);
        let one = edited.predict_row(&row)[0];
        assert_eq!(one.to_bits(), (0.5 + tree(0).predict(&row)).to_bits());
        assert_eq!(
            model.predict_row(&row)[0].to_bits(),
            before.to_bits(),
            "the original is unchanged"
        );
    }

    #[test]
    fn flat_scoring_equals_the_reference_tree_walk() {
        let trees: Vec<Tree> = (0..7)
            .map(tree)
            .chain([Tree {
                nodes: vec![Node::leaf(0.25, 1.0)],
            }])
            .collect();
        let flat = FlatForest::new(&trees, 2);
        let mut rng = Rng::new(9);
        let n = 300;
        let x0: Vec<f64> = (0..n)
            .map(|_| {
                if rng.below(5) == 0 {
                    f64::NAN
                } else {
                    rng.normal()
                }
            })
            .collect();
        let x1: Vec<f64> = (0..n)
            .map(|_| match rng.below(6) {
                0 => f64::NAN,
                1 => 67.0,  // in the second word
                2 => 500.0, // beyond the bitset
                _ => rng.below(5) as f64,
            })
            .collect();
        let mut out = vec![0.0; n * 2];
        flat.add_columns(&trees, &[&x0, &x1], 2, n, &mut out);
        for r in 0..n {
            let row = [x0[r], x1[r]];
            let mut want = [0.0; 2];
            for (t, tree) in trees.iter().enumerate() {
                want[t % 2] += tree.predict(&row);
            }
            assert_eq!([out[2 * r], out[2 * r + 1]], want, "row {r}");
            let mut single = [0.0; 2];
            flat.add_row(&row, &mut single);
            assert_eq!(single, want);
        }
    }

    /// A random tree of `leaves` leaves grown by splitting random leaves; thresholds and values
    /// come from a small grid (so rows land exactly on thresholds), with ±0 and infinities.
    /// With `fine`, thresholds are random numbers instead (more distinct ones than `i8` ranks).
    fn random_tree(rng: &mut Rng, leaves: usize, n_features: usize, fine: bool) -> Tree {
        const GRID: [f64; 8] = [
            -1.0,
            -0.0,
            0.0,
            0.5,
            1.0,
            2.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut nodes = vec![Node::leaf(rng.normal(), 1.0)];
        let mut open = vec![0usize];
        while open.len() < leaves {
            let at = open.swap_remove(rng.below(open.len() as u64) as usize);
            let feature = rng.below(n_features as u64) as u32;
            let split = if feature == 0 {
                Split::Categorical {
                    left: vec![rng.next_u64(), rng.next_u64()],
                }
            } else {
                Split::Numeric {
                    threshold: if fine {
                        rng.normal()
                    } else {
                        GRID[rng.below(GRID.len() as u64) as usize]
                    },
                }
            };
            let (l, r) = (nodes.len() as u32, nodes.len() as u32 + 1);
            nodes[at] = Node {
                feature,
                split,
                left: l,
                right: r,
                default_left: rng.below(2) == 0,
                value: 0.0,
                cover: 2.0,
            };
            nodes.push(Node::leaf(rng.normal(), 1.0));
            nodes.push(Node::leaf(rng.normal(), 1.0));
            open.extend([l as usize, r as usize]);
        }
        Tree { nodes }
    }

    #[test]
    fn swept_and_walked_blocks_equal_the_reference_bit_for_bit() {
        let mut rng = Rng::new(17);
        let n_features = 4;
        // (leaves, outputs, trees, fine thresholds, how they are scored)
        for (leaves, k, n_trees, fine, how) in [
            (31, 1, 12, false, "i8"),
            (3, 3, 12, false, "i8"),
            (31, 1, 40, true, "i16"),
            (200, 2, 12, false, "i16"),
            (400, 1, 12, false, "walk"),
        ] {
            let trees: Vec<Tree> = (0..n_trees)
                .map(|_| random_tree(&mut rng, leaves, n_features, fine))
                .collect();
            let flat = FlatForest::new(&trees, k);

            // With fine thresholds, rows also land exactly on them.
            let ts: Vec<f64> = trees
                .iter()
                .flat_map(|t| &t.nodes)
                .filter_map(|n| match n.split {
                    Split::Numeric { threshold } => Some(threshold),
                    _ => None,
                })
                .collect();
            assert!(!fine || ts.len() > 400);
            let n = 3 * 64 + 5;
            let values = [
                -1.0,
                -0.0,
                0.0,
                0.25,
                0.5,
                1.0,
                2.0,
                3.0,
                70.0,
                127.0,
                128.0,
                1.5,
                -2.0,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1e9,
            ];
            let cols: Vec<Vec<f64>> = (0..n_features - 1)
                .map(|_| {
                    (0..n)
                        .map(|_| match rng.below(4) {
                            0 if fine => ts[rng.below(ts.len() as u64) as usize],
                            _ => values[rng.below(values.len() as u64) as usize],
                        })
                        .collect()
                })
                .collect();
            // The last feature's column is absent (all missing).
            let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            let mut out = vec![0.0; n * k];
            flat.add_columns(&trees, &refs, n_features, n, &mut out);
            let scored = match flat.ranked.get().and_then(Option::as_ref) {
                Some(ranked::Sweep::Narrow(_)) => "i8",
                Some(ranked::Sweep::Wide(_)) => "i16",
                None => "walk",
            };
            assert_eq!(scored, how, "{leaves} leaves");
            for r in 0..n {
                let row: Vec<f64> = (0..n_features)
                    .map(|f| cols.get(f).map_or(f64::NAN, |c| c[r]))
                    .collect();
                let mut want = vec![0.0; k];
                for (t, tree) in trees.iter().enumerate() {
                    want[t % k] += tree.predict(&row);
                }
                let got = &out[r * k..(r + 1) * k];
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(got), bits(&want), "{leaves} leaves, row {r}: {row:?}");
            }
        }
    }
}

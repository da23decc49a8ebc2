//! The scoring tree: flat, cache-friendly, free of training-only types. Shared contract between
//! `train` (which builds it), `model` (which stores and evaluates it) and `explain` (TreeSHAP).

use crate::limits::{check_count, MAX_CATEGORY_CODES, MAX_TREE_DEPTH, MAX_TREE_NODES};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Marks a leaf in [`Node::feature`].
pub const LEAF: u32 = u32::MAX;

/// How an internal node sends a row left or right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Split {
    /// A leaf: no split.
    Leaf,
    /// Numeric feature: `value <= threshold` goes left; NaN (missing) follows `default_left`.
    Numeric {
        /// The split point, in the feature's own units.
        threshold: f64,
    },
    /// Categorical feature: a category code `c` goes left when bit `c` of `left` is set (64 codes
    /// per word); codes beyond the bitset go right; NaN (missing) follows `default_left`.
    Categorical {
        /// Bitset of the category codes that go left.
        left: Vec<u64>,
    },
}

/// One node of a [`Tree`]; node 0 is the root, children always come after their parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Index of the feature split on, or [`LEAF`].
    pub feature: u32,
    /// The split rule (`Split::Leaf` for leaves).
    pub split: Split,
    /// Index of the left child (unused for leaves).
    pub left: u32,
    /// Index of the right child (unused for leaves).
    pub right: u32,
    /// Where missing values go.
    pub default_left: bool,
    /// Output in raw-margin units (log-odds for boosting, probability for random forests): the
    /// leaf value for leaves; for internal nodes the cover-weighted mean of its leaves.
    pub value: f64,
    /// Training weight that reached this node (hessian sum for boosting, rows for forests);
    /// TreeSHAP's "cover". Children's covers sum to their parent's.
    pub cover: f64,
}

/// A decision tree in flat form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// The nodes; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
}

impl Node {
    /// A leaf with output `value` (raw-margin units) reached by training weight `cover`.
    pub fn leaf(value: f64, cover: f64) -> Node {
        Node {
            feature: LEAF,
            split: Split::Leaf,
            left: 0,
            right: 0,
            default_left: false,
            value,
            cover,
        }
    }

    /// Whether this node is a leaf.
    pub fn is_leaf(&self) -> bool {
        self.feature == LEAF
    }

    /// Whether `x` (a numeric value or a category code as `f64`; NaN = missing) goes left.
    #[inline]
    pub fn goes_left(&self, x: f64) -> bool {
        if x.is_nan() {
            return self.default_left;
        }
        match &self.split {
            Split::Numeric { threshold } => x <= *threshold,
            Split::Categorical { left } => {
                // Codes are small non-negative integers; anything else is treated as unseen (right).
                if x < 0.0 || x.fract() != 0.0 {
                    return false;
                }
                let code = x as u64;
                let word = (code / 64) as usize;
                word < left.len() && left[word] & (1u64 << (code % 64)) != 0
            }
            Split::Leaf => true,
        }
    }
}

/// What [`Tree::check`] measured on a valid tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TreeShape {
    /// Depth of the deepest leaf (root = 0).
    pub depth: usize,
    /// Number of leaves.
    pub leaves: usize,
    /// Bitset words over the tree's categorical splits.
    pub bitset_words: usize,
}

impl Tree {
    /// Checks, in one pass without recursion, that the nodes form a tree every walk can follow
    /// safely: node 0 is the root, every other node has exactly one parent that comes before it
    /// (no shared children, no cycles, nothing unreachable), at most [`MAX_TREE_NODES`] nodes and
    /// [`MAX_TREE_DEPTH`] levels, internal nodes split on a feature below `n_features` with a
    /// usable rule (a threshold that is a number, a bitset of at most
    /// `MAX_CATEGORY_CODES / 64` words), leaf values finite and covers finite and ≥ 0.
    ///
    /// # Errors
    /// `Error::Limit` for a tree past a limit, `Error::Model` for one that is not a tree; both
    /// start with `what` (e.g. `tree 3`) and name the node.
    pub fn check(&self, n_features: usize, what: &str) -> Result<TreeShape> {
        let n = self.nodes.len();
        let bad = |msg: String| Error::Model(format!("{what}: {msg}"));
        if n == 0 {
            return Err(bad("no nodes".into()));
        }
        check_count(what, "nodes", n, MAX_TREE_NODES)?;
        const UNREACHED: u16 = u16::MAX;
        let mut depth = vec![UNREACHED; n];
        depth[0] = 0;
        let mut shape = TreeShape::default();
        for (i, node) in self.nodes.iter().enumerate() {
            // Parents come first, so a node no earlier node points to has no parent at all.
            let d = depth[i];
            if d == UNREACHED {
                return Err(bad(format!("node {i} has no parent (not a tree)")));
            }
            if !(node.cover.is_finite() && node.cover >= 0.0) {
                return Err(bad(format!("node {i} has cover {}", node.cover)));
            }
            if node.is_leaf() {
                if !node.value.is_finite() {
                    return Err(bad(format!("leaf {i} has value {}", node.value)));
                }
                shape.leaves += 1;
                shape.depth = shape.depth.max(d as usize);
                continue;
            }
            if node.feature as usize >= n_features {
                return Err(bad(format!(
                    "node {i} splits on feature {} of {n_features}",
                    node.feature
                )));
            }
            match &node.split {
                Split::Leaf => return Err(bad(format!("internal node {i} has no split"))),
                Split::Numeric { threshold } if threshold.is_nan() => {
                    return Err(bad(format!("node {i} has threshold NaN")))
                }
                Split::Numeric { .. } => {}
                Split::Categorical { left } => {
                    check_count(
                        &format!("{what} node {i}"),
                        "category codes in a split",
                        left.len().saturating_mul(64),
                        MAX_CATEGORY_CODES,
                    )?;
                    shape.bitset_words += left.len();
                }
            }
            if d as usize + 1 > MAX_TREE_DEPTH {
                return Err(Error::Limit(format!(
                    "{what}: deeper than {MAX_TREE_DEPTH} levels (node {i} at level {d} has \
                     children), the deepest tree leadforest scores; see the Limits section of the \
                     README"
                )));
            }
            for c in [node.left, node.right] {
                let c = c as usize;
                if c <= i || c >= n {
                    return Err(bad(format!(
                        "node {i} has child {c}, which does not come after it in the tree's {n} nodes"
                    )));
                }
                if depth[c] != UNREACHED {
                    return Err(bad(format!(
                        "node {c} has two parents (not a tree: a shared subtree)"
                    )));
                }
                depth[c] = d + 1;
            }
        }
        Ok(shape)
    }

    /// Index of the leaf `row` lands in (`row[f]` is feature `f`; NaN = missing).
    #[inline]
    pub fn leaf_index(&self, row: &[f64]) -> usize {
        let mut i = 0usize;
        loop {
            let node = &self.nodes[i];
            if node.is_leaf() {
                return i;
            }
            let x = row.get(node.feature as usize).copied().unwrap_or(f64::NAN);
            i = if node.goes_left(x) {
                node.left
            } else {
                node.right
            } as usize;
        }
    }

    /// The tree's output for `row`.
    #[inline]
    pub fn predict(&self, row: &[f64]) -> f64 {
        self.nodes[self.leaf_index(row)].value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_categorical_and_missing_routing() {
        let tree = Tree {
            nodes: vec![
                Node {
                    feature: 0,
                    split: Split::Numeric { threshold: 1.5 },
                    left: 1,
                    right: 2,
                    default_left: false,
                    value: 0.0,
                    cover: 10.0,
                },
                Node::leaf(-1.0, 4.0),
                Node {
                    feature: 1,
                    split: Split::Categorical { left: vec![0b1010] },
                    left: 3,
                    right: 4,
                    default_left: true,
                    value: 0.0,
                    cover: 6.0,
                },
                Node::leaf(2.0, 3.0),
                Node::leaf(3.0, 3.0),
            ],
        };
        assert_eq!(tree.predict(&[1.0, 0.0]), -1.0);
        assert_eq!(tree.predict(&[1.5, 0.0]), -1.0);
        assert_eq!(tree.predict(&[2.0, 1.0]), 2.0);
        assert_eq!(tree.predict(&[2.0, 2.0]), 3.0);
        assert_eq!(tree.predict(&[2.0, 3.0]), 2.0);
        assert_eq!(tree.predict(&[2.0, 1000.0]), 3.0);
        assert_eq!(tree.predict(&[2.0, f64::NAN]), 2.0);
        assert_eq!(tree.predict(&[f64::NAN, 1.0]), 2.0);
    }
}

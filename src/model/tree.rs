//! The scoring tree: flat, cache-friendly, free of training-only types. Shared contract between
//! `train` (which builds it), `model` (which stores and evaluates it) and `explain` (TreeSHAP).

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

impl Tree {
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

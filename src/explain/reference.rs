//! The original path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2), kept for tests
//! only: O(L·D²) time and O(D²) memory per tree, recursion as deep as the tree. The linear-time
//! algorithm in `linear.rs` must give the same contributions (property-tested against this one).

use crate::model::tree::Tree;

/// One element of the path of unique features from the root to the current node.
#[derive(Debug, Clone, Copy, Default)]
struct PathElement {
    /// Feature index, or `ROOT` for the first element.
    feature: u32,
    /// Fraction of the cover that flows down this path when the feature is unknown.
    zero_fraction: f64,
    /// 1 when the row flows down this path when the feature is known, else 0.
    one_fraction: f64,
    /// Proportion of subsets of a given size that reach here (Algorithm 2's `w`).
    pweight: f64,
}

const ROOT: u32 = u32::MAX;

fn extend_path(path: &mut [PathElement], depth: usize, zero: f64, one: f64, feature: u32) {
    path[depth] = PathElement {
        feature,
        zero_fraction: zero,
        one_fraction: one,
        pweight: if depth == 0 { 1.0 } else { 0.0 },
    };
    let d1 = (depth + 1) as f64;
    for i in (0..depth).rev() {
        path[i + 1].pweight += one * path[i].pweight * (i + 1) as f64 / d1;
        path[i].pweight = zero * path[i].pweight * (depth - i) as f64 / d1;
    }
}

fn unwind_path(path: &mut [PathElement], depth: usize, index: usize) {
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let d1 = (depth + 1) as f64;
    let mut next_one_portion = path[depth].pweight;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let tmp = path[i].pweight;
            path[i].pweight = next_one_portion * d1 / ((i + 1) as f64 * one);
            next_one_portion = tmp - path[i].pweight * zero * (depth - i) as f64 / d1;
        } else {
            path[i].pweight = path[i].pweight * d1 / (zero * (depth - i) as f64);
        }
    }
    for i in index..depth {
        path[i].feature = path[i + 1].feature;
        path[i].zero_fraction = path[i + 1].zero_fraction;
        path[i].one_fraction = path[i + 1].one_fraction;
    }
}

fn unwound_path_sum(path: &[PathElement], depth: usize, index: usize) -> f64 {
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let d1 = (depth + 1) as f64;
    let mut next_one_portion = path[depth].pweight;
    let mut total = 0.0;
    for i in (0..depth).rev() {
        if one != 0.0 {
            let tmp = next_one_portion * d1 / ((i + 1) as f64 * one);
            total += tmp;
            next_one_portion = path[i].pweight - tmp * zero * (depth - i) as f64 / d1;
        } else if zero != 0.0 {
            total += path[i].pweight / zero * d1 / (depth - i) as f64;
        }
    }
    total
}

/// Arguments of one recursive step that change per call.
#[derive(Clone, Copy)]
struct Step {
    node: usize,
    depth: usize,
    offset: usize,
    zero: f64,
    one: f64,
    feature: u32,
}

fn recurse(tree: &Tree, row: &[f64], phi: &mut [f64], buf: &mut [PathElement], s: Step) {
    // The parent's path lives at buf[parent_offset..parent_offset + depth]; this node's copy starts
    // right after it, so siblings see their parent's path untouched.
    let start = s.offset + s.depth + 1;
    buf.copy_within(s.offset..s.offset + s.depth, start);
    let mut depth = s.depth;
    extend_path(&mut buf[start..], depth, s.zero, s.one, s.feature);
    let node = &tree.nodes[s.node];
    if node.is_leaf() {
        let path = &buf[start..];
        for i in 1..=depth {
            let w = unwound_path_sum(path, depth, i);
            let el = path[i];
            phi[el.feature as usize] += w * (el.one_fraction - el.zero_fraction) * node.value;
        }
        return;
    }
    let x = row.get(node.feature as usize).copied().unwrap_or(f64::NAN);
    let (fl, fr) = super::child_fractions(tree, node);
    let (hot, cold, hot_zero, cold_zero) = if node.goes_left(x) {
        (node.left, node.right, fl, fr)
    } else {
        (node.right, node.left, fr, fl)
    };
    let (mut in_zero, mut in_one) = (1.0, 1.0);
    if let Some(k) = buf[start..=start + depth]
        .iter()
        .position(|e| e.feature == node.feature)
    {
        // The feature was split on higher up: undo that split and redo it here.
        in_zero = buf[start + k].zero_fraction;
        in_one = buf[start + k].one_fraction;
        unwind_path(&mut buf[start..], depth, k);
        depth -= 1;
    }
    let child = |next: u32, zero: f64, one: f64| Step {
        node: next as usize,
        depth: depth + 1,
        offset: start,
        zero,
        one,
        feature: node.feature,
    };
    // A branch that no subset can reach contributes nothing; skipping it also avoids 0/0.
    if hot_zero * in_zero != 0.0 || in_one != 0.0 {
        recurse(tree, row, phi, buf, child(hot, hot_zero * in_zero, in_one));
    }
    if cold_zero * in_zero != 0.0 {
        recurse(tree, row, phi, buf, child(cold, cold_zero * in_zero, 0.0));
    }
}

/// Adds one tree's SHAP values for `row` to `phi` with the original algorithm (features must be
/// < `phi.len()`; recursion as deep as the tree: test trees only).
pub(crate) fn tree_shap(tree: &Tree, row: &[f64], phi: &mut [f64]) {
    if tree.nodes.is_empty() {
        return;
    }
    let depth = super::max_depth(tree);
    let mut path = vec![PathElement::default(); (depth + 2) * (depth + 3) / 2];
    let step = Step {
        node: 0,
        depth: 0,
        offset: 0,
        zero: 1.0,
        one: 1.0,
        feature: ROOT,
    };
    // The root's copy starts at offset + depth + 1 = 1; slot 0 is never read.
    recurse(tree, row, phi, &mut path, step);
}

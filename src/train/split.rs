//! Split finding on a node's histogram: the best threshold of each numeric feature with the
//! missing-value direction learned, and LightGBM-style categorical splits (categories ordered by
//! smoothed gradient ratio, best prefix taken; one-vs-rest for few categories).

use super::binning::BinnedData;
use super::histogram::{BinStat, Histogram};

/// A set of bins (256 bits) that go left (training-only).
pub(crate) type BinSet = [u64; 4];

/// Whether bin `b` is in `set`.
#[inline]
pub(crate) fn contains(set: &BinSet, b: u8) -> bool {
    set[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
}

#[inline]
fn insert(set: &mut BinSet, b: usize) {
    set[b >> 6] |= 1u64 << (b & 63);
}

/// The set of bins `0..=t` (`t` < 256), a word at a time.
fn bins_up_to(t: usize) -> BinSet {
    let mut set = [0u64; 4];
    for (i, word) in set.iter_mut().enumerate() {
        let below = (t + 1).saturating_sub(i * 64).min(64); // bits of this word in the set
        *word = if below == 64 {
            u64::MAX
        } else {
            (1u64 << below) - 1
        };
    }
    set
}

/// Everything split finding needs from the config.
#[derive(Debug, Clone)]
pub(crate) struct SplitParams {
    /// L2 penalty on leaf values.
    pub l2: f64,
    /// Fewest rows in a child.
    pub min_samples_leaf: f64,
    /// Smallest hessian sum in a child.
    pub min_hessian_leaf: f64,
    /// Smoothing added to the hessian when ordering categories.
    pub cat_smooth: f64,
    /// Extra L2 for many-category splits.
    pub cat_l2: f64,
    /// Most category bins on the smaller side of a categorical split.
    pub max_cat_threshold: usize,
    /// Fewest rows for a category to take part in an ordered categorical split.
    pub min_data_per_group: f64,
    /// Up to this many categories, splits are one-vs-rest.
    pub max_cat_to_onehot: usize,
    /// Smallest gain worth a split.
    pub min_gain: f64,
}

/// The best split found for a node (training-only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SplitInfo {
    /// Feature index.
    pub feature: usize,
    /// Loss reduction.
    pub gain: f64,
    /// Bins that go left (the missing bin included when missing values go left).
    pub left_bins: BinSet,
    /// For numeric splits, the last value bin on the left.
    pub threshold_bin: Option<u8>,
    /// Whether missing values go left.
    pub default_left: bool,
    /// Left child's sums.
    pub left: BinStat,
    /// Right child's sums.
    pub right: BinStat,
}

#[inline]
fn leaf_score(s: &BinStat, l2: f64) -> f64 {
    s.g * s.g / (s.h + l2)
}

impl SplitParams {
    /// Whether both children meet the row and hessian minimums (`&`, not `&&`: no branch, so
    /// [`threshold_gains`]'s loop vectorizes).
    #[inline]
    fn admissible(&self, l: &BinStat, r: &BinStat) -> bool {
        (l.n >= self.min_samples_leaf)
            & (r.n >= self.min_samples_leaf)
            & (l.h >= self.min_hessian_leaf)
            & (r.h >= self.min_hessian_leaf)
    }
}

/// The best split over `features` (ties go to the lowest feature index, so the result never
/// depends on evaluation order), or `None` when nothing beats `min_gain`.
pub(crate) fn best_split(
    data: &BinnedData,
    hist: &Histogram,
    total: &BinStat,
    features: &[usize],
    params: &SplitParams,
) -> Option<SplitInfo> {
    let eval = |&f: &usize| -> Option<SplitInfo> {
        let bins = hist.feature(data, f);
        if data.mappers[f].is_categorical() {
            categorical(f, bins, total, params)
        } else {
            numeric(f, bins, total, params)
        }
    };
    #[cfg(feature = "parallel")]
    let found: Vec<Option<SplitInfo>> = {
        use rayon::prelude::*;
        if features.len() >= 8 && total.n >= 4096.0 {
            features.par_iter().map(eval).collect()
        } else {
            features.iter().map(eval).collect()
        }
    };
    #[cfg(not(feature = "parallel"))]
    let found: Vec<Option<SplitInfo>> = features.iter().map(eval).collect();
    let mut best: Option<SplitInfo> = None;
    for s in found.into_iter().flatten() {
        let better = match &best {
            None => true,
            Some(b) => s.gain > b.gain || (s.gain == b.gain && s.feature < b.feature),
        };
        if better {
            best = Some(s);
        }
    }
    best
}

/// Slots per feature in a histogram (bins are `u8`): value bins plus the missing bin.
const MAX_FEATURE_BINS: usize = 256;

/// The best threshold of a numeric feature: each threshold `t` (value bins `0..=t` left) with
/// missing values right, then left, in increasing `t`; the first strictly best gain wins.
///
/// The left sums are prefix sums in bin order, and every candidate's gain comes from
/// [`threshold_gains`], a loop without branches that vectorizes: the same operations on the same
/// values as evaluating one candidate at a time, so the same gains bit for bit.
fn numeric(f: usize, bins: &[BinStat], total: &BinStat, p: &SplitParams) -> Option<SplitInfo> {
    SCRATCH.with_borrow_mut(|scratch| numeric_in(f, bins, total, p, scratch))
}

/// [`numeric`]'s per-threshold arrays (12 KB), one set per thread, kept between calls: filling
/// fresh arrays on every call cost as much as a tenth of the search. Each call writes the
/// `..m` entries it reads before reading them.
struct NumericScratch {
    left: [[f64; MAX_FEATURE_BINS]; 4],
    gains: [[f64; MAX_FEATURE_BINS]; 2],
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Box<NumericScratch>> =
        std::cell::RefCell::new(Box::new(NumericScratch {
            left: [[0.0; MAX_FEATURE_BINS]; 4],
            gains: [[f64::NAN; MAX_FEATURE_BINS]; 2],
        }));
}

fn numeric_in(
    f: usize,
    bins: &[BinStat],
    total: &BinStat,
    p: &SplitParams,
    scratch: &mut NumericScratch,
) -> Option<SplitInfo> {
    let nv = bins.len() - 1;
    let missing = bins[nv];
    let parent = leaf_score(total, p.l2);
    // Thresholds 0..m (the last value bin would leave nothing on the right but missing values).
    let m = nv.saturating_sub(1).min(MAX_FEATURE_BINS);
    let [lg, lh, ln, count] = &mut scratch.left;
    let mut acc = BinStat::default();
    for (t, b) in bins[..m].iter().enumerate() {
        acc = BinStat {
            g: acc.g + b.g,
            h: acc.h + b.h,
            n: acc.n + b.n,
        };
        (lg[t], lh[t], ln[t], count[t]) = (acc.g, acc.h, acc.n, b.n);
    }
    let left = Prefix {
        g: &lg[..m],
        h: &lh[..m],
        n: &ln[..m],
        count: &count[..m],
    };
    let gains = &mut scratch.gains;
    threshold_gains(&left, None, total, p, parent, &mut gains[0][..m]);
    let with_missing = missing.n != 0.0;
    if with_missing {
        threshold_gains(&left, Some(&missing), total, p, parent, &mut gains[1][..m]);
    }
    // The first strictly best candidate in order is the first whose gain equals the largest
    // (NaN, no candidate, is never greater nor equal). The largest in four independent lanes, so
    // no one chain of comparisons runs through all thresholds.
    let [right_gains, left_gains] = &*gains;
    let (right_gains, left_gains) = (&right_gains[..m], &left_gains[..m]);
    let mut top = largest(right_gains);
    if with_missing {
        top = top.max(largest(left_gains));
    }
    // In candidate order (threshold t with missing values right, then left, then t + 1): the
    // smallest t, and at equal t the right side.
    if top <= p.min_gain {
        return None;
    }
    let on_right = first_equal(right_gains, top);
    let on_left = if with_missing {
        first_equal(left_gains, top)
    } else {
        None
    };
    let (t, missing_left) = match (on_right, on_left) {
        (Some(r), Some(l)) if l < r => (l, true),
        (Some(r), _) => (r, false),
        (None, Some(l)) => (l, true),
        (None, None) => return None,
    };
    // The candidate's own value (of equal gains, -0.0 and 0.0 differ in bits).
    let gain = if missing_left {
        left_gains[t]
    } else {
        right_gains[t]
    };
    let left = if missing_left {
        BinStat {
            g: lg[t] + missing.g,
            h: lh[t] + missing.h,
            n: ln[t] + missing.n,
        }
    } else {
        BinStat {
            g: lg[t],
            h: lh[t],
            n: ln[t],
        }
    };
    let mut left_bins = bins_up_to(t);
    let right = total.minus(&left);
    // With no missing values in training, unseen missing values follow the bigger side.
    let default_left = if missing.n > 0.0 {
        missing_left
    } else {
        left.n >= right.n
    };
    if default_left {
        insert(&mut left_bins, nv);
    }
    Some(SplitInfo {
        feature: f,
        gain,
        left_bins,
        threshold_bin: Some(t as u8),
        default_left,
        left,
        right,
    })
}

/// The first index of `xs` holding `top` (NaN never does): eight values at a time without a
/// branch per value, then the one chunk that has it.
fn first_equal(xs: &[f64], top: f64) -> Option<usize> {
    let mut chunks = xs.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        if c.iter().fold(false, |found, &x| found | (x == top)) {
            return c.iter().position(|&x| x == top).map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x == top)
        .map(|i| at + i)
}

/// The largest non-NaN value (−∞ for none).
fn largest(xs: &[f64]) -> f64 {
    let mut lanes = [f64::NEG_INFINITY; 4];
    let mut chunks = xs.chunks_exact(4);
    for c in &mut chunks {
        for (lane, &x) in lanes.iter_mut().zip(c) {
            if x > *lane {
                *lane = x;
            }
        }
    }
    for &x in chunks.remainder() {
        if x > lanes[0] {
            lanes[0] = x;
        }
    }
    lanes
        .into_iter()
        .fold(f64::NEG_INFINITY, |a, b| if b > a { b } else { a })
}

/// A numeric feature's left sums at each threshold and each threshold bin's own row count.
struct Prefix<'a> {
    g: &'a [f64],
    h: &'a [f64],
    n: &'a [f64],
    count: &'a [f64],
}

/// Each threshold's gain with the `missing` sums added to the left side (or none), NaN where the
/// threshold is no candidate: its bin is empty (the same partition as the threshold before) or
/// a child is below the row or hessian minimum.
#[inline(always)]
fn threshold_gains(
    left: &Prefix,
    missing: Option<&BinStat>,
    total: &BinStat,
    p: &SplitParams,
    parent: f64,
    out: &mut [f64],
) {
    // The candidate's gain as `categorical` and the reference search compute it.
    let one = |g: f64, h: f64, n: f64, count: f64| -> f64 {
        let left = BinStat { g, h, n };
        let right = total.minus(&left);
        let gain = leaf_score(&left, p.l2) + leaf_score(&right, p.l2) - parent;
        if (count != 0.0) & p.admissible(&left, &right) {
            gain
        } else {
            f64::NAN
        }
    };
    let n = out.len();
    let (lg, lh, ln, count) = (&left.g[..n], &left.h[..n], &left.n[..n], &left.count[..n]);
    match missing {
        None => {
            for t in 0..n {
                out[t] = one(lg[t], lh[t], ln[t], count[t]);
            }
        }
        Some(ms) => {
            for t in 0..n {
                out[t] = one(lg[t] + ms.g, lh[t] + ms.h, ln[t] + ms.n, count[t]);
            }
        }
    }
}

fn categorical(f: usize, bins: &[BinStat], total: &BinStat, p: &SplitParams) -> Option<SplitInfo> {
    let nv = bins.len() - 1; // the missing bin takes part like any category
    let used: Vec<usize> = (0..bins.len()).filter(|&b| bins[b].n > 0.0).collect();
    if used.len() < 2 {
        return None;
    }
    let parent = leaf_score(total, p.l2);
    let mut best: Option<(f64, Vec<usize>, BinStat)> = None;
    if used.len() <= p.max_cat_to_onehot {
        for &b in &used {
            let left = bins[b];
            let right = total.minus(&left);
            if !p.admissible(&left, &right) {
                continue;
            }
            let gain = leaf_score(&left, p.l2) + leaf_score(&right, p.l2) - parent;
            if gain > p.min_gain && best.as_ref().is_none_or(|x| gain > x.0) {
                best = Some((gain, vec![b], left));
            }
        }
    } else {
        let mut cands: Vec<usize> = used
            .iter()
            .copied()
            .filter(|&b| bins[b].n >= p.min_data_per_group)
            .collect();
        let ratio = |b: usize| bins[b].g / (bins[b].h + p.cat_smooth);
        cands.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)).then(a.cmp(&b)));
        let l2 = p.l2 + p.cat_l2;
        let max_take = p.max_cat_threshold.min(used.len().div_ceil(2)).max(1);
        for reverse in [false, true] {
            let mut acc = BinStat::default();
            let mut taken: Vec<usize> = Vec::new();
            for i in 0..cands.len().min(max_take) {
                let b = if reverse {
                    cands[cands.len() - 1 - i]
                } else {
                    cands[i]
                };
                acc = BinStat {
                    g: acc.g + bins[b].g,
                    h: acc.h + bins[b].h,
                    n: acc.n + bins[b].n,
                };
                taken.push(b);
                let right = total.minus(&acc);
                if right.n < p.min_samples_leaf || right.h < p.min_hessian_leaf {
                    break;
                }
                if !p.admissible(&acc, &right) {
                    continue;
                }
                let gain = leaf_score(&acc, l2) + leaf_score(&right, l2) - parent;
                if gain > p.min_gain && best.as_ref().is_none_or(|x| gain > x.0) {
                    best = Some((gain, taken.clone(), acc));
                }
            }
        }
    }
    let (gain, left_set, left) = best?;
    let mut left_bins = [0u64; 4];
    for &b in &left_set {
        insert(&mut left_bins, b);
    }
    let right = total.minus(&left);
    let default_left = if bins[nv].n > 0.0 {
        left_set.contains(&nv)
    } else {
        false // unseen and missing categories go right, with the rest
    };
    if default_left {
        insert(&mut left_bins, nv);
    }
    Some(SplitInfo {
        feature: f,
        gain,
        left_bins,
        threshold_bin: None,
        default_left,
        left,
        right,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-candidate-at-a-time threshold search `numeric` replaced: (gain, threshold,
    /// missing left, left sums).
    fn numeric_reference(
        bins: &[BinStat],
        total: &BinStat,
        p: &SplitParams,
    ) -> Option<(f64, usize, bool, BinStat)> {
        let nv = bins.len() - 1;
        let missing = bins[nv];
        let parent = leaf_score(total, p.l2);
        let mut best: Option<(f64, usize, bool, BinStat)> = None;
        let mut acc = BinStat::default();
        for (t, b) in bins.iter().enumerate().take(nv.saturating_sub(1)) {
            acc = BinStat {
                g: acc.g + b.g,
                h: acc.h + b.h,
                n: acc.n + b.n,
            };
            if b.n == 0.0 {
                continue; // same partition as the previous threshold
            }
            for missing_left in [false, true] {
                if missing_left && missing.n == 0.0 {
                    continue;
                }
                let left = if missing_left {
                    BinStat {
                        g: acc.g + missing.g,
                        h: acc.h + missing.h,
                        n: acc.n + missing.n,
                    }
                } else {
                    acc
                };
                let right = total.minus(&left);
                if !p.admissible(&left, &right) {
                    continue;
                }
                let gain = leaf_score(&left, p.l2) + leaf_score(&right, p.l2) - parent;
                if gain > p.min_gain && best.as_ref().is_none_or(|b| gain > b.0) {
                    best = Some((gain, t, missing_left, left));
                }
            }
        }
        best
    }

    #[test]
    fn bins_up_to_is_the_prefix_set() {
        for t in 0..256 {
            let set = bins_up_to(t);
            for b in 0..=255u8 {
                assert_eq!(contains(&set, b), b as usize <= t, "t {t} bin {b}");
            }
        }
    }

    #[test]
    fn vectorized_threshold_search_is_the_one_at_a_time_search_bit_for_bit() {
        let mut rng = crate::rng::Rng::new(17);
        for case in 0..3000 {
            let len = 2 + rng.below(255) as usize;
            let bins: Vec<BinStat> = (0..len)
                .map(|_| match rng.below(6) {
                    // Empty bins, some with the residue histogram subtraction leaves.
                    0 => s(0.0, 0.0, 0.0),
                    1 => s((rng.next_f64() - 0.5) * 1e-16, 1e-18 * rng.next_f64(), 0.0),
                    _ => {
                        let n = 1.0 + rng.below(40) as f64;
                        let h = n * 0.25 * rng.next_f64();
                        s((rng.next_f64() - 0.5) * n, h, n)
                    }
                })
                .collect();
            let mut bins = bins;
            if case % 3 == 0 {
                bins[len - 1] = s(0.0, 0.0, 0.0); // no missing values
            }
            let p = SplitParams {
                l2: [0.0, 1.0, 0.1][case % 3],
                min_samples_leaf: [1.0, 5.0, 20.0, 60.0][case % 4],
                min_hessian_leaf: [0.0, 1e-3, 2.0][case % 3],
                min_gain: [0.0, 1e-12, 0.5][case % 3],
                ..params()
            };
            let total = sum(&bins);
            let want = numeric_reference(&bins, &total, &p);
            let got = numeric(3, &bins, &total, &p);
            match (want, got) {
                (None, None) => {}
                (Some((gain, t, missing_left, left)), Some(got)) => {
                    assert_eq!(gain.to_bits(), got.gain.to_bits(), "case {case}");
                    assert_eq!(Some(t as u8), got.threshold_bin, "case {case}");
                    assert_eq!(left, got.left, "case {case}");
                    if bins[len - 1].n > 0.0 {
                        assert_eq!(missing_left, got.default_left, "case {case}");
                    }
                }
                (want, got) => panic!("case {case}: {want:?} vs {got:?}"),
            }
        }
    }

    fn params() -> SplitParams {
        SplitParams {
            l2: 0.0,
            min_samples_leaf: 1.0,
            min_hessian_leaf: 0.0,
            cat_smooth: 0.0,
            cat_l2: 0.0,
            max_cat_threshold: 32,
            min_data_per_group: 1.0,
            max_cat_to_onehot: 4,
            min_gain: 0.0,
        }
    }

    fn s(g: f64, h: f64, n: f64) -> BinStat {
        BinStat { g, h, n }
    }

    fn sum(bins: &[BinStat]) -> BinStat {
        bins.iter().fold(BinStat::default(), |a, b| {
            s(a.g + b.g, a.h + b.h, a.n + b.n)
        })
    }

    #[test]
    fn numeric_gain_matches_the_formula_and_missing_goes_where_it_helps() {
        // Bins 0,1,2 then missing. Bin 0 is negative, bins 1-2 positive, missing positive.
        let bins = [
            s(-4.0, 2.0, 2.0),
            s(3.0, 2.0, 2.0),
            s(3.0, 2.0, 2.0),
            s(2.0, 1.0, 1.0),
        ];
        let total = sum(&bins);
        let best = numeric(0, &bins, &total, &params()).unwrap();
        assert_eq!(best.threshold_bin, Some(0));
        assert!(!best.default_left);
        // G_L²/H_L + G_R²/H_R − G²/H = 16/2 + 64/5 − 16/7
        let expected = 16.0 / 2.0 + 64.0 / 5.0 - 16.0 / 7.0;
        assert!((best.gain - expected).abs() < 1e-12, "{}", best.gain);
        assert!(contains(&best.left_bins, 0) && !contains(&best.left_bins, 3));

        // A negative missing bin joins the negative side.
        let bins = [
            s(-4.0, 2.0, 2.0),
            s(3.0, 2.0, 2.0),
            s(3.0, 2.0, 2.0),
            s(-2.0, 1.0, 1.0),
        ];
        let best = numeric(0, &bins, &sum(&bins), &params()).unwrap();
        assert!(best.default_left && contains(&best.left_bins, 3));
        assert_eq!(best.left.n, 3.0);
    }

    #[test]
    fn min_samples_leaf_blocks_small_children() {
        let bins = [s(-4.0, 1.0, 1.0), s(3.0, 2.0, 2.0), s(0.0, 0.0, 0.0)];
        let mut p = params();
        p.min_samples_leaf = 2.0;
        assert!(numeric(0, &bins, &sum(&bins), &p).is_none());
    }

    #[test]
    fn categorical_groups_categories_by_gradient_ratio() {
        // Six categories (+ empty missing bin): 0, 2, 4 negative; 1, 3, 5 positive.
        let bins = [
            s(-3.0, 1.0, 3.0),
            s(2.0, 1.0, 3.0),
            s(-2.5, 1.0, 3.0),
            s(3.0, 1.0, 3.0),
            s(-2.0, 1.0, 3.0),
            s(2.5, 1.0, 3.0),
            s(0.0, 0.0, 0.0),
        ];
        let best = categorical(0, &bins, &sum(&bins), &params()).unwrap();
        let left: Vec<u8> = (0..7).filter(|&b| contains(&best.left_bins, b)).collect();
        assert!(left == vec![0, 2, 4] || left == vec![1, 3, 5], "{left:?}");
        assert!((best.gain - (7.5f64.powi(2) / 3.0 * 2.0)).abs() < 1e-9);
    }
}

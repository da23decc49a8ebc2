//! Binning: every feature value becomes a `u8` bin. Numeric features get quantile bins (at most
//! `max_bins`, cut points chosen from the data), categorical features one bin per frequent
//! category plus one shared bin for rare ones; every feature has a last bin for missing values.
//! Training works on bins only; the cut points turn bin splits back into raw thresholds.

use crate::data::{Dataset, FeatureKind};
use crate::rng::Rng;

/// Rows sampled to choose numeric cut points (as LightGBM's `bin_construct_sample_cnt`).
const BIN_SAMPLE_ROWS: usize = 200_000;

/// How one feature's values map to bins (training-only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BinMapper {
    /// Value bins `0..uppers.len() + 1`; bin `b` holds values `<= uppers[b]` (and above
    /// `uppers[b - 1]`); the last value bin is unbounded. Missing = `n_bins() - 1`.
    Numeric {
        /// Upper cut points, increasing.
        uppers: Vec<f64>,
    },
    /// `code_bin[code]` is the bin of category `code` (`u8::MAX`-free: unseen codes map to the
    /// shared bin when there is one, else to the missing bin). Missing = `n_bins() - 1`.
    Categorical {
        /// Bin per category code.
        code_bin: Vec<u8>,
        /// Number of value bins (frequent categories, then the shared rare bin if any).
        n_value_bins: u16,
        /// Codes seen in training, per value bin (for turning bin sets back into code sets).
        bin_codes: Vec<Vec<u32>>,
    },
}

impl BinMapper {
    /// Total bins including the missing bin (≤ 256).
    pub fn n_bins(&self) -> usize {
        match self {
            BinMapper::Numeric { uppers } => uppers.len() + 2,
            BinMapper::Categorical { n_value_bins, .. } => *n_value_bins as usize + 1,
        }
    }

    /// The missing-value bin.
    pub fn missing_bin(&self) -> u8 {
        (self.n_bins() - 1) as u8
    }

    /// Whether the feature is categorical.
    pub fn is_categorical(&self) -> bool {
        matches!(self, BinMapper::Categorical { .. })
    }

    /// The bin of a raw value.
    pub fn bin(&self, x: f64) -> u8 {
        if x.is_nan() {
            return self.missing_bin();
        }
        match self {
            BinMapper::Numeric { uppers } => uppers.partition_point(|u| *u < x) as u8,
            BinMapper::Categorical { code_bin, .. } => {
                if whole_below(x, code_bin.len()) {
                    code_bin[x as usize]
                } else {
                    self.missing_bin()
                }
            }
        }
    }

    /// Builds the mapper for one feature from the values of the given rows.
    pub fn fit(kind: &FeatureKind, values: &[f64], rows: &[u32], options: &BinningOptions) -> Self {
        match kind {
            FeatureKind::Numeric => {
                let mut v: Vec<f64> = rows
                    .iter()
                    .map(|&r| values[r as usize])
                    .filter(|x| !x.is_nan())
                    .collect();
                v.sort_by(f64::total_cmp);
                BinMapper::Numeric {
                    uppers: numeric_cuts(&v, options.max_bins),
                }
            }
            FeatureKind::Categorical { categories } => {
                let mut counts = vec![0u64; categories.len()];
                for &r in rows {
                    let x = values[r as usize];
                    if whole_below(x, counts.len()) {
                        counts[x as usize] += 1;
                    }
                }
                categorical_bins(&counts, options)
            }
        }
    }
}

/// Whether `x` is a whole number in `0..len`, as `x >= 0.0 && x.fract() == 0.0 && (x as u64) <
/// len` but without `fract` (a libm call per value): below `len` the cast is exact iff x is whole.
#[inline]
fn whole_below(x: f64, len: usize) -> bool {
    x >= 0.0 && x < len as f64 && (x as u64) as f64 == x
}

/// Settings for [`BinMapper::fit`].
#[derive(Debug, Clone)]
pub(crate) struct BinningOptions {
    /// Most value bins per feature, in 2..=255.
    pub max_bins: usize,
    /// Categories seen in fewer rows share one bin.
    pub rare_category_rows: u64,
}

/// Cut points for sorted, non-missing values: each distinct value keeps its own bin when there
/// are few; otherwise bins hold about equal counts, and a heavy value never shares a bin.
fn numeric_cuts(sorted: &[f64], max_bins: usize) -> Vec<f64> {
    let mut distinct: Vec<(f64, u64)> = Vec::new();
    for &x in sorted {
        match distinct.last_mut() {
            Some((v, c)) if *v == x => *c += 1,
            _ => distinct.push((x, 1)),
        }
    }
    if distinct.len() <= 1 {
        return Vec::new();
    }
    let mut uppers = Vec::new();
    if distinct.len() <= max_bins {
        for w in distinct.windows(2) {
            uppers.push(midpoint(w[0].0, w[1].0));
        }
        return uppers;
    }
    // Greedy equal-count bins over distinct values; the target is recomputed from what is left so
    // heavy values do not starve the tail of bins.
    let mut remaining: u64 = sorted.len() as u64;
    let mut bins_left = max_bins as u64;
    let mut in_bin = 0u64;
    for (i, &(v, c)) in distinct.iter().enumerate() {
        in_bin += c;
        let target = remaining.div_ceil(bins_left.max(1));
        let last = i + 1 == distinct.len();
        if !last && in_bin >= target && bins_left > 1 {
            uppers.push(midpoint(v, distinct[i + 1].0));
            remaining -= in_bin;
            bins_left -= 1;
            in_bin = 0;
        }
    }
    uppers
}

/// A cut strictly between `a < b` such that `a <= cut < b`.
fn midpoint(a: f64, b: f64) -> f64 {
    let m = a + (b - a) / 2.0;
    if m >= b || !m.is_finite() {
        a
    } else {
        m
    }
}

fn categorical_bins(counts: &[u64], options: &BinningOptions) -> BinMapper {
    let mut order: Vec<u32> = (0..counts.len() as u32)
        .filter(|&c| counts[c as usize] > 0)
        .collect();
    // Most frequent first; ties by code, so the result never depends on anything but the data.
    order.sort_by(|&a, &b| counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b)));
    let max_own = options.max_bins.min(255) - 1; // keep one bin for the rare group
    let mut bin_codes: Vec<Vec<u32>> = Vec::new();
    let mut rare: Vec<u32> = Vec::new();
    for &c in &order {
        if counts[c as usize] >= options.rare_category_rows && bin_codes.len() < max_own {
            bin_codes.push(vec![c]);
        } else {
            rare.push(c);
        }
    }
    if !rare.is_empty() {
        rare.sort_unstable();
        bin_codes.push(rare);
    }
    let n_value_bins = bin_codes.len() as u16;
    // Codes never seen in training behave as missing.
    let mut code_bin = vec![n_value_bins as u8; counts.len()];
    for (b, codes) in bin_codes.iter().enumerate() {
        for &c in codes {
            code_bin[c as usize] = b as u8;
        }
    }
    BinMapper::Categorical {
        code_bin,
        n_value_bins,
        bin_codes,
    }
}

/// The binned feature matrix, row-major (`bins[row * n_features + feature]`) so that the rows of
/// a node are read contiguously when building histograms.
#[derive(Debug, Clone)]
pub(crate) struct BinnedData {
    /// One mapper per feature.
    pub mappers: Vec<BinMapper>,
    /// Row-major bins.
    pub bins: Vec<u8>,
    /// Number of features.
    pub n_features: usize,
    /// Number of rows.
    pub n_rows: usize,
    /// Offset of each feature's first bin in a histogram; `offsets[n_features]` is the total.
    pub offsets: Vec<usize>,
}

impl BinnedData {
    /// Bins every row of `data`, choosing cut points from (a seeded sample of) all rows.
    pub fn new(data: &Dataset, options: &BinningOptions, seed: u64) -> Self {
        let n_rows = data.n_rows();
        let sample: Vec<u32> = if n_rows <= BIN_SAMPLE_ROWS {
            (0..n_rows as u32).collect()
        } else {
            let mut rng = Rng::new(seed).fork(0xB1A5);
            let mut keep: Vec<u32> = (0..n_rows as u32)
                .filter(|_| rng.below(n_rows as u64) < BIN_SAMPLE_ROWS as u64)
                .collect();
            keep.shrink_to_fit();
            keep
        };
        let mappers: Vec<BinMapper> = data
            .features
            .iter()
            .map(|f| BinMapper::fit(&f.kind, &f.values, &sample, options))
            .collect();
        let n_features = mappers.len();
        let mut bins = vec![0u8; n_rows * n_features];
        for (j, (f, m)) in data.features.iter().zip(&mappers).enumerate() {
            for (r, &x) in f.values.iter().enumerate().take(n_rows) {
                bins[r * n_features + j] = m.bin(x);
            }
        }
        let mut offsets = Vec::with_capacity(n_features + 1);
        let mut total = 0;
        for m in &mappers {
            offsets.push(total);
            total += m.n_bins();
        }
        offsets.push(total);
        BinnedData {
            mappers,
            bins,
            n_features,
            n_rows,
            offsets,
        }
    }

    /// The bins of one row, one per feature.
    #[inline]
    pub fn row(&self, r: usize) -> &[u8] {
        &self.bins[r * self.n_features..(r + 1) * self.n_features]
    }

    /// Total histogram bins over all features.
    pub fn total_bins(&self) -> usize {
        self.offsets[self.n_features]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(max_bins: usize) -> BinningOptions {
        BinningOptions {
            max_bins,
            rare_category_rows: 3,
        }
    }

    #[test]
    fn few_distinct_values_get_one_bin_each_with_midpoint_cuts() {
        let values = [3.0, 1.0, 2.0, 2.0, f64::NAN, 1.0];
        let rows: Vec<u32> = (0..6).collect();
        let m = BinMapper::fit(&FeatureKind::Numeric, &values, &rows, &opts(255));
        assert_eq!(
            m,
            BinMapper::Numeric {
                uppers: vec![1.5, 2.5]
            }
        );
        assert_eq!(m.n_bins(), 4);
        assert_eq!(m.bin(1.0), 0);
        assert_eq!(m.bin(1.5), 0);
        assert_eq!(m.bin(1.6), 1);
        assert_eq!(m.bin(100.0), 2);
        assert_eq!(m.bin(f64::NAN), 3);
    }

    #[test]
    fn quantile_bins_respect_the_limit_and_split_counts_evenly() {
        let values: Vec<f64> = (0..1000).map(|i| i as f64).collect();
        let rows: Vec<u32> = (0..1000).collect();
        let m = BinMapper::fit(&FeatureKind::Numeric, &values, &rows, &opts(10));
        assert_eq!(m.n_bins(), 11);
        let mut counts = [0u32; 11];
        for &x in &values {
            counts[m.bin(x) as usize] += 1;
        }
        assert!(counts[..10].iter().all(|&c| c == 100), "{counts:?}");
    }

    #[test]
    fn a_heavy_value_keeps_its_own_bin() {
        let mut values = vec![0.0; 900];
        values.extend((1..=100).map(|i| i as f64));
        let rows: Vec<u32> = (0..values.len() as u32).collect();
        let m = BinMapper::fit(&FeatureKind::Numeric, &values, &rows, &opts(8));
        assert_eq!(m.bin(0.0), 0);
        assert_eq!(m.bin(1.0), 1);
        assert!(m.n_bins() <= 9);
    }

    #[test]
    fn rare_categories_share_a_bin_and_unseen_codes_are_missing() {
        let kind = FeatureKind::Categorical {
            categories: (0..5).map(|i| i.to_string()).collect(),
        };
        // code 0 ×5, code 1 ×3, code 2 ×1, code 3 ×1, code 4 never.
        let values = [0., 0., 0., 0., 0., 1., 1., 1., 2., 3.];
        let rows: Vec<u32> = (0..10).collect();
        let m = BinMapper::fit(&kind, &values, &rows, &opts(255));
        assert_eq!(m.bin(0.0), 0);
        assert_eq!(m.bin(1.0), 1);
        assert_eq!(m.bin(2.0), 2);
        assert_eq!(m.bin(3.0), 2);
        assert_eq!(m.bin(4.0), 3, "unseen code goes to the missing bin");
        assert_eq!(m.bin(f64::NAN), 3);
        assert_eq!(m.bin(7.0), 3);
    }
}

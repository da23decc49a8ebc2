//! Gradient histograms: per feature and bin, the sums of gradients, hessians and rows of a node.
//! The smaller child's histogram is built from its rows; the larger one is the parent's minus
//! the smaller's (histogram subtraction), which halves the work per split.

use super::binning::BinnedData;

/// Gradient, hessian and row sums for one bin (training-only).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct BinStat {
    /// Sum of gradients.
    pub g: f64,
    /// Sum of hessians.
    pub h: f64,
    /// Number of rows (counting bootstrap repeats once each).
    pub n: f64,
}

impl BinStat {
    #[inline]
    fn add(&mut self, o: &BinStat) {
        self.g += o.g;
        self.h += o.h;
        self.n += o.n;
    }

    /// `self - o`, for the other side of a split.
    #[inline]
    pub fn minus(&self, o: &BinStat) -> BinStat {
        BinStat {
            g: self.g - o.g,
            h: self.h - o.h,
            n: self.n - o.n,
        }
    }
}

/// Rows per chunk when building a histogram. Chunks are summed in chunk order, so the result is
/// the same with one thread or many (it depends on this constant, never on the thread count).
const CHUNK_ROWS: usize = 16_384;

/// A node's histogram over all features (`stats[offsets[f] + bin]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Histogram {
    /// One entry per (feature, bin).
    pub stats: Vec<BinStat>,
}

impl Histogram {
    /// Builds the histogram of `rows` (indices into `data`) with per-row gradients and hessians.
    pub fn build(data: &BinnedData, rows: &[u32], grad: &[f64], hess: &[f64]) -> Histogram {
        let total = data.total_bins();
        if rows.len() <= CHUNK_ROWS {
            let mut stats = vec![BinStat::default(); total];
            accumulate(data, rows, grad, hess, &mut stats);
            return Histogram { stats };
        }
        let chunks: Vec<&[u32]> = rows.chunks(CHUNK_ROWS).collect();
        let build_one = |chunk: &&[u32]| {
            let mut stats = vec![BinStat::default(); total];
            accumulate(data, chunk, grad, hess, &mut stats);
            stats
        };
        #[cfg(feature = "parallel")]
        let parts: Vec<Vec<BinStat>> = {
            use rayon::prelude::*;
            chunks.par_iter().map(build_one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let parts: Vec<Vec<BinStat>> = chunks.iter().map(build_one).collect();
        let mut iter = parts.into_iter();
        let mut stats = iter
            .next()
            .unwrap_or_else(|| vec![BinStat::default(); total]);
        for part in iter {
            for (s, p) in stats.iter_mut().zip(&part) {
                s.add(p);
            }
        }
        Histogram { stats }
    }

    /// Turns the parent's histogram into the larger child's by subtracting the smaller child's.
    pub fn subtract(&mut self, smaller: &Histogram) {
        for (s, o) in self.stats.iter_mut().zip(&smaller.stats) {
            *s = s.minus(o);
        }
    }

    /// The bins of feature `f`.
    #[inline]
    pub fn feature<'a>(&'a self, data: &BinnedData, f: usize) -> &'a [BinStat] {
        &self.stats[data.offsets[f]..data.offsets[f + 1]]
    }
}

fn accumulate(data: &BinnedData, rows: &[u32], grad: &[f64], hess: &[f64], stats: &mut [BinStat]) {
    let nf = data.n_features;
    let offsets = &data.offsets[..nf];
    for &r in rows {
        let r = r as usize;
        let (g, h) = (grad[r], hess[r]);
        let row = &data.bins[r * nf..r * nf + nf];
        for (&b, &off) in row.iter().zip(offsets) {
            let s = &mut stats[off + b as usize];
            s.g += g;
            s.h += h;
            s.n += 1.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Dataset, Feature, FeatureKind, Pipeline};
    use crate::rng::Rng;
    use crate::train::binning::BinningOptions;

    fn data(n: usize) -> (BinnedData, Vec<f64>, Vec<f64>) {
        let mut rng = Rng::new(3);
        let num: Vec<f64> = (0..n)
            .map(|_| {
                if rng.below(10) == 0 {
                    f64::NAN
                } else {
                    rng.normal()
                }
            })
            .collect();
        let cat: Vec<f64> = (0..n).map(|_| rng.below(6) as f64).collect();
        let ds = Dataset {
            features: vec![
                Feature {
                    name: "x".into(),
                    source: "x".into(),
                    kind: FeatureKind::Numeric,
                    values: num,
                },
                Feature {
                    name: "c".into(),
                    source: "c".into(),
                    kind: FeatureKind::Categorical {
                        categories: (0..6).map(|i| format!("c{i}")).collect(),
                    },
                    values: cat,
                },
            ],
            labels: vec![0; n],
            class_names: vec!["no".into(), "yes".into()],
            time_key: None,
            pipeline: Pipeline::default(),
            notes: vec![],
        };
        let binned = BinnedData::new(
            &ds,
            &BinningOptions {
                max_bins: 32,
                rare_category_rows: 1,
            },
            1,
        );
        let grad = (0..n).map(|_| rng.normal()).collect();
        let hess = (0..n).map(|_| rng.next_f64()).collect();
        (binned, grad, hess)
    }

    #[test]
    fn subtraction_equals_a_rebuilt_histogram() {
        let (binned, grad, hess) = data(40_000);
        let all: Vec<u32> = (0..40_000).collect();
        let (small, large): (Vec<u32>, Vec<u32>) = all.iter().partition(|&&r| r % 7 == 0);
        let mut parent = Histogram::build(&binned, &all, &grad, &hess);
        let smaller = Histogram::build(&binned, &small, &grad, &hess);
        let rebuilt = Histogram::build(&binned, &large, &grad, &hess);
        parent.subtract(&smaller);
        assert_eq!(parent.stats.len(), rebuilt.stats.len());
        for (a, b) in parent.stats.iter().zip(&rebuilt.stats) {
            assert_eq!(a.n, b.n);
            assert!((a.g - b.g).abs() < 1e-9, "{a:?} vs {b:?}");
            assert!((a.h - b.h).abs() < 1e-9, "{a:?} vs {b:?}");
        }
        // Every feature's bins add up to the same row count.
        for f in 0..2 {
            let n: f64 = rebuilt.feature(&binned, f).iter().map(|s| s.n).sum();
            assert_eq!(n, large.len() as f64);
        }
    }

    #[test]
    fn chunked_build_matches_a_plain_sum() {
        let (binned, grad, hess) = data(50_000);
        let rows: Vec<u32> = (0..50_000).rev().collect();
        let h = Histogram::build(&binned, &rows, &grad, &hess);
        let mut plain = vec![BinStat::default(); binned.total_bins()];
        accumulate(&binned, &rows, &grad, &hess, &mut plain);
        for (a, b) in h.stats.iter().zip(&plain) {
            assert_eq!(a.n, b.n);
            assert!((a.g - b.g).abs() < 1e-9);
        }
    }
}

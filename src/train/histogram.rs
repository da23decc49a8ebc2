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
    #[cfg(test)]
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

/// One chunk's sums while accumulating: per built feature, 256 slots indexed by the `u8` bin (so
/// the hot loop needs no bounds check), gradient and hessian as one pair (one 128-bit add) and
/// the row count as an integer. Counts are whole numbers far below 2^53, so summing them as
/// integers and converting once gives exactly the `f64` sums of adding `1.0` per row.
struct Part {
    gh: Vec<[[f64; 2]; 256]>,
    n: Vec<[u32; 256]>,
}

impl Part {
    fn new(n_features: usize) -> Part {
        Part {
            gh: vec![[[0.0; 2]; 256]; n_features],
            n: vec![[0; 256]; n_features],
        }
    }

    /// Adds `o` bin by bin (after `self`, so chunks are summed in chunk order).
    fn add(&mut self, o: &Part) {
        for (a, b) in self.gh.iter_mut().zip(&o.gh) {
            for (x, y) in a.iter_mut().zip(b) {
                x[0] += y[0];
                x[1] += y[1];
            }
        }
        for (a, b) in self.n.iter_mut().zip(&o.n) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
}

/// A node's histogram over all features (`stats[offsets[f] + bin]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Histogram {
    /// One entry per (feature, bin); only the built features' entries are meaningful (the
    /// others hold whatever a pooled buffer held before).
    pub stats: Vec<BinStat>,
}

/// Histogram buffers to reuse, so that growing trees does not allocate and zero a histogram
/// over every feature at each split (at 10k rows that was a tenth of training): a buffer taken
/// from the pool is zeroed only over the features about to be built.
#[derive(Debug, Default)]
pub(crate) struct HistogramPool {
    free: Vec<Vec<BinStat>>,
}

impl HistogramPool {
    /// A buffer of `data.total_bins()` entries, zero over `features`' bins.
    fn take(&mut self, data: &BinnedData, features: &[usize]) -> Vec<BinStat> {
        match self.free.pop() {
            Some(mut stats) if stats.len() == data.total_bins() => {
                for &f in features {
                    stats[data.offsets[f]..data.offsets[f + 1]].fill(BinStat::default());
                }
                stats
            }
            _ => vec![BinStat::default(); data.total_bins()],
        }
    }

    /// Returns a histogram's buffer for reuse.
    pub fn give(&mut self, h: Histogram) {
        self.free.push(h.stats);
    }
}

impl Histogram {
    /// Builds the histogram of `rows` (indices into `data`) over `features` (increasing feature
    /// indices; the other features' entries are left as the pooled buffer held them) with per-row
    /// `[gradient, hessian]` pairs.
    pub fn build(
        data: &BinnedData,
        rows: &[u32],
        gh: &[[f64; 2]],
        features: &[usize],
        pool: &mut HistogramPool,
    ) -> Histogram {
        let nf = features.len();
        if rows.len() <= CHUNK_ROWS {
            // One chunk: straight into the histogram (no 256-slot chunk buffers to zero and
            // convert, which cost more than the rows in the many small nodes of a tree). The
            // same adds in the same row order; counts as `f64` += 1.0 are exact integers.
            let mut stats = pool.take(data, features);
            accumulate_into(data, rows, gh, features, &mut stats);
            return Histogram { stats };
        }
        let part = {
            let chunks: Vec<&[u32]> = rows.chunks(CHUNK_ROWS).collect();
            let build_one = |chunk: &&[u32]| {
                let mut part = Part::new(nf);
                accumulate(data, chunk, gh, features, &mut part);
                part
            };
            #[cfg(feature = "parallel")]
            let parts: Vec<Part> = {
                use rayon::prelude::*;
                chunks.par_iter().map(build_one).collect()
            };
            #[cfg(not(feature = "parallel"))]
            let parts: Vec<Part> = chunks.iter().map(build_one).collect();
            let mut iter = parts.into_iter();
            let mut sum = iter.next().unwrap_or_else(|| Part::new(nf));
            for part in iter {
                sum.add(&part);
            }
            sum
        };
        // Every built feature's bins are written below: no zeroing needed.
        let mut stats = pool.take(data, &[]);
        for ((&f, gh), n) in features.iter().zip(&part.gh).zip(&part.n) {
            let out = &mut stats[data.offsets[f]..data.offsets[f + 1]];
            for ((s, x), &c) in out.iter_mut().zip(gh).zip(n) {
                *s = BinStat {
                    g: x[0],
                    h: x[1],
                    n: c as f64,
                };
            }
        }
        Histogram { stats }
    }

    /// Turns the parent's histogram into the larger child's by subtracting the smaller child's,
    /// over the built `features`.
    pub fn subtract(&mut self, smaller: &Histogram, data: &BinnedData, features: &[usize]) {
        for &f in features {
            let range = data.offsets[f]..data.offsets[f + 1];
            for (s, o) in self.stats[range.clone()]
                .iter_mut()
                .zip(&smaller.stats[range])
            {
                *s = s.minus(o);
            }
        }
    }

    /// The bins of feature `f`.
    #[inline]
    pub fn feature<'a>(&'a self, data: &BinnedData, f: usize) -> &'a [BinStat] {
        &self.stats[data.offsets[f]..data.offsets[f + 1]]
    }
}

/// Adds `rows` to `stats` (laid out as [`Histogram::stats`]) in row order.
fn accumulate_into(
    data: &BinnedData,
    rows: &[u32],
    gh: &[[f64; 2]],
    features: &[usize],
    stats: &mut [BinStat],
) {
    let nf = data.n_features;
    let bins = &data.bins;
    let base: Vec<usize> = features.iter().map(|&f| data.offsets[f]).collect();
    for &r in rows {
        let r = r as usize;
        let x = gh[r];
        let row = &bins[r * nf..r * nf + nf];
        for (&f, &o) in features.iter().zip(&base) {
            let s = &mut stats[o + row[f] as usize];
            s.g += x[0];
            s.h += x[1];
            s.n += 1.0;
        }
    }
}

/// Adds `rows` to `part` in row order (so every bin's sum has a fixed order).
fn accumulate(
    data: &BinnedData,
    rows: &[u32],
    gh: &[[f64; 2]],
    features: &[usize],
    part: &mut Part,
) {
    let nf = data.n_features;
    let bins = &data.bins;
    if features.len() == nf && features.iter().enumerate().all(|(i, &f)| i == f) {
        // Every feature, in order: walk the row's bins directly.
        for &r in rows {
            let r = r as usize;
            let x = gh[r];
            let row = &bins[r * nf..r * nf + nf];
            for ((&b, hg), hn) in row.iter().zip(part.gh.iter_mut()).zip(part.n.iter_mut()) {
                let s = &mut hg[b as usize];
                s[0] += x[0];
                s[1] += x[1];
                hn[b as usize] += 1;
            }
        }
    } else {
        for &r in rows {
            let r = r as usize;
            let x = gh[r];
            let row = &bins[r * nf..r * nf + nf];
            for ((&f, hg), hn) in features
                .iter()
                .zip(part.gh.iter_mut())
                .zip(part.n.iter_mut())
            {
                let b = row[f] as usize;
                let s = &mut hg[b];
                s[0] += x[0];
                s[1] += x[1];
                hn[b] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Dataset, Feature, FeatureKind, Pipeline};
    use crate::rng::Rng;
    use crate::train::binning::BinningOptions;

    fn data(n: usize) -> (BinnedData, Vec<[f64; 2]>) {
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
            constant_columns: vec![],
            privacy: Default::default(),
        };
        let binned = BinnedData::new(
            &ds,
            &BinningOptions {
                max_bins: 32,
                rare_category_rows: 1,
            },
            1,
        );
        let gh = (0..n).map(|_| [rng.normal(), rng.next_f64()]).collect();
        (binned, gh)
    }

    /// The plain definition: every row adds `(g, h, 1.0)` to its bins as `f64`, within each
    /// chunk of `CHUNK_ROWS` rows in row order, then chunk sums are added in chunk order.
    fn reference(binned: &BinnedData, rows: &[u32], gh: &[[f64; 2]]) -> Vec<BinStat> {
        let nf = binned.n_features;
        let mut total: Option<Vec<BinStat>> = None;
        for chunk in rows.chunks(CHUNK_ROWS) {
            let mut stats = vec![BinStat::default(); binned.total_bins()];
            for &r in chunk {
                let r = r as usize;
                for f in 0..nf {
                    let s = &mut stats[binned.offsets[f] + binned.bins[r * nf + f] as usize];
                    s.g += gh[r][0];
                    s.h += gh[r][1];
                    s.n += 1.0;
                }
            }
            total = Some(match total {
                None => stats,
                Some(mut t) => {
                    for (a, b) in t.iter_mut().zip(&stats) {
                        a.add(b);
                    }
                    t
                }
            });
        }
        total.unwrap_or_else(|| vec![BinStat::default(); binned.total_bins()])
    }

    #[test]
    fn build_is_bit_identical_to_the_plain_chunked_sum() {
        let (binned, gh) = data(50_000);
        // Reversed, with a gap: several chunks, rows out of order.
        let rows: Vec<u32> = (0..50_000).rev().filter(|r| r % 5 != 1).collect();
        let h = Histogram::build(&binned, &rows, &gh, &[0, 1], &mut HistogramPool::default());
        let want = reference(&binned, &rows, &gh);
        for (a, b) in h.stats.iter().zip(&want) {
            assert_eq!(a.g.to_bits(), b.g.to_bits());
            assert_eq!(a.h.to_bits(), b.h.to_bits());
            assert_eq!(a.n.to_bits(), b.n.to_bits());
        }
        // A subset of features: the same bins for the built ones, zeros for the others.
        let only_c = Histogram::build(&binned, &rows, &gh, &[1], &mut HistogramPool::default());
        assert_eq!(only_c.feature(&binned, 1), h.feature(&binned, 1));
        assert!(only_c
            .feature(&binned, 0)
            .iter()
            .all(|s| *s == BinStat::default()));
        assert!(h.feature(&binned, 0).iter().any(|s| s.n > 0.0));
        // A single chunk too.
        let few = &rows[..1000];
        let h = Histogram::build(&binned, few, &gh, &[0, 1], &mut HistogramPool::default());
        assert_eq!(h.stats, reference(&binned, few, &gh));
        // Reused buffers (holding other rows' sums) give the same built features, in one chunk
        // and in several.
        for rows in [few, &rows[..]] {
            let mut pool = HistogramPool::default();
            for _ in 0..2 {
                let h = Histogram::build(&binned, &rows[..rows.len() / 3], &gh, &[0, 1], &mut pool);
                pool.give(h);
            }
            let only_c = Histogram::build(&binned, rows, &gh, &[1], &mut pool);
            let fresh =
                Histogram::build(&binned, rows, &gh, &[0, 1], &mut HistogramPool::default());
            assert_eq!(only_c.feature(&binned, 1), fresh.feature(&binned, 1));
            assert!(
                only_c.feature(&binned, 0).iter().any(|s| s.n > 0.0),
                "a reused buffer"
            );
        }
    }

    #[test]
    fn subtraction_equals_a_rebuilt_histogram() {
        let (binned, gh) = data(40_000);
        let all: Vec<u32> = (0..40_000).collect();
        let (small, large): (Vec<u32>, Vec<u32>) = all.iter().partition(|&&r| r % 7 == 0);
        let mut pool = HistogramPool::default();
        let mut parent = Histogram::build(&binned, &all, &gh, &[0, 1], &mut pool);
        let smaller = Histogram::build(&binned, &small, &gh, &[0, 1], &mut pool);
        let rebuilt = Histogram::build(&binned, &large, &gh, &[0, 1], &mut pool);
        parent.subtract(&smaller, &binned, &[0, 1]);
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
}

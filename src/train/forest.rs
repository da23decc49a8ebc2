//! Random forest: each tree grows on a bootstrap sample with a random subset of features tried at
//! every split; outputs are averaged. Rows left out of a tree's sample give the out-of-bag estimate.

use super::binning::BinnedData;
use super::grow::{grow, GrowParams, TrainTree};
use super::{Progress, ProgressFn, Stage};
use crate::rng::Rng;
use crate::{Error, Result};
use std::ops::ControlFlow;

/// What one forest needs (training-only).
pub(crate) struct ForestJob<'a> {
    pub data: &'a BinnedData,
    pub labels: &'a [u32],
    pub weights: &'a [f64],
    pub n_classes: usize,
    pub rows: &'a [u32],
    pub n_trees: u32,
    pub grow: GrowParams,
    pub seed: u64,
    /// What progress reports call this forest.
    pub stage: Stage,
}

/// A trained forest.
pub(crate) struct Forest {
    /// Trees, bag-major: `n_outputs` per bag, outputs already divided by the bag count.
    pub trees: Vec<TrainTree>,
    /// Out-of-bag averaged margins per row (`rows.len() * n_outputs`), NaN when a row was in
    /// every bag.
    pub oob_raw: Vec<f64>,
}

/// Bags grown between two progress reports (results never depend on it).
const BATCH: u32 = 4;

pub(crate) fn forest(job: &ForestJob, progress: ProgressFn) -> Result<Forest> {
    let k = if job.n_classes == 2 { 1 } else { job.n_classes };
    let n = job.data.n_rows;
    let rng = Rng::new(job.seed);
    let mut trees = Vec::with_capacity(job.n_trees as usize * k);
    let mut oob_sum = vec![0.0; n * k];
    let mut oob_count = vec![0u32; n];
    let mut done = 0;
    while done < job.n_trees {
        let batch: Vec<u32> = (done..(done + BATCH).min(job.n_trees)).collect();
        let bag = |&t: &u32| one_bag(job, k, rng.fork(t as u64));
        #[cfg(feature = "parallel")]
        let grown: Vec<(Vec<TrainTree>, Vec<u32>)> = {
            use rayon::prelude::*;
            batch.par_iter().map(bag).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let grown: Vec<(Vec<TrainTree>, Vec<u32>)> = batch.iter().map(bag).collect();
        for (bag_trees, oob) in grown {
            for &r in &oob {
                oob_count[r as usize] += 1;
                for (c, t) in bag_trees.iter().enumerate() {
                    oob_sum[r as usize * k + c] += t.predict_binned(job.data, r as usize);
                }
            }
            trees.extend(bag_trees);
        }
        done += batch.len() as u32;
        if let ControlFlow::Break(()) = progress(Progress {
            stage: job.stage,
            round: done,
            total_rounds: job.n_trees,
            train_loss: f64::NAN,
            valid_loss: None,
        }) {
            return Err(Error::Cancelled);
        }
    }
    let scale = 1.0 / job.n_trees as f64;
    for t in &mut trees {
        t.scale(scale);
    }
    let mut oob_raw = Vec::with_capacity(job.rows.len() * k);
    for &r in job.rows {
        let c = oob_count[r as usize];
        for j in 0..k {
            oob_raw.push(if c > 0 {
                oob_sum[r as usize * k + j] / c as f64
            } else {
                f64::NAN
            });
        }
    }
    Ok(Forest { trees, oob_raw })
}

/// Grows the trees of one bootstrap sample; returns them and the out-of-bag rows.
fn one_bag(job: &ForestJob, k: usize, mut rng: Rng) -> (Vec<TrainTree>, Vec<u32>) {
    let n = job.data.n_rows;
    let mut count = vec![0u32; n];
    let m = job.rows.len() as u64;
    for _ in 0..m {
        count[job.rows[rng.below(m) as usize] as usize] += 1;
    }
    let in_bag: Vec<u32> = job
        .rows
        .iter()
        .copied()
        .filter(|&r| count[r as usize] > 0)
        .collect();
    let oob: Vec<u32> = job
        .rows
        .iter()
        .copied()
        .filter(|&r| count[r as usize] == 0)
        .collect();
    // [gradient, hessian] per row: hessian = in-bag count × weight.
    let mut gh = vec![[0.0f64; 2]; n];
    for &r in &in_bag {
        gh[r as usize][1] = count[r as usize] as f64 * job.weights[r as usize];
    }
    let features: Vec<usize> = (0..job.data.n_features).collect();
    let mut trees = Vec::with_capacity(k);
    let mut pool = super::histogram::HistogramPool::default();
    for c in 0..k {
        // Squared error on the class indicator: leaves hold the (weighted) class frequency.
        let class = if k == 1 { 1 } else { c as u32 };
        for &r in &in_bag {
            let y = if job.labels[r as usize] == class {
                1.0
            } else {
                0.0
            };
            let x = &mut gh[r as usize];
            x[0] = -y * x[1];
        }
        let mut work = in_bag.clone();
        let mut tree_rng = rng.fork(c as u64);
        trees.push(grow(
            job.data,
            &mut work,
            &gh,
            &features,
            &job.grow,
            &mut tree_rng,
            &mut pool,
        ));
    }
    (trees, oob)
}

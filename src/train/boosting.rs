//! Gradient boosting: each round fits one tree per output to the loss gradients, with optional
//! row/column subsampling and early stopping on held-out rows.

use super::binning::BinnedData;
use super::grow::{grow, GrowParams, TrainTree};
use super::histogram::HistogramPool;
use super::objective::Objective;
use super::{Progress, ProgressFn, Stage};
use crate::rng::Rng;
use crate::{Error, Result};
use std::ops::ControlFlow;

/// What one boosting run needs (training-only).
pub(crate) struct BoostJob<'a> {
    pub data: &'a BinnedData,
    pub labels: &'a [u32],
    pub weights: &'a [f64],
    pub objective: Objective,
    pub train_rows: &'a [u32],
    /// Rows for early stopping (empty = none).
    pub valid_rows: &'a [u32],
    pub rounds: u32,
    pub patience: u32,
    pub row_subsample: f64,
    pub col_subsample: f64,
    pub grow: GrowParams,
    pub seed: u64,
    pub stage: Stage,
}

/// The result of a boosting run.
pub(crate) struct Boosted {
    /// Round-major trees (`n_outputs` per round).
    pub trees: Vec<TrainTree>,
    pub base_score: Vec<f64>,
    /// Rounds kept.
    pub rounds: u32,
    /// Raw margins of the validation rows at the kept round (`valid_rows.len() * k`).
    pub valid_raw: Vec<f64>,
    /// Raw margins at the kept round of every row (row-major, `n_rows * k`), exact for the
    /// training and validation rows (each the base score plus its leaf of every kept tree, in
    /// round order: the bits the model's own prediction gives); other rows hold the base score.
    pub raw: Vec<f64>,
    /// Rows whose `raw` is exact: the training plus the validation rows.
    pub covered: usize,
}

pub(crate) fn boost(job: &BoostJob, progress: ProgressFn) -> Result<Boosted> {
    let data = job.data;
    let n = data.n_rows;
    let k = job.objective.n_outputs();
    let base_score = job
        .objective
        .base_score(job.labels, job.weights, job.train_rows);
    let mut raw = vec![0.0; n * k];
    for (i, x) in raw.iter_mut().enumerate() {
        *x = base_score[i % k];
    }
    // [gradient, hessian] per class and row (side by side: one load per row in histograms).
    let mut gh = vec![vec![[0.0f64; 2]; n]; k];
    let all_features: Vec<usize> = (0..data.n_features).collect();
    let rng = Rng::new(job.seed);
    let mut trees: Vec<TrainTree> = Vec::new();
    let mut best = (f64::INFINITY, 0u32);
    // Every row's margins at the best round so far (only with validation rows).
    let mut best_raw: Vec<f64> = Vec::new();
    let mut rows: Vec<u32> = Vec::with_capacity(job.train_rows.len());
    let mut out_of_bag: Vec<u32> = Vec::new();
    // Binary: the gradients come from the last round's loss pass (the same sigmoid of the same
    // margins), not from a pass of their own.
    let mut kept_gradients = false;
    let mut pool = HistogramPool::default();
    for round in 0..job.rounds {
        let mut round_rng = rng.fork(round as u64);
        if !kept_gradients {
            job.objective
                .gradients(&raw, job.labels, job.weights, job.train_rows, &mut gh);
        }
        rows.clear();
        out_of_bag.clear();
        if job.row_subsample < 1.0 {
            for &r in job.train_rows {
                if round_rng.next_f64() < job.row_subsample {
                    rows.push(r);
                } else {
                    out_of_bag.push(r);
                }
            }
        } else {
            rows.extend_from_slice(job.train_rows);
        }
        let features = sample_features(&all_features, job.col_subsample, &mut round_rng);
        for c in 0..k {
            let mut work = rows.clone();
            let mut tree_rng = round_rng.fork(c as u64);
            let tree = grow(
                data,
                &mut work,
                &gh[c],
                &features,
                &job.grow,
                &mut tree_rng,
                &mut pool,
            );
            // Every training row gets its leaf's value once: the rows the tree grew on from
            // their leaf ranges, the rows left out of this round by walking the tree.
            for &(node, start, end) in &tree.leaf_ranges {
                let v = tree.nodes[node as usize].value;
                for &r in &work[start..end] {
                    raw[r as usize * k + c] += v;
                }
            }
            add_tree(&tree, data, &out_of_bag, &mut raw, k, c);
            add_tree(&tree, data, job.valid_rows, &mut raw, k, c);
            trees.push(tree);
        }
        // The binary loss pass also writes the next round's gradients (the same sigmoid of the
        // same margins).
        let train_loss = if job.objective == Objective::Binary {
            kept_gradients = true;
            Objective::binary_loss_keeping_gradients(
                &raw,
                job.labels,
                job.weights,
                job.train_rows,
                &mut gh[0],
            )
        } else {
            job.objective
                .loss(&raw, job.labels, job.weights, job.train_rows)
        };
        let valid_loss = (!job.valid_rows.is_empty()).then(|| {
            job.objective
                .loss(&raw, job.labels, job.weights, job.valid_rows)
        });
        if let ControlFlow::Break(()) = progress(Progress {
            stage: job.stage,
            round: round + 1,
            total_rounds: job.rounds,
            train_loss,
            valid_loss,
        }) {
            return Err(Error::Cancelled);
        }
        if let Some(v) = valid_loss {
            if v < best.0 - 1e-12 {
                best = (v, round + 1);
                best_raw.clear();
                best_raw.extend_from_slice(&raw);
            } else if round + 1 - best.1 >= job.patience {
                break;
            }
        }
    }
    let rounds = if job.valid_rows.is_empty() {
        (trees.len() / k) as u32
    } else {
        best.1.max(1)
    };
    trees.truncate(rounds as usize * k);
    let raw = if job.valid_rows.is_empty() {
        raw
    } else if best.1 > 0 {
        best_raw
    } else {
        // No round improved on the start: the margins of the first round's model.
        for &r in job.train_rows.iter().chain(job.valid_rows) {
            let r = r as usize;
            for c in 0..k {
                raw[r * k + c] = base_score[c] + trees[c].predict_binned(data, r);
            }
        }
        raw
    };
    let mut valid_raw = Vec::with_capacity(job.valid_rows.len() * k);
    for &r in job.valid_rows {
        valid_raw.extend_from_slice(&raw[r as usize * k..(r as usize + 1) * k]);
    }
    Ok(Boosted {
        trees,
        base_score,
        rounds,
        valid_raw,
        raw,
        covered: job.train_rows.len() + job.valid_rows.len(),
    })
}

/// `raw[r * k + c] += tree(r)` for every row of `rows`: each row on its own, so chunks of sorted
/// rows go to as many threads as there are with the same result.
fn add_tree(
    tree: &TrainTree,
    data: &BinnedData,
    rows: &[u32],
    raw: &mut [f64],
    k: usize,
    c: usize,
) {
    match super::par::pieces(rows, raw, k) {
        Some(pieces) => {
            super::par::map(pieces, |p| {
                for &r in p.rows {
                    p.out[(r as usize - p.first) * k + c] += tree.predict_binned(data, r as usize);
                }
            });
        }
        None => {
            for &r in rows {
                raw[r as usize * k + c] += tree.predict_binned(data, r as usize);
            }
        }
    }
}

/// A sorted random subset of `ceil(fraction · n)` features (all when `fraction` is 1).
pub(crate) fn sample_features(all: &[usize], fraction: f64, rng: &mut Rng) -> Vec<usize> {
    if fraction >= 1.0 || all.len() <= 1 {
        return all.to_vec();
    }
    let k = ((fraction * all.len() as f64).ceil() as usize).clamp(1, all.len());
    let mut v = all.to_vec();
    for i in 0..k {
        let j = i + rng.below((v.len() - i) as u64) as usize;
        v.swap(i, j);
    }
    v.truncate(k);
    v.sort_unstable();
    v
}

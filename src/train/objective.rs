//! Loss functions: binary log-loss and multi-class softmax cross-entropy, with their gradients
//! and hessians. Raw margins are row-major (`raw[row * k + class]`).

/// A boosting objective (training-only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Objective {
    /// Binary log-loss on one logit.
    Binary,
    /// Softmax over this many classes (≥ 3).
    Softmax(usize),
}

use crate::model::math::ln;

const EPS: f64 = 1e-15;

impl Objective {
    /// Raw outputs per row.
    pub fn n_outputs(self) -> usize {
        match self {
            Objective::Binary => 1,
            Objective::Softmax(k) => k,
        }
    }

    /// The starting margin: the (weighted) class prior as log-odds or log-probabilities.
    pub fn base_score(self, labels: &[u32], weights: &[f64], rows: &[u32]) -> Vec<f64> {
        let k = match self {
            Objective::Binary => 2,
            Objective::Softmax(k) => k,
        };
        let mut w = vec![0.0; k];
        for &r in rows {
            w[labels[r as usize] as usize] += weights[r as usize];
        }
        let total: f64 = w.iter().sum();
        let p: Vec<f64> = w
            .iter()
            .map(|&x| ((x + 1e-3) / (total + 1e-3 * k as f64)).clamp(1e-6, 1.0 - 1e-6))
            .collect();
        match self {
            Objective::Binary => vec![ln(p[1] / (1.0 - p[1]))],
            Objective::Softmax(_) => p.iter().map(|&x| ln(x)).collect(),
        }
    }

    /// Fills `gh[c][row]` = [gradient, hessian] for the given rows.
    pub fn gradients(
        self,
        raw: &[f64],
        labels: &[u32],
        weights: &[f64],
        rows: &[u32],
        gh: &mut [Vec<[f64; 2]>],
    ) {
        match self {
            Objective::Binary => {
                for &r in rows {
                    let r = r as usize;
                    let p = crate::model::sigmoid(raw[r]);
                    gh[0][r] = binary_gh(p, labels[r], weights[r]);
                }
            }
            Objective::Softmax(k) => {
                let factor = k as f64 / (k as f64 - 1.0);
                let mut p = vec![0.0; k];
                for &r in rows {
                    let r = r as usize;
                    p.copy_from_slice(&raw[r * k..(r + 1) * k]);
                    crate::model::softmax(&mut p);
                    for c in 0..k {
                        let y = if labels[r] as usize == c { 1.0 } else { 0.0 };
                        gh[c][r] = [
                            weights[r] * (p[c] - y),
                            weights[r] * (factor * p[c] * (1.0 - p[c])).max(1e-16),
                        ];
                    }
                }
            }
        }
    }

    /// Binary only: the mean training loss (as [`Objective::loss`], up to rounding: it takes one
    /// logarithm per block of rows, of the product of their probabilities), also storing each
    /// row's [gradient, hessian] in `gh[row]` for the next round (bit for bit
    /// [`Objective::gradients`] of the same margins: the same sigmoid). Over
    /// [`super::par::ROW_CHUNK`]-row chunks on as many threads as there are; the same result with
    /// any thread count.
    pub fn binary_loss_keeping_gradients(
        raw: &[f64],
        labels: &[u32],
        weights: &[f64],
        rows: &[u32],
        gh: &mut [[f64; 2]],
    ) -> f64 {
        let parts: Vec<(f64, f64)> = match super::par::pieces(rows, gh, 1) {
            Some(pieces) => super::par::map(pieces, |piece| {
                loss_keeping_gradients(raw, labels, weights, piece.rows, piece.first, piece.out)
            }),
            None => rows
                .chunks(super::par::ROW_CHUNK)
                .map(|chunk| loss_keeping_gradients(raw, labels, weights, chunk, 0, gh))
                .collect(),
        };
        let (mut sum, mut wsum) = (0.0, 0.0);
        for (s, w) in parts {
            sum += s;
            wsum += w;
        }
        if wsum > 0.0 {
            sum / wsum
        } else {
            0.0
        }
    }

    /// Weighted mean loss over the given rows (binary: as
    /// [`Objective::binary_loss_keeping_gradients`] computes it, one logarithm per block of
    /// rows).
    pub fn loss(self, raw: &[f64], labels: &[u32], weights: &[f64], rows: &[u32]) -> f64 {
        let (mut sum, mut wsum) = (0.0, 0.0);
        match self {
            Objective::Binary => {
                // The validation loss of every boosting round: blocks of sigmoids and one
                // logarithm per block, as the training loss (11 % of a 1M-row training's time
                // row by row), over fixed chunks so any thread count gives the same sum.
                let parts = super::par::map_chunks(rows, |chunk| {
                    binary_loss_sum(raw, labels, weights, chunk, |_, _| {})
                });
                for (s, w) in parts {
                    sum += s;
                    wsum += w;
                }
            }
            Objective::Softmax(k) => {
                let mut p = vec![0.0; k];
                for &r in rows {
                    let r = r as usize;
                    p.copy_from_slice(&raw[r * k..(r + 1) * k]);
                    crate::model::softmax(&mut p);
                    sum += weights[r] * -ln(p[labels[r] as usize].clamp(EPS, 1.0));
                    wsum += weights[r];
                }
            }
        }
        if wsum > 0.0 {
            sum / wsum
        } else {
            0.0
        }
    }
}

/// The binary loss's [gradient, hessian] of one row from its probability `p`.
#[inline]
fn binary_gh(p: f64, label: u32, weight: f64) -> [f64; 2] {
    [
        weight * (p - label as f64),
        weight * (p * (1.0 - p)).max(1e-16),
    ]
}

/// Rows per logarithm in [`loss_keeping_gradients`]: each probability is at least `EPS` =
/// 1e-15, so a product of 8 stays above 1e-120, far from underflow.
const LOG_BLOCK: usize = 8;

/// Rows whose sigmoids [`loss_keeping_gradients`] computes in one loop (a multiple of
/// [`LOG_BLOCK`], so the logarithm blocks are the same as over the whole chunk).
const SIGMOID_BLOCK: usize = 256;

/// The weighted log-loss sum and weight sum of `rows`, storing each row's [gradient, hessian] in
/// `gh[row - first]`. Rows of a block with the block's first weight share one logarithm (of the
/// product of their probabilities of the true class); any other row takes its own. The sigmoids
/// of [`SIGMOID_BLOCK`] rows are computed in one loop ([`crate::model::math::sigmoid_in_place`],
/// bit for bit [`crate::model::sigmoid`]) that vectorizes.
fn loss_keeping_gradients(
    raw: &[f64],
    labels: &[u32],
    weights: &[f64],
    rows: &[u32],
    first: usize,
    gh: &mut [[f64; 2]],
) -> (f64, f64) {
    binary_loss_sum(raw, labels, weights, rows, |r, q| {
        gh[r - first] = binary_gh(q, labels[r], weights[r]);
    })
}

/// The weighted log-loss sum and weight sum of `rows` (see [`loss_keeping_gradients`]), calling
/// `keep(row, sigmoid)` for each row in order.
#[inline(always)]
fn binary_loss_sum(
    raw: &[f64],
    labels: &[u32],
    weights: &[f64],
    rows: &[u32],
    mut keep: impl FnMut(usize, f64),
) -> (f64, f64) {
    let (mut sum, mut wsum) = (0.0, 0.0);
    let mut qs = [0.0; SIGMOID_BLOCK];
    for rows in rows.chunks(SIGMOID_BLOCK) {
        let qs = &mut qs[..rows.len()];
        for (q, &r) in qs.iter_mut().zip(rows) {
            *q = raw[r as usize];
        }
        crate::model::math::sigmoid_in_place(qs);
        for (block, qs) in rows.chunks(LOG_BLOCK).zip(qs.chunks(LOG_BLOCK)) {
            let w0 = weights[block[0] as usize];
            let mut product = 1.0;
            for (&r, &q) in block.iter().zip(qs) {
                let r = r as usize;
                keep(r, q);
                let q = q.clamp(EPS, 1.0 - EPS);
                let t = if labels[r] == 1 { q } else { 1.0 - q };
                let w = weights[r];
                if w == w0 {
                    product *= t;
                } else {
                    sum -= w * ln(t);
                }
                wsum += w;
            }
            sum -= w0 * ln(product);
        }
    }
    (sum, wsum)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary log loss row by row, one logarithm each: the reference for the blocked sums.
    fn plain_binary_loss(raw: &[f64], labels: &[u32], weights: &[f64], rows: &[u32]) -> f64 {
        let (mut sum, mut wsum) = (0.0, 0.0);
        for &r in rows {
            let r = r as usize;
            let p = crate::model::sigmoid(raw[r]).clamp(EPS, 1.0 - EPS);
            sum += weights[r] * -ln(if labels[r] == 1 { p } else { 1.0 - p });
            wsum += weights[r];
        }
        sum / wsum
    }

    #[test]
    fn binary_base_score_is_the_prior_log_odds_and_gradients_are_p_minus_y() {
        let labels = [1, 0, 0, 0];
        let w = [1.0; 4];
        let rows = [0, 1, 2, 3];
        let b = Objective::Binary.base_score(&labels, &w, &rows);
        assert!((b[0] - (0.25f64 / 0.75).ln()).abs() < 1e-3);
        let raw = [0.0; 4];
        let mut gh = vec![vec![[0.0; 2]; 4]];
        Objective::Binary.gradients(&raw, &labels, &w, &rows, &mut gh);
        assert_eq!(
            gh[0],
            vec![[-0.5, 0.25], [0.5, 0.25], [0.5, 0.25], [0.5, 0.25]]
        );
        let loss = Objective::Binary.loss(&raw, &labels, &w, &rows);
        assert!((loss - std::f64::consts::LN_2).abs() < 1e-12);
    }

    #[test]
    fn kept_gradients_give_the_same_loss_and_gradients_bit_for_bit() {
        let labels = [1, 0, 0, 1, 0];
        let w = [1.0, 2.0, 0.5, 1.0, 3.0];
        let raw = [0.3, -1.7, 40.0, -40.0, 1e-9];
        let rows = [4, 0, 2, 3, 1];
        let mut kept_gh = vec![[f64::NAN; 2]; 5];
        let kept = Objective::binary_loss_keeping_gradients(&raw, &labels, &w, &rows, &mut kept_gh);
        let loss = plain_binary_loss(&raw, &labels, &w, &rows);
        assert!((kept - loss).abs() <= 1e-12 * loss, "{kept} vs {loss}");
        let blocked = Objective::Binary.loss(&raw, &labels, &w, &rows);
        assert_eq!(blocked.to_bits(), kept.to_bits());
        let mut gh = vec![vec![[0.0; 2]; 5]];
        Objective::Binary.gradients(&raw, &labels, &w, &rows, &mut gh);
        for r in 0..5 {
            assert_eq!(gh[0][r].map(f64::to_bits), kept_gh[r].map(f64::to_bits));
        }
    }

    #[test]
    fn chunked_loss_matches_the_plain_sum_for_sorted_and_unsorted_rows() {
        let n = 30_000;
        let mut rng = crate::rng::Rng::new(5);
        let labels: Vec<u32> = (0..n).map(|_| rng.below(2) as u32).collect();
        let raw: Vec<f64> = (0..n).map(|_| rng.next_f64() * 80.0 - 40.0).collect();
        // Class weights (the weights training uses), and one odd weight.
        let mut w: Vec<f64> = labels.iter().map(|&l| [1.0, 3.0][l as usize]).collect();
        w[17] = 0.25;
        let sorted: Vec<u32> = (0..n as u32).filter(|r| r % 4 != 1).collect();
        let mut unsorted = sorted.clone();
        unsorted.reverse();
        let want = plain_binary_loss(&raw, &labels, &w, &sorted);
        let mut want_gh = vec![vec![[f64::NAN; 2]; n]];
        Objective::Binary.gradients(&raw, &labels, &w, &sorted, &mut want_gh);
        for rows in [&sorted, &unsorted] {
            let mut gh = vec![[f64::NAN; 2]; n];
            let got = Objective::binary_loss_keeping_gradients(&raw, &labels, &w, rows, &mut gh);
            assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
            // The validation loss: the same blocks, so the same sum bit for bit.
            let loss = Objective::Binary.loss(&raw, &labels, &w, rows);
            assert_eq!(loss.to_bits(), got.to_bits(), "{loss} vs {got}");
            for r in 0..n {
                if r % 4 == 1 {
                    assert!(gh[r][0].is_nan() && gh[r][1].is_nan());
                } else {
                    assert_eq!(gh[r].map(f64::to_bits), want_gh[0][r].map(f64::to_bits));
                }
            }
        }
    }

    #[test]
    fn softmax_gradients_sum_to_zero_per_row() {
        let labels = [2, 0];
        let w = [1.0, 2.0];
        let raw = [0.1, 0.2, 0.3, 1.0, -1.0, 0.0];
        let mut gh = vec![vec![[0.0; 2]; 2]; 3];
        Objective::Softmax(3).gradients(&raw, &labels, &w, &[0, 1], &mut gh);
        for r in [0, 1] {
            let s: f64 = gh.iter().map(|gc| gc[r][0]).sum();
            assert!(s.abs() < 1e-12);
        }
        assert!(gh[2][0][0] < 0.0 && gh[0][1][0] < 0.0);
    }
}

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

    /// Fills `grad[c][row]` and `hess[c][row]` for the given rows.
    pub fn gradients(
        self,
        raw: &[f64],
        labels: &[u32],
        weights: &[f64],
        rows: &[u32],
        grad: &mut [Vec<f64>],
        hess: &mut [Vec<f64>],
    ) {
        match self {
            Objective::Binary => {
                for &r in rows {
                    let r = r as usize;
                    let p = crate::model::sigmoid(raw[r]);
                    let y = labels[r] as f64;
                    grad[0][r] = weights[r] * (p - y);
                    hess[0][r] = weights[r] * (p * (1.0 - p)).max(1e-16);
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
                        grad[c][r] = weights[r] * (p[c] - y);
                        hess[c][r] = weights[r] * (factor * p[c] * (1.0 - p[c])).max(1e-16);
                    }
                }
            }
        }
    }

    /// Binary only: [`Objective::gradients`] from `p[row]` = `sigmoid(raw[row])` already computed
    /// (by [`Objective::binary_loss_keeping_p`] on the same margins), the same values without
    /// evaluating the sigmoid again.
    pub fn binary_gradients_from_p(
        p: &[f64],
        labels: &[u32],
        weights: &[f64],
        rows: &[u32],
        grad: &mut [f64],
        hess: &mut [f64],
    ) {
        for &r in rows {
            let r = r as usize;
            let p = p[r];
            let y = labels[r] as f64;
            grad[r] = weights[r] * (p - y);
            hess[r] = weights[r] * (p * (1.0 - p)).max(1e-16);
        }
    }

    /// Binary only: [`Objective::loss`], also storing `sigmoid(raw[row])` in `p[row]` for the
    /// next round's gradients.
    pub fn binary_loss_keeping_p(
        raw: &[f64],
        labels: &[u32],
        weights: &[f64],
        rows: &[u32],
        p: &mut [f64],
    ) -> f64 {
        let (mut sum, mut wsum) = (0.0, 0.0);
        for &r in rows {
            let r = r as usize;
            let q = crate::model::sigmoid(raw[r]);
            p[r] = q;
            let q = q.clamp(EPS, 1.0 - EPS);
            let l = if labels[r] == 1 { -ln(q) } else { -ln(1.0 - q) };
            sum += weights[r] * l;
            wsum += weights[r];
        }
        if wsum > 0.0 {
            sum / wsum
        } else {
            0.0
        }
    }

    /// Weighted mean loss over the given rows.
    pub fn loss(self, raw: &[f64], labels: &[u32], weights: &[f64], rows: &[u32]) -> f64 {
        let (mut sum, mut wsum) = (0.0, 0.0);
        match self {
            Objective::Binary => {
                for &r in rows {
                    let r = r as usize;
                    let p = crate::model::sigmoid(raw[r]).clamp(EPS, 1.0 - EPS);
                    let l = if labels[r] == 1 { -ln(p) } else { -ln(1.0 - p) };
                    sum += weights[r] * l;
                    wsum += weights[r];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_base_score_is_the_prior_log_odds_and_gradients_are_p_minus_y() {
        let labels = [1, 0, 0, 0];
        let w = [1.0; 4];
        let rows = [0, 1, 2, 3];
        let b = Objective::Binary.base_score(&labels, &w, &rows);
        assert!((b[0] - (0.25f64 / 0.75).ln()).abs() < 1e-3);
        let raw = [0.0; 4];
        let mut g = vec![vec![0.0; 4]];
        let mut h = vec![vec![0.0; 4]];
        Objective::Binary.gradients(&raw, &labels, &w, &rows, &mut g, &mut h);
        assert_eq!(g[0], vec![-0.5, 0.5, 0.5, 0.5]);
        assert_eq!(h[0], vec![0.25; 4]);
        let loss = Objective::Binary.loss(&raw, &labels, &w, &rows);
        assert!((loss - std::f64::consts::LN_2).abs() < 1e-12);
    }

    #[test]
    fn kept_probabilities_give_the_same_loss_and_gradients_bit_for_bit() {
        let labels = [1, 0, 0, 1, 0];
        let w = [1.0, 2.0, 0.5, 1.0, 3.0];
        let raw = [0.3, -1.7, 40.0, -40.0, 1e-9];
        let rows = [4, 0, 2, 3, 1];
        let mut p = vec![f64::NAN; 5];
        let kept = Objective::binary_loss_keeping_p(&raw, &labels, &w, &rows, &mut p);
        let loss = Objective::Binary.loss(&raw, &labels, &w, &rows);
        assert_eq!(kept.to_bits(), loss.to_bits());
        let (mut g, mut h) = (vec![vec![0.0; 5]], vec![vec![0.0; 5]]);
        Objective::Binary.gradients(&raw, &labels, &w, &rows, &mut g, &mut h);
        let (mut g2, mut h2) = (vec![0.0; 5], vec![0.0; 5]);
        Objective::binary_gradients_from_p(&p, &labels, &w, &rows, &mut g2, &mut h2);
        for r in 0..5 {
            assert_eq!(g[0][r].to_bits(), g2[r].to_bits());
            assert_eq!(h[0][r].to_bits(), h2[r].to_bits());
        }
    }

    #[test]
    fn softmax_gradients_sum_to_zero_per_row() {
        let labels = [2, 0];
        let w = [1.0, 2.0];
        let raw = [0.1, 0.2, 0.3, 1.0, -1.0, 0.0];
        let mut g = vec![vec![0.0; 2]; 3];
        let mut h = vec![vec![0.0; 2]; 3];
        Objective::Softmax(3).gradients(&raw, &labels, &w, &[0, 1], &mut g, &mut h);
        for r in [0, 1] {
            let s: f64 = g.iter().map(|gc| gc[r]).sum();
            assert!(s.abs() < 1e-12);
        }
        assert!(g[2][0] < 0.0 && g[0][1] < 0.0);
    }
}

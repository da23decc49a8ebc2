//! Gauss–Legendre quadrature on [0, 1]: `Σ w_j f(t_j) = ∫₀¹ f(t) dt` exactly for every polynomial
//! `f` of degree < 2n. Linear TreeSHAP integrates polynomials of degree < (unique features on a
//! path), so ⌈U/2⌉ points make each Shapley weight exact.
//!
//! Nodes come from Newton's method on the Legendre recurrence, started from a cosine computed by
//! its Taylor series: only basic IEEE arithmetic, so the rule (and every explanation) is the same
//! bit for bit natively and in wasm32.

use std::f64::consts::{FRAC_PI_2, PI};

/// An `n`-point rule mapped to [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    /// Nodes `t_j`, ascending.
    pub t: Vec<f64>,
    /// `1 − t_j`, each computed directly (no cancellation near 1).
    pub omt: Vec<f64>,
    /// Weights `w_j` (sum 1).
    pub w: Vec<f64>,
    /// `−w_j / (1 − t_j)`: a cold edge's weights when its feature is new on the path.
    pub cold: Vec<f64>,
    /// Points of the rule proper (the rest, if any, is zero-weight padding).
    pub points: usize,
}

/// cos(x) for x in [0, π] from basic arithmetic (|error| < 1e-16).
fn cos(x: f64) -> f64 {
    let (y, sign) = if x > FRAC_PI_2 {
        (PI - x, -1.0)
    } else {
        (x, 1.0)
    };
    let y2 = y * y;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..=14u32 {
        term *= -y2 / f64::from((2 * k - 1) * (2 * k));
        sum += term;
    }
    sign * sum
}

/// Legendre `P_n(x)` and its derivative (for |x| < 1).
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let k = k as f64;
        let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
    }
    let n = n as f64;
    (p1, n * (x * p1 - p0) / (x * x - 1.0))
}

impl Rule {
    /// The `n`-point rule (`n ≥ 1`).
    pub fn new(n: usize) -> Rule {
        let n = n.max(1);
        let mut t = vec![0.0; n];
        let mut omt = vec![0.0; n];
        let mut w = vec![0.0; n];
        // Roots x_k of P_n in (0, 1) (and 0 for odd n), mirrored onto both halves of [0, 1].
        for k in 0..n.div_ceil(2) {
            let mut x = cos(PI * (k as f64 + 0.75) / (n as f64 + 0.5));
            let mut dp = 1.0;
            for _ in 0..100 {
                let (p, d) = legendre(n, x);
                dp = d;
                let dx = p / d;
                x -= dx;
                if dx.abs() <= 1e-16 {
                    break;
                }
            }
            let (_, d) = legendre(n, x);
            if d.is_finite() && d != 0.0 {
                dp = d;
            }
            let weight = 1.0 / ((1.0 - x * x) * dp * dp);
            // x_k > 0: t = (1 − x)/2 near 0 at index k, its mirror (1 + x)/2 at n − 1 − k.
            t[k] = (1.0 - x) / 2.0;
            omt[k] = (1.0 + x) / 2.0;
            w[k] = weight;
            t[n - 1 - k] = omt[k];
            omt[n - 1 - k] = t[k];
            w[n - 1 - k] = weight;
        }
        let cold = w.iter().zip(&omt).map(|(w, o)| -w / o).collect();
        Rule {
            t,
            omt,
            w,
            cold,
            points: n,
        }
    }

    /// The `n`-point rule padded to the next lane count the explainer has a fixed-size path for
    /// (1, 2, 4, 8, 16; larger rules are not padded) with points of weight 0 at t = ½, which add
    /// exactly nothing.
    pub fn padded(n: usize) -> Rule {
        let mut rule = Rule::new(n);
        let lanes = match n {
            0..=2 => n.max(1),
            3..=4 => 4,
            5..=8 => 8,
            9..=16 => 16,
            _ => n,
        };
        for v in [&mut rule.t, &mut rule.omt] {
            v.resize(lanes, 0.5);
        }
        for v in [&mut rule.w, &mut rule.cold] {
            v.resize(lanes, 0.0);
        }
        rule
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.t.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_integrate_polynomials_of_degree_below_2n_exactly() {
        for n in 1..=40 {
            let r = Rule::new(n);
            assert_eq!(r.len(), n);
            assert!(r.t.windows(2).all(|p| p[0] < p[1]), "n {n}: {:?}", r.t);
            for (t, o) in r.t.iter().zip(&r.omt) {
                assert!((t + o - 1.0).abs() < 1e-15 && *t > 0.0 && *o > 0.0);
            }
            // ∫ t^a (1 − t)^b = a! b! / (a + b + 1)!: the Shapley weights themselves.
            for a in 0..2 * n {
                let b = 2 * n - 1 - a;
                let exact = (1..=a).map(|i| i as f64).product::<f64>()
                    * (1..=b).map(|i| i as f64).product::<f64>()
                    / (1..=a + b + 1).map(|i| i as f64).product::<f64>();
                let got: f64 = (0..n)
                    .map(|j| r.w[j] * r.t[j].powi(a as i32) * r.omt[j].powi(b as i32))
                    .sum();
                assert!(
                    (got - exact).abs() <= 1e-13 * exact,
                    "n {n}, t^{a}(1−t)^{b}: {got:e} vs {exact:e}"
                );
            }
        }
        assert!((cos(0.0) - 1.0).abs() < 1e-16 && cos(PI / 2.0).abs() < 1e-16);
        assert!(
            (cos(PI) + 1.0).abs() < 1e-15 && (cos(1.0) - 0.540_302_305_868_139_8).abs() < 1e-15
        );
    }
}

//! `exp` and `ln` from basic arithmetic only, so results are bit-identical on every target.
//! (`f64::exp`/`ln` call the platform's libm natively and a Rust port on wasm32; they may differ
//! in the last bit, which would change trained models.) Accuracy: a few ulps.

// ln 2 split into a high part with trailing zero bits and the remainder (fdlibm's constants).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LN2: f64 = std::f64::consts::LN_2;

/// Taylor series of e^r to r^13 (error < 1e-17 on |r| ≤ 0.347), Horner form: `exp`'s and
/// `exp_branch_free`'s one polynomial.
#[inline(always)]
fn exp_taylor(r: f64) -> f64 {
    let mut p = 1.0 / 6_227_020_800.0;
    for d in [
        479_001_600.0,
        39_916_800.0,
        3_628_800.0,
        362_880.0,
        40_320.0,
        5_040.0,
        720.0,
        120.0,
        24.0,
        6.0,
        2.0,
        1.0,
        1.0,
    ] {
        p = p * r + 1.0 / d;
    }
    p
}

/// e^x, deterministic across targets; saturates to 0 below −745 and to +∞ above 709.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    let k = round(x / LN2);
    let r = (x - k * LN2_HI) - k * LN2_LO; // |r| ≤ ln2/2
    let p = exp_taylor(r);
    scale_by_pow2(p, k as i32)
}

/// [`exp`] bit for bit, without a branch or a call: every step is the same IEEE operation, the
/// range checks are selects and the scaling is two exact power-of-two products, so a loop over
/// several values of it vectorizes (boosting's per-row sigmoid).
#[inline]
pub fn exp_branch_free(x: f64) -> f64 {
    // 1.5 · 2^52: adding and subtracting it rounds to an integer (half to even) for |v| < 2^51.
    const M: f64 = 6_755_399_441_055_744.0;
    let xc = x.clamp(-745.0, 709.0);
    // `round(xc / LN2)` (half away from zero): round half to even, then the exact ties moved.
    let v = xc / LN2;
    let even = (v + M) - M;
    let d = v - even;
    let k = if d == 0.5 || d == -0.5 {
        v + 0.5f64.copysign(v)
    } else {
        even
    };
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    let p = exp_taylor(r);
    // p · 2^k as p · 2^k1 · 2^k2 with both factors normal (k is an integer in [−1075, 1023];
    // k1 = k/2 rounded, k2 = k − k1, both exact in f64): the first product is exact, the second
    // rounds once, as `scale_by_pow2` does, whatever the split. Each 2^e is built from the low
    // bits of e + 1023 + M (M's low 52 bits are zero) with 64-bit adds, ands and left shifts
    // only: no arithmetic right shift and no float-to-int conversion, which x86's SSE2/AVX2 lack
    // for 64-bit lanes, so the loop vectorizes natively as it does in WASM.
    let k1 = (k * 0.5 + M) - M;
    let k2 = k - k1;
    let pow = |e: f64| f64::from_bits(((e + (1023.0 + M)).to_bits() & 0x7ff) << 52);
    let y = p * pow(k1) * pow(k2);
    if x.is_nan() {
        x
    } else if x > 709.0 {
        f64::INFINITY
    } else if x < -745.0 {
        0.0
    } else {
        y
    }
}

/// `x ← 1 / (1 + e^−x)` for every value, bit for bit [`crate::model::sigmoid`]: a plain loop over
/// [`exp_branch_free`], which the compiler vectorizes (SSE2 natively, simd128 in WASM); an array
/// of fixed length unrolled instead stays mostly scalar.
pub fn sigmoid_in_place(xs: &mut [f64]) {
    for x in xs {
        *x = 1.0 / (1.0 + exp_branch_free(-*x));
    }
}

/// p · 2^k for k in about [−1100, 1100], by exact power-of-two multiplications.
/// `v.round()` (half away from zero, sign of zero kept) for |v| < 2^52 without a libm call:
/// the truncation through `i64` is one instruction and `v - t` is exact (it only clears bits).
#[inline]
fn round(v: f64) -> f64 {
    let t = v as i64 as f64;
    let d = v - t;
    let r = if d >= 0.5 {
        t + 1.0
    } else if d <= -0.5 {
        t - 1.0
    } else {
        t
    };
    r.copysign(v)
}

fn scale_by_pow2(mut p: f64, mut k: i32) -> f64 {
    while k > 1000 {
        p *= f64::from_bits(((1000 + 1023) as u64) << 52);
        k -= 1000;
    }
    while k < -1000 {
        p *= f64::from_bits(((-1000 + 1023) as u64) << 52);
        k += 1000;
    }
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Natural logarithm, deterministic across targets; NaN below 0, −∞ at 0.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut m, mut e) = (x, 0i32);
    if m < f64::MIN_POSITIVE {
        m *= f64::from_bits(((54 + 1023) as u64) << 52);
        e -= 54;
    }
    let bits = m.to_bits();
    e += ((bits >> 52) & 0x7ff) as i32 - 1023;
    m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1023u64 << 52)); // in [1, 2)
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0); // |s| ≤ 0.172
    let s2 = s * s;
    let mut p = 1.0 / 23.0;
    for d in [21.0, 19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0, 1.0] {
        p = p * s2 + 1.0 / d;
    }
    e as f64 * LN2 + 2.0 * s * p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std_to_a_few_ulps() {
        let mut x = -700.0;
        while x < 705.0 {
            let (a, b) = (exp(x), x.exp());
            assert!(((a - b) / b).abs() < 4e-16, "exp({x}) = {a} vs {b}");
            x += 0.37;
        }
        for &x in &[
            1e-300, 1e-10, 0.3, 0.999, 1.0, 1.5, 2.0, 10.0, 1e10, 1e300, 5e-324,
        ] {
            let (a, b) = (ln(x), x.ln());
            assert!(
                (a - b).abs() <= 4e-16 * b.abs().max(1.0),
                "ln({x}) = {a} vs {b}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        assert!(ln(-1.0).is_nan());
    }

    #[test]
    fn branch_free_exp_is_exp_bit_for_bit() {
        let mut rng = crate::rng::Rng::new(9);
        let mut xs: Vec<f64> = (0..400_000)
            .map(|i| match i % 4 {
                0 => rng.next_f64() * 1600.0 - 800.0,
                1 => rng.next_f64() * 80.0 - 40.0,
                2 => (rng.next_f64() * 2.0 - 1.0) * 1e-3,
                // Exact ties of x / ln 2 and the saturation edges.
                _ => (rng.below(2200) as f64 - 1100.0 + 0.5) * LN2,
            })
            .collect();
        xs.extend([
            0.0,
            -0.0,
            709.0,
            709.0000001,
            -745.0,
            -745.0000001,
            -708.4,
            -744.9,
            1e-300,
            -1e-300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.5 * LN2,
            -0.5 * LN2,
            1.5 * LN2,
            -1.5 * LN2,
            f64::MAX,
            f64::MIN,
        ]);
        for &x in &xs {
            let (a, b) = (exp(x), exp_branch_free(x));
            assert!(
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                "exp({x}): {a} vs {b}"
            );
        }
        // The vectorized loop (odd length: a scalar tail too) against the one-value sigmoid.
        let mut sig = xs[..xs.len() - 2].to_vec();
        sigmoid_in_place(&mut sig);
        for (&x, &s) in xs.iter().zip(&sig) {
            let a = crate::model::sigmoid(x);
            assert!(
                a.to_bits() == s.to_bits() || (a.is_nan() && s.is_nan()),
                "sigmoid({x}): {a} vs {s}"
            );
        }
    }

    #[test]
    fn round_is_std_round_bit_for_bit() {
        let mut v: f64 = -1100.0;
        while v < 1100.0 {
            for x in [
                v,
                v + 0.5,
                v - 0.5,
                -v,
                v + 1e-9,
                v.next_up(),
                v.next_down(),
            ] {
                assert_eq!(round(x).to_bits(), x.round().to_bits(), "round({x})");
            }
            v += 0.123_456_7;
        }
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.49999999999999994,
            -0.49999999999999994,
            1.5,
            -2.5,
            1e-300,
            -1e-300,
            4503599627370495.5,
            -4503599627370495.5,
        ] {
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "round({x})");
        }
    }
}

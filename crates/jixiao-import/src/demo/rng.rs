//! A small, frozen random number generator: SplitMix64 seeding xoshiro256**, plus the few
//! distributions the demo needs.
//!
//! "The same seed gives the same center" must hold forever, so nothing here comes from a crate
//! whose stream may change, and the transcendental functions are our own polynomials built
//! from `+ - * /` and `sqrt`, which IEEE 754 makes bit-exact on every platform (the platform's
//! `ln`, `exp` and `cos` may differ in the last bit between C libraries).

/// SplitMix64's output function: a strong 64-bit mixer.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a seed and a path of tags into one stream key.
pub fn key(seed: u64, tags: &[u64]) -> u64 {
    tags.iter().fold(mix(seed), |h, &t| mix(h ^ mix(t)))
}

/// xoshiro256** with a spare normal from Box–Muller.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<f64>,
}

impl Rng {
    /// A generator for the stream named by `seed` and `tags`.
    pub fn new(seed: u64, tags: &[u64]) -> Self {
        let mut z = key(seed, tags);
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix(z.wrapping_sub(0x9E37_79B9_7F4A_7C15))
        };
        Rng {
            s: [next(), next(), next(), next()],
            spare: None,
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [lo, hi] inclusive.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [lo, hi).
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A standard normal deviate (Box–Muller, the second value kept for the next call).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // 1 - unit() is in (0, 1], so the logarithm is finite.
        let r = (-2.0 * ln(1.0 - self.unit())).sqrt();
        let (sin, cos) = sin_cos_turn(self.unit());
        self.spare = Some(r * sin);
        r * cos
    }

    /// A log-normal deviate with the given median and shape σ.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }

    /// An index drawn with the given weights (which must not all be 0).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }
}

const LN2: f64 = std::f64::consts::LN_2;

/// Natural logarithm of a positive, finite, normal `x`.
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    // ln m = 2 atanh(s) with |s| < 0.172: the series converges fast.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 30.0 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

/// e to the power `x`, for |x| < 700.
pub fn exp(x: f64) -> f64 {
    let k = (x / LN2).round();
    let r = x - k * LN2;
    // Taylor series of e^r for |r| ≤ 0.35, Horner form.
    let mut sum = 1.0;
    let mut n = 18.0;
    while n >= 1.0 {
        sum = 1.0 + sum * r / n;
        n -= 1.0;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// (sin, cos) of `u` whole turns, `u` in [0, 1).
pub fn sin_cos_turn(u: f64) -> (f64, f64) {
    // θ in [-π, π): sin and cos of θ + π are the negatives.
    let t = (u - 0.5) * 2.0 * std::f64::consts::PI;
    let t2 = t * t;
    let (mut sin, mut cos) = (0.0, 0.0);
    let mut n = 25.0;
    while n >= 1.0 {
        // Horner on the alternating series, innermost terms first.
        sin = 1.0 - sin * t2 / ((2.0 * n) * (2.0 * n + 1.0));
        cos = 1.0 - cos * t2 / ((2.0 * n - 1.0) * (2.0 * n));
        n -= 1.0;
    }
    (-(t * sin), -cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portable_functions_match_the_platform_closely() {
        for x in [1e-9, 0.001, 0.3, 0.999, 1.0, 2.5, 1234.5] {
            assert!(
                (ln(x) - x.ln()).abs() < 1e-12 * (1.0 + x.ln().abs()),
                "ln {x}"
            );
        }
        for x in [-20.0, -1.0, 0.0, 0.5, 3.0, 12.0] {
            assert!((exp(x) - x.exp()).abs() < 1e-13 * x.exp(), "exp {x}");
        }
        for u in [0.0, 0.1, 0.25, 0.5, 0.77, 0.999] {
            let a = u * std::f64::consts::TAU;
            let (s, c) = sin_cos_turn(u);
            assert!(
                (s - a.sin()).abs() < 1e-12 && (c - a.cos()).abs() < 1e-12,
                "{u}"
            );
        }
    }

    #[test]
    fn the_stream_of_a_seed_is_frozen() {
        let mut r = Rng::new(42, &[1, 2]);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, FROZEN);
    }

    // The first outputs of stream (42, [1, 2]); changing them changes every demo center.
    const FROZEN: [u64; 3] = [
        10_597_384_224_709_556_085,
        18_321_489_602_513_791_610,
        4_454_203_261_518_129_199,
    ];
}
